"""A database at each earlier schema revision, holding data, upgrades with ``ilms db upgrade`` and
keeps every value of every row (new columns aside)."""
from __future__ import annotations

import os

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import MetaData, inspect, select

from ilms.cli import main
from ilms.collect.load import load_file
from ilms.store import migrate, read, releases
from ilms.store.db import make_engine
from ilms.store.schema import metadata

from .durability import blank_database, demo_rows, write_ilostat

PG_URL = os.environ.get("ILMS_TEST_POSTGRES_URL")
EARLIER = ["0001", "0002", "0003", "0006"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("migrations")
    rows = demo_rows(900)
    return write_ilostat(folder / "v1.csv", rows[:600]), write_ilostat(folder / "v2.csv", rows, scale=1.3)


def _rows(engine) -> dict[str, list[dict]]:
    md = MetaData()
    md.reflect(engine)
    with engine.connect() as conn:
        return {t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key.columns or t.c))]
                for t in md.sorted_tables if t.name != "alembic_version"}


def _as_before_disclosure_control(monkeypatch):
    """The data of an older database are written by today's code with what came in 0005 switched off:
    releases had no suppression pattern (no create hook, no audit on publish, nothing to mask)."""
    monkeypatch.setattr(releases, "CREATE_HOOKS", [])
    monkeypatch.setattr(releases, "PUBLISH_CHECKS", [])
    monkeypatch.setattr(read, "suppressed_column", lambda conn, cut: None)


@pytest.mark.parametrize("revision", EARLIER)
def test_an_older_database_upgrades_and_keeps_every_value(revision, backend, files, tmp_path, monkeypatch):
    url, drop = blank_database(backend, tmp_path, PG_URL)
    if revision < "0005":
        _as_before_disclosure_control(monkeypatch)
    engine = make_engine(url)
    try:
        migrate.upgrade(engine, revision)
        assert migrate.current(engine) == revision
        v1, v2 = files
        load_file(engine, v1, by="ana", check=False)           # the changeset report column came in 0003
        with engine.begin() as conn:
            releases.create(conn, "old-1", by="cur")
        load_file(engine, v2, by="ana", check=False)            # second versions of 600 cells
        with engine.begin() as conn:
            releases.create(conn, "old-2", by="cur")
            if revision >= "0002":                              # publish hooks touch submissions (0002)
                releases.publish(conn, "old-2", by="cur")
        before = _rows(engine)
        assert len(before["observation"]) == 900 + 600
        engine.dispose()
        monkeypatch.undo()                                      # from here on, today's code whole

        result = CliRunner().invoke(main, ["db", "upgrade"], env={"ILMS_DATABASE_URL": url}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        after = _rows(engine)
        assert migrate.current(engine) == ScriptDirectory.from_config(migrate.alembic_config(engine)).get_current_head()
        for table, rows in before.items():
            kept = [{k: row[k] for k in rows[0]} for row in after[table]] if rows else after[table]
            assert kept == rows, table
        with engine.connect() as conn:
            for r in releases.all_releases(conn):
                assert releases.verify(conn, r.name)[0], r.name
    finally:
        engine.dispose()
        drop()


def _declared_indexes(dialect: str) -> dict[str, set[str]]:
    """The index names ``schema.py`` declares for ``dialect`` (an index with ``ddl_if`` only there)."""
    out: dict[str, set[str]] = {}
    for table in metadata.sorted_tables:
        out[table.name] = {ix.name for ix in table.indexes
                           if getattr(ix, "_ddl_if", None) is None or ix._ddl_if.dialect in (None, dialect)}
    return out


def test_the_migrations_create_the_indexes_the_schema_declares(backend, tmp_path):
    url, drop = blank_database(backend, tmp_path, PG_URL)
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        found = inspect(engine)
        # (PostgreSQL also lists the index behind each UNIQUE constraint: those are constraints here)
        created = {t: {ix["name"] for ix in found.get_indexes(t) if "duplicates_constraint" not in ix}
                   for t in found.get_table_names() if t != "alembic_version"}
        assert created == _declared_indexes(backend)
    finally:
        engine.dispose()
        drop()


def _declared_collations(dialect) -> dict[tuple[str, str], str | None]:
    """(table, column) -> the collation ``schema.py`` declares for ``dialect`` (None: the database's)."""
    return {(table.name, column.name): getattr(column.type.dialect_impl(dialect), "collation", None)
            for table in metadata.sorted_tables for column in table.columns}


def test_the_migrations_give_the_columns_the_collation_the_schema_declares(backend, tmp_path):
    url, drop = blank_database(backend, tmp_path, PG_URL)
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        found = inspect(engine)
        created = {(t, c["name"]): getattr(c["type"], "collation", None)
                   for t in found.get_table_names() if t != "alembic_version" for c in found.get_columns(t)}
        declared = _declared_collations(engine.dialect)
        assert created == declared
        if backend == "postgresql":          # the store's byte order (read._ordered) is the columns' own
            assert declared[("series", "series_key")] == declared[("observation", "time_period")] == "C"
    finally:
        engine.dispose()
        drop()
