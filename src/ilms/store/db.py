"""Which database, and how to connect to it. ``ILMS_DATABASE_URL`` chooses; SQLite is the default."""
from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


def data_dir() -> Path:
    """Where the embedded database and generated files live (``ILMS_DATA_DIR``, default ./data)."""
    return Path(os.environ.get("ILMS_DATA_DIR") or Path.cwd() / "data")


def database_url() -> str:
    url = os.environ.get("ILMS_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'ilms.sqlite'}"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = make_url(url or database_url())
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA busy_timeout = 30000")
    cur.close()


def backend(engine_or_conn) -> str:
    return engine_or_conn.dialect.name


#: a write of more versions than this refreshes PostgreSQL's planner statistics (``refresh_statistics``)
ANALYZE_AFTER = 100_000


def refresh_statistics(engine: Engine, written: int) -> bool:
    """After a committed write of ``written`` versions: on PostgreSQL, when it was a large one (more than
    ``ANALYZE_AFTER``), ``ANALYZE`` the tables a load grows (series, observation), so the next reads are
    planned on the new sizes at once rather than when autovacuum gets round to it (right after a
    first load of millions of rows the planner expected 3 rows of a one-country slice, not 25,200).
    SQLite is left as it is (the store runs no ANALYZE there). True if it ran."""
    if backend(engine) != "postgresql" or written <= ANALYZE_AFTER:
        return False
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE series, observation")
    except SQLAlchemyError as exc:
        # the write is committed: a failure here must not look like a failed load
        log.warning("ANALYZE after a write of %d versions failed (autovacuum will catch up): %s", written, exc)
        return False
    return True


def is_empty(engine: Engine) -> bool:
    """True when the database has no observation at all (or no schema yet)."""
    from .schema import observation
    if not inspect(engine).has_table("observation"):
        return True
    with engine.connect() as conn:
        return conn.execute(observation.select().limit(1)).first() is None


def blank_database(backend: str, folder: Path, pg_url: str | None = None,
                   prefix: str = "ilms_blank") -> tuple[str, Callable[[], None]]:
    """A new, empty database (no schema) for a test or a benchmark: its URL and a function dropping it.

    SQLite: a new file in ``folder`` (removed with the folder); PostgreSQL: ``CREATE DATABASE`` on
    the server of ``pg_url`` (any database of it, e.g. ``.../postgres``), dropped by the function."""
    tag = uuid.uuid4().hex[:10]
    if backend == "sqlite":
        return f"sqlite:///{Path(folder) / f'{prefix}-{tag}.sqlite'}", lambda: None
    if backend != "postgresql":
        raise ValueError(f"backend {backend!r}: expected sqlite or postgresql")
    if not pg_url:
        raise ValueError("a PostgreSQL database needs the URL of a server to create it on")
    name = f"{prefix}_{tag}"
    admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False), drop
