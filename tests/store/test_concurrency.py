"""Parallel processes: two loads of the same cells serialize (neither is refused, neither loses a
version) while readers keep reading and never see half a load."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

from sqlalchemy import func, select, text

from ilms.collect.load import load_into

from ilms.store.db import make_engine
from ilms.store.schema import changeset, observation

from .durability import ILMS, demo_rows, ilms_env, write_ilostat

N = 2500

READER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlalchemy import func, select
    from ilms.store.db import make_engine
    from ilms.store.schema import observation
    n, stop = int(sys.argv[1]), Path(sys.argv[2])
    engine = make_engine()
    reads, seen = 0, set()
    while not stop.exists():
        with engine.connect() as conn:
            versions = conn.execute(select(func.count()).select_from(observation)).scalar()
            current = conn.execute(select(func.count()).select_from(observation)
                                   .where(observation.c.valid_to.is_(None))).scalar()
        seen.add((versions, current))
        if versions not in (0, n, 2 * n) or current not in (0, n):
            print(f"half a load seen: {versions} versions, {current} current", flush=True)
            sys.exit(1)
        reads += 1
        time.sleep(0.02)
    print(reads, sorted(seen), flush=True)
""")


def _wait_until_blocked(engine, proc, timeout: float = 60) -> None:
    """Until ``proc`` waits for a lock (PostgreSQL says so; SQLite: once it had time to start)."""
    deadline = time.monotonic() + timeout
    if engine.dialect.name != "postgresql":
        time.sleep(2.5)
        return
    with engine.connect() as watch:
        while time.monotonic() < deadline and proc.poll() is None:
            waiting = watch.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND wait_event_type = 'Lock'")).scalar()
            watch.rollback()                 # pg_stat_activity is a snapshot per transaction
            if waiting:
                return
            time.sleep(0.1)
    raise AssertionError(f"the second load never waited for the first (it ended: {proc.poll()})")


def test_two_loads_of_the_same_cells_serialize_and_readers_never_see_half(database_url, tmp_path):
    rows = demo_rows(N)
    a = write_ilostat(tmp_path / "a.csv", rows, scale=1.0)
    b = write_ilostat(tmp_path / "b.csv", rows, scale=2.0)
    stop = tmp_path / "stop"
    env = ilms_env(database_url)
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(N), str(stop)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    # the first load (this process) writes every cell and keeps its transaction open until the
    # second (another process) is waiting to write the same cells; then it commits
    engine = make_engine(database_url)
    with engine.begin() as conn:
        load_into(conn, a, by="first", check=False)
        second = subprocess.Popen([*ILMS, "load", "--no-check", str(b)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_until_blocked(engine, second)
        assert second.poll() is None
    engine.dispose()
    loads = [second]
    outcomes = [p.communicate(timeout=240) + (p.returncode,) for p in loads]
    stop.touch()
    reads = [p.communicate(timeout=60) + (p.returncode,) for p in readers]
    for out, err, code in outcomes:
        assert code == 0, err.decode()[-2000:]           # the second load was not refused
    for out, err, code in reads:
        assert code == 0, out + err
        assert int(out.split()[0]) > 0
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            sets = conn.execute(select(changeset.c.id, changeset.c.n_added, changeset.c.n_changed)
                                .order_by(changeset.c.id)).all()
            # one load added every cell, the other (after it) changed every cell
            assert [(s.n_added, s.n_changed) for s in sets] == [(N, 0), (0, N)]
            versions = conn.execute(select(observation.c.series_id, observation.c.time_period,
                                           func.count(), func.count(observation.c.valid_to))
                                    .group_by(observation.c.series_id, observation.c.time_period)).all()
            assert len(versions) == N
            assert all(n == 2 and closed == 1 for *_, n, closed in versions)   # two versions, one current
            first, second = sets[0].id, sets[1].id
            retired = conn.execute(select(func.count()).select_from(observation)
                                   .where(observation.c.valid_from == first, observation.c.valid_to == second)).scalar()
            assert retired == N
    finally:
        engine.dispose()
