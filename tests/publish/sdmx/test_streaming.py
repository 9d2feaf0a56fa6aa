"""The data writers stream: 100 000 observations from a generator go through with a peak memory
far below the size of the output, and the first chunk comes before the input is exhausted."""
from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from ilms.publish.sdmx.data import media_types, write_data
from ilms.tables import structure

BENCH = Path(__file__).resolve().parents[3] / "bench" / "sdmx_streaming.py"


def bench():
    spec = importlib.util.spec_from_file_location("sdmx_streaming", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
@pytest.mark.parametrize("media_type", ["application/vnd.sdmx.structurespecificdata+xml;version=2.1",
                                        "application/vnd.sdmx.data+json;version=2.1.0",
                                        "application/vnd.sdmx.data+csv;version=2.0.0"])
def test_100_000_observations_in_bounded_memory(media_type):
    r = bench().measure(media_type, 100_000)
    assert r["bytes"] > 5_000_000 and r["chunks"] > 50
    assert r["peak_bytes"] < 2_000_000 and r["peak_bytes"] < r["bytes"] / 20, r


@pytest.mark.parametrize("media_type", media_types())
def test_first_chunk_before_the_input_is_exhausted(media_type):
    consumed = itertools.count()
    source = bench().observations(50_000)

    def counted():
        for obs in source:
            next(consumed)
            yield obs
    chunks = write_data(structure().table(1), counted(), media_type)
    first = next(chunks)
    assert first and next(consumed) < 10_000          # one 64 KiB chunk needs a few hundred observations
