"""After a large load PostgreSQL's planner statistics are refreshed (``store.db.refresh_statistics``)."""
from __future__ import annotations

from sqlalchemy import text

from ilms.collect.load import load_file
from ilms.store import db

from .durability import demo_rows, write_ilostat


def _last_analyze(engine) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT relname, last_analyze FROM pg_stat_user_tables "
                                      "WHERE relname IN ('series', 'observation')")).all())


def test_a_load_of_more_versions_than_the_threshold_analyzes_series_and_observation(engine, backend, tmp_path,
                                                                                      monkeypatch):
    path = write_ilostat(tmp_path / "load.csv", demo_rows(900))
    monkeypatch.setattr(db, "ANALYZE_AFTER", 899)             # the same rule, at the size of a test
    if backend == "sqlite":
        assert not db.refresh_statistics(engine, 10 ** 9)    # SQLite: never
        load_file(engine, path, by="ana", check=False)
        return
    with engine.connect() as conn:
        started = conn.execute(text("SELECT clock_timestamp()")).scalar()
    assert load_file(engine, path, by="ana", check=False).summary.touched == 900
    after = _last_analyze(engine)
    assert set(after) == {"series", "observation"}
    assert all(at is not None and at >= started for at in after.values()), after
    with engine.connect() as conn:                          # the statistics see the rows just committed
        assert conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'observation'")).scalar() == 900


def test_a_small_write_leaves_the_statistics_to_autovacuum(engine):
    assert not db.refresh_statistics(engine, db.ANALYZE_AFTER)
