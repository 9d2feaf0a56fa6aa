"""Shared fixtures: small real databases on SQLite and PostgreSQL.

* ``engine``: a fresh, migrated, empty database for one test, on each backend (parametrised).
  SQLite copies a migrated template file; PostgreSQL empties the worker's migrated database
  with TRUNCATE. The schema is migrated once per worker and backend.
* ``conn``: a connection inside a transaction that is rolled back after the test (faster).

PostgreSQL comes from ``ILMS_TEST_POSTGRES_URL``. Without it the PostgreSQL half is skipped
with a notice; under ``CI=true`` its absence is a failure, never a skip.
"""
from __future__ import annotations

import os
import shutil
import socket
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool
from sqlalchemy.engine import make_url

from ilms.store.db import make_engine
from ilms.store.migrate import upgrade
from ilms.store.schema import metadata

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true"}
PG_URL = os.environ.get("ILMS_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]


def free_port() -> int:
    """A TCP port on the loopback that is free now (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_report_header(config):
    lines = [f"shared reference folder: {SHARED} ({'found' if SHARED.exists() else 'MISSING'})"]
    if not PG_URL:
        lines.append("NOTICE: ILMS_TEST_POSTGRES_URL is not set: PostgreSQL tests are skipped"
                     + (" -- and that FAILS under CI" if IN_CI else ""))
    return lines


def need_shared() -> Path:
    if not SHARED.exists():
        if IN_CI:
            pytest.fail(f"{SHARED} is missing")
        pytest.skip(f"{SHARED} is missing")
    return SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return need_shared()


def _worker(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


class _Templates:
    """One migrated template database per backend per worker."""

    def __init__(self, tmp: Path, worker: str):
        self.tmp, self.worker = tmp, worker
        self.sqlite_template: Path | None = None
        self.pg_template: str | None = None
        self.pg_created: list[str] = []

    def sqlite(self) -> str:
        if self.sqlite_template is None:
            path = self.tmp / "template.sqlite"
            engine = make_engine(f"sqlite:///{path}")
            upgrade(engine)
            engine.dispose()
            self.sqlite_template = path
        dest = self.tmp / f"db-{uuid.uuid4().hex[:8]}.sqlite"
        shutil.copy(self.sqlite_template, dest)
        return f"sqlite:///{dest}"

    def _admin(self):
        return make_engine(PG_URL, isolation_level="AUTOCOMMIT")

    def postgresql(self) -> str:
        """A migrated, empty database: the worker's own one, emptied with TRUNCATE (creating and
        dropping a database per test costs a checkpoint each, far slower)."""
        if not PG_URL:
            if IN_CI:
                pytest.fail("ILMS_TEST_POSTGRES_URL is not set under CI")
            pytest.skip("PostgreSQL not configured (set ILMS_TEST_POSTGRES_URL)")
        base = make_url(PG_URL)
        if self.pg_template is None:
            admin = self._admin()
            name = f"ilms_t_{self.worker}_{uuid.uuid4().hex[:6]}"
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            self.pg_created.append(name)
            engine = make_engine(base.set(database=name))
            upgrade(engine)
            engine.dispose()
            self.pg_template = name
        url = base.set(database=self.pg_template)
        engine = make_engine(url, poolclass=NullPool)
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as c:
            c.execute(text("SET LOCAL lock_timeout = '20s'"))
            c.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return url.render_as_string(hide_password=False)

    def drop_all(self):
        if not self.pg_created:
            return
        admin = self._admin()
        with admin.connect() as c:
            for name in reversed(self.pg_created):
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory, request):
    t = _Templates(tmp_path_factory.mktemp("db"), _worker(request))
    yield t
    t.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(templates, backend) -> str:
    """URL of a fresh, migrated, empty database on the parametrised backend."""
    return getattr(templates, backend)()


@pytest.fixture
def engine(database_url):
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(templates):
    """A fresh SQLite database only (for tests whose subject is not the backend)."""
    eng = make_engine(templates.sqlite())
    yield eng
    eng.dispose()


@pytest.fixture
def conn(engine):
    """A connection in a transaction rolled back after the test."""
    with engine.connect() as connection:
        tx = connection.begin()
        yield connection
        tx.rollback()


@pytest.fixture
def env_database(database_url, monkeypatch, tmp_path):
    """Point ILMS_DATABASE_URL (and the data folder) at a fresh database, for CLI and app tests."""
    monkeypatch.setenv("ILMS_DATABASE_URL", database_url)
    monkeypatch.setenv("ILMS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ILMS_ACTOR", "pytest")
    return database_url
