"""Which database, and how to connect to it. ``ILMS_DATABASE_URL`` chooses; SQLite is the default."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url


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


def is_empty(engine: Engine) -> bool:
    """True when the database has no observation at all (or no schema yet)."""
    from .schema import observation
    if not inspect(engine).has_table("observation"):
        return True
    with engine.connect() as conn:
        return conn.execute(observation.select().limit(1)).first() is None
