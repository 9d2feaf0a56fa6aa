"""Streaming SDMX data writers: peak memory (tracemalloc) and speed for N observations.

    .venv/bin/python bench/sdmx_streaming.py [N] [media type ...]

The observations come from a generator (as from the store) and the chunks are counted and
dropped (as by an HTTP response); a streaming writer's peak stays flat while the output grows.
"""
from __future__ import annotations

import itertools
import sys
import time
import tracemalloc
from typing import Iterator

from ilms.observation import Observation
from ilms.publish.sdmx.data import media_types, write_data
from ilms.tables import structure


def observations(n: int, table_no: int = 1) -> Iterator[Observation]:
    """``n`` observations of ``table_no`` in canonical order: series of 10 years, flags and notes on some."""
    table = structure().table(table_no)
    own = [[c.id for c in d.codelist.codes] for d in table.own_dimensions]
    areas = [c.id for c in table.dimension("REF_AREA").codelist.codes]
    keys = ((area, "BA_453", "BIR", sex, *rest)
            for area in areas for sex in ("SEX_F", "SEX_M", "SEX_T") for rest in itertools.product(*own))
    count = 0
    for key in keys:
        for year in range(2010, 2020):
            if count == n:
                return
            yield Observation(table_no, key, str(year), count * 1.37 + 0.1, status="E" if count % 7 == 0 else None,
                              confidential=count % 50 == 0, note_source="S3:5" if count % 3 == 0 else None,
                              decimals=2)
            count += 1
    raise ValueError(f"table {table_no} has fewer than {n} cells for 10 years")


def measure(media_type: str, n: int, **options) -> dict:
    from ilms.publish.sdmx.data import DataOptions
    for _ in write_data(structure().table(1), observations(100), media_type, DataOptions(**options)):
        pass                                   # warm up: one-time caches (declarations, codelists) are not streaming
    tracemalloc.start()
    start = time.perf_counter()
    size = chunks = 0
    for chunk in write_data(structure().table(1), observations(n), media_type, DataOptions(**options)):
        size += len(chunk)
        chunks += 1
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"media_type": media_type, "observations": n, "bytes": size, "chunks": chunks,
            "peak_bytes": peak, "seconds": round(seconds, 2)}


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 100_000
    wanted = argv[1:] or media_types()
    print(f"{'media type':<70} {'output MB':>10} {'peak MB':>8} {'peak/out':>9} {'s':>6}")
    for mt in wanted:
        r = measure(mt, n)
        print(f"{mt:<70} {r['bytes'] / 1e6:>10.1f} {r['peak_bytes'] / 1e6:>8.2f} "
              f"{r['peak_bytes'] / r['bytes']:>9.4f} {r['seconds']:>6}")


if __name__ == "__main__":
    main(sys.argv[1:])
