"""The SDMX-JSON and structure-specific SDMX-ML writers from a read's driver tuples
(``store.read.PublicRead.row_batches``: no ``Observation`` per row) write the same bytes as from
the observations through the reference path (the attributes through ``observation_attributes``,
the series by ``Layout.series_key``, a series key's XML attributes made each time), on random
tables, observations and options -- also over several data sets sharing one message's value
positions."""
from __future__ import annotations

import random
from itertools import groupby

import pytest

from ilms.publish.sdmx.data import DataOptions, DataSetPart, structure_specific, write_datasets
from ilms.publish.sdmx.data.layout import Layout, observation_attributes
from ilms.publish.sdmx.data.options import ALL_DIMENSIONS
from ilms.tables import TIME_DIMENSION, structure

from .test_csv_fast_path import HEADER, _Rows, random_observations

JSON = ["application/vnd.sdmx.data+json;version=1.0.0", "application/vnd.sdmx.data+json;version=2.0.0",
        "application/vnd.sdmx.data+json;version=2.1.0"]
ML = ["application/vnd.sdmx.structurespecificdata+xml;version=2.1",
      "application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1",
      "application/vnd.sdmx.data+xml;version=3.0.0", "application/vnd.sdmx.data+xml;version=3.1.0"]


def _message(parts, media_type: str, options: DataOptions) -> bytes:
    return b"".join(write_datasets(parts, media_type, options))


def _reference(monkeypatch, parts, media_type: str, options: DataOptions) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(Layout, "attribute_tuple", property(lambda lo: lambda o: tuple(
            observation_attributes(lo.table, o)[a] for a in lo.attributes)))
        m.setattr(Layout, "series", lambda lo, obs: groupby(obs, key=lo.series_key))
        m.setattr(structure_specific, "_SeriesStart",
                  lambda dims: lambda key: "<Series" + structure_specific._pairs(zip(dims, key)))
        return _message(parts, media_type, options)


def _options(rng: random.Random, media_type: str) -> DataOptions:
    flat = "timeseries" not in media_type and rng.random() < 0.2
    return DataOptions(header=HEADER, dimension_at_observation=ALL_DIMENSIONS if flat else TIME_DIMENSION,
                       detail=rng.choice(("full", "full", "dataonly", "serieskeysonly", "nodata")),
                       attributes=rng.choice(("dsd", "all", "none", "obs", "OBS_CONF,COMMENT", "DECIMALS")),
                       measures=rng.choice(("all", "all", "none")))


def _uses_rows(media_type: str, options: DataOptions) -> bool:
    """Whether the writer takes the tuples: series by period (SDMX-ML: with observations)."""
    if options.dimension_at_observation != TIME_DIMENSION:
        return False
    return media_type in JSON or options.detail in ("full", "dataonly")


@pytest.mark.parametrize("media_type", JSON + ML)
@pytest.mark.parametrize("seed", range(4))
def test_the_rows_path_writes_the_reference_bytes(media_type, seed, monkeypatch):
    rng = random.Random(f"{media_type}-{seed}")
    for _ in range(6):
        table = structure().table(rng.randint(1, 17))
        obs = random_observations(rng, table, rng.randint(1, 12))
        options = _options(rng, media_type)
        source = _Rows(obs, rng.choice((1, 2, 5, 1000)))
        fast = _message([(table, source)], media_type, options)
        assert source.taken == ("rows" if _uses_rows(media_type, options) else "observations"), options
        reference = _reference(monkeypatch, [(table, iter(obs))], media_type, options)
        assert fast == reference, (table.number, media_type, options)


@pytest.mark.parametrize("media_type", JSON + ML)
def test_data_sets_from_rows_share_the_message_positions(media_type, monkeypatch):
    """Several data sets (history: Replace, then Delete; SDMX-JSON 2.x and SDMX-ML also several
    dataflows): the positions of codes, periods and attribute values met in one data set hold in
    the next, as on the reference path."""
    rng = random.Random(media_type)
    for _ in range(4):
        tables = [structure().table(rng.randint(1, 17)) for _ in range(1 if "1.0.0" in media_type else 2)]
        chunks = [(table, random_observations(rng, table, rng.randint(1, 8))) for table in tables for _ in range(2)]
        options = DataOptions(header=HEADER, attributes=rng.choice(("dsd", "OBS_STATUS,NOTE_SOURCE")))
        fast = _message([DataSetPart(t, _Rows(o, rng.choice((1, 3, 1000))), "Replace" if n % 2 else "Delete")
                         for n, (t, o) in enumerate(chunks)], media_type, options)
        reference = _reference(monkeypatch, [DataSetPart(t, iter(o), "Replace" if n % 2 else "Delete")
                                             for n, (t, o) in enumerate(chunks)], media_type, options)
        assert fast == reference, (media_type, [t.number for t in tables], options)
