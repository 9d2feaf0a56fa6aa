"""SIGKILL in the other phases than a load's write: while a release is created (its suppression
pattern and checksum stored) or published, while a questionnaire load is written, while
``ilms restore`` copies a backup. Each leaves the database exactly as before, and the next run of
the same command succeeds.

Real ``ilms`` subprocesses on SQLite and PostgreSQL, killed at a named point inside their open
transaction (``ilms.crashpoints``: ``ILMS_PAUSE_AT`` / ``ILMS_PAUSE_MARKER``). ``pg_restore`` is
another program: there the kill comes while it waits on a lock this test holds, part-way through
its single transaction, and takes the whole process group (a machine or container going down)."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import text

from ilms.store import releases
from ilms.store.db import make_engine

from ..collect.hostile.corpus import questionnaire_template
from .durability import ILMS, demo_rows, dump, ilms_env, run_ilms, sqlite_logical, write_ilostat


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("phases")
    rows = demo_rows(3000)
    return {"first": write_ilostat(folder / "first.csv", rows[:1500]),
            "second": write_ilostat(folder / "second.csv", rows, scale=1.3),
            "questionnaire": questionnaire_template(folder)}


def _start(url: str, args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([*ILMS, *args], env=ilms_env(url, **env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def _kill_at(url: str, point: str, args: list[str], tmp_path) -> None:
    """Run ``ilms ARGS``, SIGKILL it once it reaches ``point`` (its marker file appears)."""
    marker = tmp_path / f"reached-{point.replace(':', '-')}"
    marker.unlink(missing_ok=True)
    proc = _start(url, args, {"ILMS_PAUSE_AT": point, "ILMS_PAUSE_MARKER": str(marker)})
    try:
        deadline = time.monotonic() + 180
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), f"ilms {' '.join(args)} never reached {point}: " \
                                f"{proc.returncode} {proc.stderr.read()[-2000:] if proc.poll() is not None else ''}"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"it ended by itself ({proc.returncode})"


class Snapshot:
    """Every row of every table (and on SQLite, its own full SQL dump)."""

    def __init__(self, url: str, backend: str):
        engine = make_engine(url)
        try:
            self.rows = dump(engine)
            self.logical = sqlite_logical(engine) if backend == "sqlite" else None
        finally:
            engine.dispose()


def _same_after(url: str, backend: str, before: Snapshot) -> None:
    after = Snapshot(url, backend)
    assert after.rows == before.rows                    # every row of every table, as before
    assert after.logical == before.logical              # SQLite: its own dump, text for text
    if backend == "sqlite":
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        finally:
            engine.dispose()


def _release(url: str, name: str):
    """The release (or None) and, if it exists, its checksum verified: (matches, stored, recomputed)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = releases.get(conn, name)
            return found, releases.verify(conn, name) if found else None
    finally:
        engine.dispose()


def test_killed_while_a_release_is_created(database_url, backend, files, tmp_path):
    run_ilms(database_url, "load", "--no-check", str(files["first"]))
    before = Snapshot(database_url, backend)
    _kill_at(database_url, "release:checksummed", ["release", "create", "r-1"], tmp_path)
    _same_after(database_url, backend, before)
    assert _release(database_url, "r-1")[0] is None
    run_ilms(database_url, "release", "create", "r-1")
    found, (matches, stored, _) = _release(database_url, "r-1")
    assert found is not None and not found.published and matches and len(stored) == 64


def test_killed_while_a_release_is_published(database_url, backend, files, tmp_path):
    run_ilms(database_url, "load", "--no-check", str(files["first"]))
    run_ilms(database_url, "release", "create", "r-1")
    before = Snapshot(database_url, backend)
    _kill_at(database_url, "release:published", ["release", "publish", "--no-downloads", "r-1"], tmp_path)
    _same_after(database_url, backend, before)
    assert not _release(database_url, "r-1")[0].published
    done = run_ilms(database_url, "release", "publish", "--no-downloads", "r-1")
    assert "published release r-1" in done.stdout
    found, (matches, _, _) = _release(database_url, "r-1")
    assert found.published and matches


def test_killed_while_a_questionnaire_is_loaded(database_url, backend, files, tmp_path):
    run_ilms(database_url, "load", "--no-check", str(files["first"]))
    before = Snapshot(database_url, backend)
    _kill_at(database_url, "load:written", ["load", str(files["questionnaire"])], tmp_path)
    _same_after(database_url, backend, before)
    done = run_ilms(database_url, "load", str(files["questionnaire"]))
    assert "1 added" in done.stdout
    assert Snapshot(database_url, backend).rows["observation"] != before.rows["observation"]


def _pg_restore_waiting(url: str, timeout: float = 120) -> None:
    engine = make_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                waiting = conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_restore' "
                    "AND datname = current_database() AND wait_event_type = 'Lock'")).scalar()
            if waiting:
                return
            time.sleep(0.1)
        raise AssertionError("pg_restore never waited on the lock held by the test")
    finally:
        engine.dispose()


def _pg_restore_gone(url: str, timeout: float = 60) -> None:
    engine = make_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if not conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                         "'pg_restore' AND datname = current_database()")).scalar():
                    return
            time.sleep(0.1)
        raise AssertionError("the killed pg_restore's session is still there")
    finally:
        engine.dispose()


def test_killed_while_a_backup_is_restored(database_url, backend, files, tmp_path):
    run_ilms(database_url, "load", "--no-check", str(files["first"]))
    run_ilms(database_url, "release", "create", "r-1")
    target = tmp_path / "ilms.backup"
    run_ilms(database_url, "backup", str(target))
    backed_up = Snapshot(database_url, backend)
    run_ilms(database_url, "load", "--no-check", str(files["second"]))      # what the restore would undo
    before = Snapshot(database_url, backend)
    assert before.rows != backed_up.rows
    args = ["restore", "--replace", str(target)]
    if backend == "sqlite":
        from ilms.store.backup import RESTORE_STEP_PAGES
        assert target.stat().st_size > 2 * RESTORE_STEP_PAGES * 4096, "a restore of several steps"
        _kill_at(database_url, "restore:copying", args, tmp_path)
    else:
        blocker = make_engine(database_url)
        try:
            with blocker.connect() as conn:
                tx = conn.begin()
                conn.execute(text("SELECT count(*) FROM observation")).scalar()   # holds ACCESS SHARE
                proc = _start(database_url, args, {})
                try:
                    _pg_restore_waiting(database_url)
                    os.killpg(proc.pid, signal.SIGKILL)              # ilms and its pg_restore
                    proc.wait(timeout=30)
                finally:
                    if proc.poll() is None:
                        os.killpg(proc.pid, signal.SIGKILL)
                        proc.wait()
                tx.rollback()                                        # the dead session may go on, then end
            assert proc.returncode == -signal.SIGKILL
        finally:
            blocker.dispose()
        _pg_restore_gone(database_url)
    _same_after(database_url, backend, before)
    run_ilms(database_url, *args)                                # the next restore succeeds
    restored = Snapshot(database_url, backend)
    assert restored.rows == backed_up.rows
    assert _release(database_url, "r-1")[1][0]
