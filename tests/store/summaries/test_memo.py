"""Summaries are kept per database state: the same cut id in a database emptied and loaded again
is computed afresh."""
from __future__ import annotations

from sqlalchemy import delete, text

from ilms.store import releases, schema, sources, write
from ilms.store.summaries import memo
from ilms.store.summaries.availability import availability

from .sample import t13


def _load(engine, residences: tuple[str, ...]) -> int:
    with engine.begin() as conn:
        sources.upsert(conn, "EA_5", "MMR")
        write.write(conn, [t13(r, 10.0) for r in residences], kind="load", by="pytest")
        return releases.create(conn, "r", by="pytest").cut


def _empty(engine) -> None:
    """Empty every table and restart the ids (as the test fixtures do between tests)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in schema.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for t in reversed(schema.metadata.sorted_tables):
                conn.execute(delete(t))


def test_a_kept_summary_is_never_served_for_another_state(engine):
    cut = _load(engine, ("TOTAL", "THA"))
    with engine.connect() as conn:
        first = availability(conn, cut)
        assert availability(conn, cut) is first                    # kept
        assert availability.uncached(conn, cut) == first           # and equal to a fresh computation
    _empty(engine)
    again = _load(engine, ("TOTAL", "THA", "MYS"))
    assert again == cut                                            # the same changeset id, other data
    with engine.connect() as conn:
        assert availability(conn, again).cell("MMR", 13, "2020").observations == 3
    assert first.cell("MMR", 13, "2020").observations == 2


def test_clear_forgets_everything(engine):
    cut = _load(engine, ("TOTAL",))
    with engine.connect() as conn:
        a = availability(conn, cut)
        memo.clear()
        assert availability(conn, cut) is not a
