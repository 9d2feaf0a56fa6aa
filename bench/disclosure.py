"""Benchmark: statistical disclosure control of the demo release, and how its cost grows.

    .venv/bin/python bench/disclosure.py [--url URL_OF_A_DEMO_DATABASE] [--extra 0,250,1000]

Without ``--url`` it builds the demo (seed 1) in a scratch SQLite file first (~30 s). For the demo
release it prints: the confidential cells, how many the public can recover today without the
pattern, the secondary cells, the information lost (cells and share of the published value), and
the time of the suppression and of the audit. With ``--extra``, it then flags that many more cells
confidential (random, seeded; additive tables only), creates a release and measures again -- inside
a transaction that is rolled back, so the database is left as it was.

Not a test: prints figures for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time

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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", help="a database holding the demo release (default: build one)")
    p.add_argument("--extra", default="", help="comma-separated numbers of extra confidential cells to try")
    args = p.parse_args()
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
