"""A load killed with SIGKILL part-way leaves the database exactly as it was; the next load works.

A real ``ilms load`` subprocess is killed once its progress bar says it has written observations
(the first batch is in the database's transaction: SQLite's WAL, PostgreSQL's table)."""
from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select as sql_select

from ilms.store.db import make_engine
from ilms.store.schema import observation

from .durability import ILMS, csv_rows, demo_rows, dump, ilms_env, run_ilms, sqlite_logical, write_ilostat

PROGRESS = re.compile(rb"(\d+)obs")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A small first load and a big second one (8,000 observations of table 1)."""
    folder = tmp_path_factory.mktemp("crash")
    rows = demo_rows(8_000)
    return {"small": write_ilostat(folder / "first.csv", rows[:1500]),
            "big": write_ilostat(folder / "big.csv", rows, scale=1.5)}


def _kill_while_writing(url: str, path) -> int:
    """Start ``ilms load PATH`` and SIGKILL it once it reports written observations; the count."""
    proc = subprocess.Popen([*ILMS, "load", str(path)], env=ilms_env(url, ILMS_PROGRESS="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen, buffer, deadline = 0, b"", time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 1.0)
            if ready:
                chunk = os.read(proc.stderr.fileno(), 4096)
                if not chunk:
                    break
                buffer += chunk
                counts = [int(n) for n in PROGRESS.findall(buffer)]
                seen = max(counts, default=0)
                if seen > 0:
                    proc.send_signal(signal.SIGKILL)
                    break
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert seen > 0, f"the load never reported progress: {buffer[-500:]!r}"
    assert proc.returncode == -signal.SIGKILL, f"the load ended by itself ({proc.returncode}) before the kill"
    return seen


def test_a_load_killed_part_way_leaves_the_database_as_it_was(database_url, backend, files):
    run_ilms(database_url, "load", str(files["small"]))
    engine = make_engine(database_url)
    before = dump(engine)
    logical = sqlite_logical(engine) if backend == "sqlite" else None
    assert len(before["observation"]) == 1500
    engine.dispose()

    written = _kill_while_writing(database_url, files["big"])
    assert 0 < written < csv_rows(files["big"])

    engine = make_engine(database_url)
    try:
        assert dump(engine) == before                      # every row of every table, as before
        if backend == "sqlite":
            assert sqlite_logical(engine) == logical       # and SQLite's own full dump, text for text
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # the next load succeeds and is complete
        done = run_ilms(database_url, "load", "--no-check", str(files["big"]))
        assert "6500 added, 1500 changed" in done.stdout
        with engine.connect() as conn:
            current = conn.execute(sql_select(func.count()).select_from(observation)
                                   .where(observation.c.valid_to.is_(None))).scalar()
        assert current == 8_000
    finally:
        engine.dispose()
