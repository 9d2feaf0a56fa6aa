"""A database at each earlier schema revision, holding data, upgrades with ``ilms db upgrade`` and
keeps every value of every row (new columns aside)."""
from __future__ import annotations

import os

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import MetaData, select

from ilms.cli import main
from ilms.collect.load import load_file
from ilms.store import migrate, releases
from ilms.store.db import make_engine

from .durability import blank_database, demo_rows, write_ilostat

PG_URL = os.environ.get("ILMS_TEST_POSTGRES_URL")
EARLIER = ["0001", "0002", "0003"]


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


@pytest.mark.parametrize("revision", EARLIER)
def test_an_older_database_upgrades_and_keeps_every_value(revision, backend, files, tmp_path):
    url, drop = blank_database(backend, tmp_path, PG_URL)
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
