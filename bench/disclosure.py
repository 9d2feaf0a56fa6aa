"""Benchmark: statistical disclosure control of the demo release, and how its cost grows.

    .venv/bin/python bench/disclosure.py [--url URL_OF_A_DEMO_DATABASE] [--extra 0,250,1000]
    .venv/bin/python bench/disclosure.py --scale 0.004,0.01,0.02 [--tables 1,2,9] [--years 5] \
        [--confidential 0.005] [--backend sqlite|postgresql]

Without ``--url`` it builds the demo (seed 1) in a scratch SQLite file first (~30 s). For the demo
release it prints: the confidential cells, how many the public can recover today without the
pattern, the secondary cells, the information lost (cells and share of the published value), and
the time of the suppression and of the audit. With ``--extra``, it then flags that many more cells
confidential (random, seeded; additive tables only), creates a release and measures again -- inside
a transaction that is rolled back, so the database is left as it was.

With ``--scale``, it measures at the scale of the performance suite instead: for each scale, the
dataset of ``bench/global_scale.py`` (its ``plan`` and ``observations``; ``--tables`` restricts it,
``--years`` keeps the last N of its 30 years) is written to a scratch database with a share
``--confidential`` (0.5 %) of the cells of the tables of counts flagged confidential (status C, as
the loaders store a confidential cell; chosen by a hash of the cell, so the same at every run), a
release is created, and its suppression and audit are timed (wall and CPU), with the cells, the
secondary cells and how each component's search ended. The scratch database is deleted after.

Not a test: prints figures for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from ilms.check.arithmetic import additive_tables
from ilms.disclosure import pattern, protect
from ilms.disclosure.settings import Settings
from ilms.store import releases, write
from ilms.store.db import make_engine
from ilms.store.migrate import upgrade
from ilms.store.read import Selection, observations, visible_at
from ilms.store.schema import observation, series

DEMO = "demo-seed-1"


def published_value(conn, cut: int) -> float:
    tables = list(additive_tables())
    return float(conn.execute(select(func.sum(func.abs(observation.c.value)))
                              .join(series, series.c.id == observation.c.series_id)
                              .where(series.c.table_no.in_(tables), visible_at(cut), observation.c.deleted.is_(False),
                                     observation.c.confidential.is_(False))).scalar() or 0.0)


def measure(conn, name: str, settings: Settings) -> dict:
    found = releases.get(conn, name)
    started = time.monotonic()
    made = protect.protect_release(conn, found, settings)
    suppress_s = time.monotonic() - started
    withheld = set(pattern.cells(conn, name))
    lost = 0.0
    for table in sorted({c[0] for c in withheld}):
        for o in observations(conn, Selection(table=table, cut=found.cut), public=False):
            if o.cell() in withheld:
                lost += abs(o.value)
    started = time.monotonic()
    result = protect.audit(conn, name, settings)
    audit_s = time.monotonic() - started
    additive = set(additive_tables())
    near = sum(abs(o.value) for cl in sorted({c for _, c in protect.primaries(conn, found.cut)})
               for o in protect._cluster(conn, found.cut, cl)
               if o.table in additive and not o.confidential and o.value is not None)
    return {"primary": made.n_primary, "secondary": made.n_secondary, "lost_value": lost,
            "published_value": published_value(conn, found.cut), "cluster_value": near,
            "suppress_s": suppress_s, "audit_s": audit_s, "audit_ok": result.ok, "proofs": len(result.proofs)}


def recoverable_without_pattern(conn, name: str, settings: Settings) -> tuple[int, int]:
    """(recovered to within rounding, narrowed below the range) with no secondary cell withheld."""
    with conn.begin_nested() as nested:
        pattern.replace(conn, name, [], n_primary=0, objective="none", protection=settings.protection, seconds=0)
        result = protect.audit(conn, name, settings)
        nested.rollback()
    return sum(p.exact for p in result.proofs), len(result.failures)


def report(label: str, m: dict) -> None:
    share = m["lost_value"] / m["published_value"] if m["published_value"] else 0.0
    near = m["lost_value"] / m["cluster_value"] if m["cluster_value"] else 0.0
    print(f"{label}: {m['primary']} confidential, {m['secondary']} secondary cells; value withheld "
          f"{m['lost_value']:.3f} = {share:.2e} of the published value of the tables of counts, "
          f"{near:.3%} of that of the clusters holding a confidential cell; "
          f"suppression {m['suppress_s']:.2f} s, audit {m['audit_s']:.2f} s ({m['proofs']} proofs, "
          f"{'PASSED' if m['audit_ok'] else 'FAILED'})")


def confidential(obs, share: float) -> bool:
    """Is this cell flagged confidential in the scale run: a hash of the cell, below ``share``."""
    if obs.value is None or obs.value <= 0:
        return False
    h = zlib.crc32(f"{obs.table}|{'.'.join(obs.key)}|{obs.time}".encode())
    return h % 1_000_000 < share * 1_000_000


def scale_run(scale: float, tables, years: int, share: float, backend: str, pg_url: str) -> dict:
    """The global-scale dataset at ``scale`` with a share of confidential cells: suppression and audit."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import global_scale                                   # noqa: PLC0415 -- the performance suite's generator
    import serve                                          # noqa: PLC0415 -- its scratch PostgreSQL helpers

    from ilms.store import sources as source_store
    series = global_scale.plan(scale, tables=tables)
    kept_years = global_scale.YEARS[-years:]
    additive = set(additive_tables())
    folder = tempfile.mkdtemp(prefix="ilms-disclosure-")
    url, cleanup = serve.scratch(backend, pg_url, Path(folder))
    engine = make_engine(url)
    try:
        upgrade(engine)
        t0 = time.monotonic()
        n_obs = n_conf = 0

        def flagged():
            nonlocal n_obs, n_conf
            for t in sorted({s.table for s in series}):
                for o in global_scale.observations(series, t, kept_years, None):
                    n_obs += 1
                    if t in additive and confidential(o, share):
                        n_conf += 1
                        yield o.with_(confidential=True, status="C")
                    else:
                        yield o
        with engine.begin() as conn:
            source_store.ensure(conn, {s.key[1]: s.key[0] for s in series})
            write.write(conn, flagged(), kind="load", by="bench", reason="disclosure benchmark")
            hooks, releases.CREATE_HOOKS[:] = list(releases.CREATE_HOOKS), []
            try:
                releases.create(conn, "bench-scale", by="bench", synthetic=True)
            finally:
                releases.CREATE_HOOKS[:] = hooks
        loaded = time.monotonic() - t0
        settings = Settings.from_env()
        with engine.begin() as conn:
            found = releases.get(conn, "bench-scale")
            outcomes: list = []
            c0, w0 = time.process_time(), time.monotonic()
            made = protect.protect_release(conn, found, settings, outcomes=outcomes)
            suppress = (time.monotonic() - w0, time.process_time() - c0)
            c0, w0 = time.process_time(), time.monotonic()
            result = protect.audit(conn, "bench-scale", settings)
            audit = (time.monotonic() - w0, time.process_time() - c0)
        return {"scale": scale, "backend": backend, "observations": n_obs, "primary": made.n_primary,
                "flagged": n_conf, "secondary": made.n_secondary, "components": len(outcomes),
                "stopped": dict(Counter(o.stopped for o in outcomes)),
                "max_rounds": max((o.rounds for o in outcomes), default=0), "load_s": loaded,
                "suppress_wall_s": suppress[0], "suppress_cpu_s": suppress[1], "audit_wall_s": audit[0],
                "audit_cpu_s": audit[1], "audit_ok": result.ok, "proofs": len(result.proofs),
                "load_average": os.getloadavg()[0]}
    finally:
        engine.dispose()
        serve.drop(cleanup)
        for f in Path(folder).iterdir():
            f.unlink()
        os.rmdir(folder)


def scale_report(r: dict) -> None:
    print(f"scale {r['scale']} ({r['backend']}): {r['observations']:,} observations, {r['primary']} confidential, "
          f"{r['secondary']} secondary cells, {r['components']} components (ended: {r['stopped']}, at most "
          f"{r['max_rounds']} rounds); suppression {r['suppress_wall_s']:.1f} s wall / {r['suppress_cpu_s']:.1f} s CPU, "
          f"audit {r['audit_wall_s']:.1f} s wall / {r['audit_cpu_s']:.1f} s CPU ({r['proofs']} proofs, "
          f"{'PASSED' if r['audit_ok'] else 'FAILED'}); written in {r['load_s']:.0f} s; "
          f"load average {r['load_average']:.1f}", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", help="a database holding the demo release (default: build one)")
    p.add_argument("--extra", default="", help="comma-separated numbers of extra confidential cells to try")
    p.add_argument("--scale", default="", help="comma-separated scales of bench/global_scale.py's dataset "
                   "(1.0 = ~20 M observations); measures those instead of the demo")
    p.add_argument("--tables", default="", help="with --scale: comma-separated table numbers (default: all)")
    p.add_argument("--years", type=int, default=30, help="with --scale: the last N of the 30 years (default 30)")
    p.add_argument("--confidential", type=float, default=0.005,
                   help="with --scale: share of the cells of the tables of counts flagged confidential")
    p.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    p.add_argument("--pg-url", default=os.environ.get("ILMS_BENCH_POSTGRES_URL",
                                                      "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = p.parse_args()
    if args.scale:
        tables = tuple(int(t) for t in args.tables.split(",") if t.strip()) or None
        for scale in [float(x) for x in args.scale.split(",") if x.strip()]:
            scale_report(scale_run(scale, tables, args.years, args.confidential, args.backend, args.pg_url))
        return
    if args.url:
        engine = make_engine(args.url)
    else:
        from ilms.demo.load import load
        engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite")
        upgrade(engine)
        started = time.monotonic()
        with engine.begin() as conn:
            load(conn, 1, by="bench")
        print(f"demo loaded, protected and published in {time.monotonic() - started:.1f} s")
    settings = Settings.from_env()
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            exact, narrow = recoverable_without_pattern(conn, DEMO, settings)
            print(f"{DEMO} without secondary suppression: {exact} confidential cells recoverable to within "
                  f"rounding, {narrow} narrowed below +-{settings.protection:.0%}")
            conn.execute(releases.release.update().where(releases.release.c.name == DEMO).values(published_at=None))
            report(DEMO, measure(conn, DEMO, settings))
        finally:
            tx.rollback()
    for extra in [int(x) for x in args.extra.split(",") if x.strip()]:
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                tables = list(additive_tables())
                rows = conn.execute(select(series.c.table_no, series.c.series_key, observation.c.time_period)
                                    .join(series, series.c.id == observation.c.series_id)
                                    .where(series.c.table_no.in_(tables), visible_at(None),
                                           observation.c.confidential.is_(False), observation.c.value > 0)
                                    .order_by(series.c.table_no, series.c.series_key, observation.c.time_period)).all()
                chosen = {(int(t), tuple(k.split(".")), tp) for t, k, tp in random.Random(extra).sample(rows, extra)}
                flagged = [o.with_(confidential=True, status="C")
                           for t in sorted({c[0] for c in chosen})
                           for o in observations(conn, Selection(table=t), public=False) if o.cell() in chosen]
                write.write(conn, flagged, kind="correction", by="bench", reason="more confidential cells")
                # as a first release: the demo release published the newly flagged values already
                conn.execute(releases.release.update().where(releases.release.c.name == DEMO)
                             .values(published_at=None))
                releases.create(conn, f"bench-{extra}", by="bench")
                report(f"demo + {extra} confidential", measure(conn, f"bench-{extra}", settings))
            finally:
                tx.rollback()


if __name__ == "__main__":
    main()
