"""Benchmark: write N observations with history, then read slices and whole tables.

    .venv/bin/python bench/store_write_read.py --n 200000 [--url postgresql+psycopg://postgres@127.0.0.1/test]

Not a test: prints timings (and peak Python memory of the read) for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import itertools
import tempfile
import time
import tracemalloc
import uuid

from sqlalchemy import text
from sqlalchemy.engine import make_url

from ilms.observation import Observation
from ilms.store import read, sources, write
from ilms.store.db import make_engine
from ilms.store.migrate import upgrade
from ilms.store.read import Selection
from ilms.tables import structure


def synthetic(n: int):
    areas = structure().default_region.all_members()
    partners = [c.id for c in structure().codelists["CL_PARTNER"]]
    years = [str(y) for y in range(1990, 2025)]
    # 294,525 cells; the countries vary before the partners so that each gets ~n/11 (the THA slice)
    cells = itertools.product(("SEX_T", "SEX_M", "SEX_F"), partners, areas, years)
    count = 0
    for count, (sex, dest, area, year) in enumerate(itertools.islice(cells, n), 1):
        i = count - 1
        yield Observation(15, (area, f"XA_{area}", "_Z", sex, dest), year, (i % 9973) / 7.0, decimals=3)
    if count < n:
        raise SystemExit(f"only {count} synthetic cells: use --n {count} or fewer")


def scratch(url: str | None):
    if not url:
        return make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"), None
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    name = f"ilms_bench_{uuid.uuid4().hex[:6]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    return make_engine(make_url(url).set(database=name)), (admin, name)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=200_000)
    p.add_argument("--url")
    args = p.parse_args()
    engine, cleanup = scratch(args.url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            sources.ensure(conn, {f"XA_{a}": a for a in structure().default_region.all_members()})
        t0 = time.perf_counter()
        with engine.begin() as conn:
            s = write.write(conn, synthetic(args.n), kind="load", by="bench")
        t_write = time.perf_counter() - t0
        t0 = time.perf_counter()
        with engine.begin() as conn:
            s2 = write.write(conn, synthetic(args.n), kind="load", by="bench")
        t_rewrite = time.perf_counter() - t0
        with engine.connect() as conn:
            t0 = time.perf_counter()
            n_slice = sum(1 for _ in read.observations(conn, Selection(table=15, filters={"REF_AREA": ("THA",)},
                                                                       start="2015", end="2024")))
            t_slice = time.perf_counter() - t0
            tracemalloc.start()
            t0 = time.perf_counter()
            n_all = sum(1 for _ in read.observations(conn, Selection(table=15)))
            t_all = time.perf_counter() - t0
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        print(f"backend {engine.dialect.name}: write {args.n} obs {t_write:.1f}s ({args.n / t_write:,.0f}/s) [{s}]; "
              f"same again {t_rewrite:.1f}s [{s2}]; slice THA 2015-2024 {n_slice} obs {t_slice * 1000:.0f} ms; "
              f"whole table {n_all} obs {t_all:.1f}s, peak Python memory {peak / 1e6:.1f} MB")
    finally:
        engine.dispose()
        if cleanup:
            admin, name = cleanup
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
