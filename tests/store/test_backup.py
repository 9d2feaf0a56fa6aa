"""``ilms backup`` / ``ilms restore``: an online, consistent copy, restored row for row."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from click.testing import CliRunner

from ilms.cli import main
from ilms.collect.load import load_file
from ilms.store import releases
from ilms.store.backup import BackupError, backup, file_backend, restore
from ilms.store.db import make_engine

from .durability import ILMS, blank_database, demo_rows, dump, ilms_env, write_ilostat

PG_URL = os.environ.get("ILMS_TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup")
    rows = demo_rows(3000)
    return {"v1": write_ilostat(folder / "v1.csv", rows[:1200]),
            "v2": write_ilostat(folder / "v2.csv", rows[:2000], scale=1.1),
            "big": write_ilostat(folder / "big.csv", rows, scale=1.2)}


def _history(engine, files) -> None:
    """Two loads (so cells have two versions), two releases (one published)."""
    load_file(engine, files["v1"], by="ana", check=False)
    with engine.begin() as conn:
        releases.create(conn, "r-1", by="cur")
        releases.publish(conn, "r-1", by="cur")
    load_file(engine, files["v2"], by="ana")
    with engine.begin() as conn:
        releases.create(conn, "r-2", by="cur")


def _invoke(url: str, *args: str):
    return CliRunner().invoke(main, list(args), env={"ILMS_DATABASE_URL": url}, catch_exceptions=False)


def test_backup_taken_during_a_load_restores_every_row_version_and_checksum(database_url, backend, files,
                                                                          tmp_path):
    engine = make_engine(database_url)
    _history(engine, files)
    before = dump(engine)
    assert {r[1] for r in before["release"]} == {"r-1", "r-2"}
    # a load is writing (uncommitted) while the backup runs: the backup has the committed state only
    proc = subprocess.Popen([*ILMS, "load", "--no-check", str(files["big"])],
                            env=ilms_env(database_url, ILMS_PROGRESS="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        buffer = b""
        while b"obs" not in buffer and proc.poll() is None:
            buffer += os.read(proc.stderr.fileno(), 1024)
        target = tmp_path / "ilms.backup"
        result = _invoke(database_url, "backup", str(target))
        assert result.exit_code == 0, result.output
        assert f"to {target}" in result.output
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    engine.dispose()
    assert file_backend(target) == backend

    url, drop = blank_database(backend, tmp_path, PG_URL)
    try:
        result = _invoke(url, "restore", str(target))
        assert result.exit_code == 0, result.output
        restored = make_engine(url)
        try:
            assert dump(restored) == before            # every observation, every version, every release
            with restored.connect() as conn:
                for r in releases.all_releases(conn):
                    assert releases.verify(conn, r.name)[0], r.name
            # restoring over data needs --replace
            again = _invoke(url, "restore", str(target))
            assert again.exit_code == 1 and "--replace" in again.output
            assert _invoke(url, "restore", "--replace", str(target)).exit_code == 0
            assert dump(restored) == before
        finally:
            restored.dispose()
    finally:
        drop()


def test_restore_refuses_what_is_not_a_backup_of_this_backend(engine, backend, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"PK\x03\x04 not a backup")
    with pytest.raises(BackupError, match="not an ILMS backup"):
        restore(engine, junk)
    other = tmp_path / "other.backup"
    other.write_bytes(b"PGDMP" if backend == "sqlite" else b"SQLite format 3\x00")
    with pytest.raises(BackupError, match="cannot be restored into"):
        restore(engine, other)
    assert not (tmp_path / ".x.partial").exists()


def test_sqlite_restore_refuses_a_damaged_backup_and_leaves_the_database(sqlite_engine, tmp_path, files):
    load_file(sqlite_engine, files["v1"], by="ana", check=False)
    target = tmp_path / "good.backup"
    backup(sqlite_engine, target)
    before = dump(sqlite_engine)
    damaged = tmp_path / "damaged.backup"
    data = bytearray(target.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\xff" * 4096     # a page of garbage
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        restore(sqlite_engine, damaged, replace=True)
    assert dump(sqlite_engine) == before
