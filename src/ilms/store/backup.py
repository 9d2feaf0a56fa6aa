"""Backup and restore of the whole database, online.

* SQLite: the backup API of SQLite itself (``sqlite3.Connection.backup``), in one step, so the copy
  is one consistent snapshot even while loads and readers run (WAL mode: readers and the backup
  do not block writers). The copy is written next to the target and renamed into place only once
  ``PRAGMA integrity_check`` passed on it: a crash never leaves half a backup under the name asked.
* PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot of the database, online) and
  ``pg_restore --single-transaction`` (all or nothing). The client tools must be at least as new as
  the server (``pg_dump`` refuses a newer server); this is checked first and said plainly.

A backup file says which backend it is for by its first bytes ("SQLite format 3", "PGDMP"); a
restore refuses a file of the other backend, and refuses to overwrite a database that holds data
unless asked to (``replace=True``).
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from .. import crashpoints
from .db import backend, is_empty

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    backend: str
    size: int
    revision: str | None


def file_backend(path: Path) -> str:
    """``sqlite`` or ``postgresql``: what a backup file holds, from its first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"{path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path}: not an ILMS backup (neither an SQLite database nor a pg_dump custom-format archive)")


def backup(engine: Engine, target: str | os.PathLike) -> BackupInfo:
    """Write a consistent copy of the database to ``target`` (replaced only when complete)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if backend(engine) == "sqlite":
            _sqlite_backup(_sqlite_path(engine), partial)
        elif backend(engine) == "postgresql":
            _pg_dump(engine.url, partial)
        else:
            raise BackupError(f"backup of a {backend(engine)} database is not supported")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    from .migrate import current
    return BackupInfo(target, backend(engine), target.stat().st_size, current(engine))


def restore(engine: Engine, source: str | os.PathLike, *, replace: bool = False) -> BackupInfo:
    """Replace the database's whole content with the backup ``source`` (all or nothing)."""
    source = Path(source)
    kind = file_backend(source)
    if kind != backend(engine):
        raise BackupError(f"{source}: a {kind} backup cannot be restored into a {backend(engine)} database")
    if not replace and not is_empty(engine):
        raise BackupError("the database holds observations: restoring would replace them "
                          "(say so with --replace, after a backup of it)")
    if kind == "sqlite":
        _check_sqlite_file(source)
        engine.dispose()
        _sqlite_restore(source, _sqlite_path(engine))
    else:
        engine.dispose()
        _pg_restore(engine.url, source)
    from .migrate import current
    return BackupInfo(source, kind, source.stat().st_size, current(engine))


# --- SQLite --------------------------------------------------------------------------------------

def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _sqlite_backup(source: Path, dest: Path) -> None:
    if not source.exists():
        raise BackupError(f"{source}: no such database")
    src = sqlite3.connect(source, timeout=30)
    out = sqlite3.connect(dest)
    try:
        src.backup(out)                  # pages=-1: one step, one snapshot
    finally:
        src.close()
    try:
        out.execute("PRAGMA journal_mode = DELETE")     # a self-contained file: no -wal beside it
        _integrity(out, dest)
    finally:
        out.close()


def _check_sqlite_file(path: Path) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _integrity(con, path)
        has_schema = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
    finally:
        con.close()
    if not has_schema:
        raise BackupError(f"{path}: an SQLite database, but not an ILMS one (no schema revision)")


def _integrity(con: sqlite3.Connection, path: Path) -> None:
    try:
        result = con.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: {exc}") from None
    if result != [("ok",)]:
        raise BackupError(f"{path}: failed the integrity check: {'; '.join(r[0] for r in result[:5])}")


#: pages copied per step of a restore (the copy is one write transaction on the live database,
#: committed when the last step is done)
RESTORE_STEP_PAGES = 32


def _restore_progress(_status: int, remaining: int, _total: int) -> None:
    if remaining > 0:
        crashpoints.pause("restore:copying")


def _sqlite_restore(source: Path, dest: Path) -> None:
    """Copy ``source`` over the live database with the backup API: writers wait (busy timeout),
    readers see the old content or the new, never a mix."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    out = sqlite3.connect(dest, timeout=30)
    out.execute("PRAGMA busy_timeout = 30000")
    try:
        src.backup(out, pages=RESTORE_STEP_PAGES, progress=_restore_progress)
        _integrity(out, dest)
    finally:
        src.close()
        out.close()


# --- PostgreSQL ----------------------------------------------------------------------------------

def _libpq_env(url: URL) -> dict[str, str]:
    """Connection settings for the client tools, in their environment (a password never goes on
    a command line, where ``ps`` would show it)."""
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools "
                          "(Debian: postgresql-client) of the server's major version")
    return found


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not match:
        raise BackupError(f"cannot read a version in {version_text!r}")
    return int(match.group(1))


def client_server_versions(url: URL) -> tuple[int, int]:
    """(major version of pg_dump, major version of the server)."""
    client = subprocess.run([_tool("pg_dump"), "--version"], capture_output=True, text=True, check=True).stdout
    from .db import make_engine
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            server = conn.execute(text("SHOW server_version")).scalar()
    finally:
        engine.dispose()
    return _major(client.partition(")")[2] or client), _major(server)


def _check_versions(url: URL) -> None:
    client, server = client_server_versions(url)
    if client < server:
        raise BackupError(f"pg_dump {client} is older than the server ({server}): "
                          f"install the PostgreSQL {server} client tools")


def _run(args: list[str], url: URL, what: str) -> None:
    done = subprocess.run(args, env=_libpq_env(url), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


def _pg_dump(url: URL, dest: Path) -> None:
    _check_versions(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dest}"], url, "pg_dump")


def _pg_restore(url: URL, source: Path) -> None:
    _check_versions(url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={url.database}", str(source)],
         url, "pg_restore")
