"""Versions inserted in bulk (``store.write._insert_version_tuples``: a binary COPY on PostgreSQL,
the driver's executemany on SQLite) are stored exactly as SQLAlchemy's own insert stores them:
awkward floats (the shortest texts, subnormals, -0.0, the largest), empty and non-ASCII notes,
missing values and decimals."""
from __future__ import annotations

import random

from sqlalchemy import select

from ilms.store import sources
from ilms.store.changesets import open_changeset
from ilms.store.schema import observation
from ilms.store.write import _VERSION_COLUMNS, _insert_version_tuples, series_ids, series_key, series_row

FLOATS = [0.0, -0.0, 0.1, 1 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -123456.789,
          1e16, 4632.4, 2219.232, 0.30000000000000004]
NOTES = [None, "R1:3513", "T2:85_R1:3513", "é – ✓ 迁移", "a\ttab", "quote \" and \\ backslash"]


def _versions(rng: random.Random, series_id: int, changeset_id: int, n: int) -> list[tuple]:
    rows = []
    for i in range(n):
        value = rng.choice(FLOATS + [None, rng.uniform(-1e6, 1e6), rng.random() * 10 ** rng.randint(-300, 300)])
        rows.append((series_id, str(1900 + i), value, rng.choice([None, "E", "C"]), rng.random() < 0.3,
                     rng.choice(NOTES), rng.choice(NOTES), rng.choice(NOTES), rng.choice(NOTES), rng.choice(["0", "3"]),
                     rng.choice([None, "USD"]), rng.choice([None, 0, 1, 3, 32767]), f"f.csv:{i}", False,
                     changeset_id, None))
    return rows


def test_versions_inserted_in_bulk_are_stored_as_the_orm_stores_them(engine):
    rng = random.Random(5)
    keys = [("FRA", "BA_1", "CIT", "SEX_T", "AGE_10YRBANDS_TOTAL", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL"),
            ("FRA", "BA_1", "CIT", "SEX_F", "AGE_10YRBANDS_TOTAL", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL")]
    with engine.begin() as conn:
        changeset_id = open_changeset(conn, "load", "pytest")
        sources.ensure(conn, {"BA_1": "FRA"})
        ids = series_ids(conn, {(1, series_key(k)): series_row(1, k) for k in keys})
        bulk, orm = (ids[(1, series_key(k))] for k in keys)
        rows = _versions(rng, bulk, changeset_id, 300)
        _insert_version_tuples(conn, rows)
        conn.execute(observation.insert(), [dict(zip(_VERSION_COLUMNS, (orm, *r[1:]))) for r in rows])
    columns = [observation.c[c] for c in _VERSION_COLUMNS[1:]]
    with engine.connect() as conn:
        stored = {sid: conn.execute(select(*columns).where(observation.c.series_id == sid)
                                    .order_by(observation.c.id)).all() for sid in (bulk, orm)}
    assert len(stored[bulk]) == 300
    assert stored[bulk] == stored[orm]
    assert [r[1] for r in stored[bulk]] == [r[2] for r in rows]      # every float exactly
