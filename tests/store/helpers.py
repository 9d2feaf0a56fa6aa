"""Small builders for store tests."""
from __future__ import annotations

from sqlalchemy import func, select

from ilms.observation import Observation
from ilms.store import schema, sources


def obs15(dest: str, year: str, value: float | None, *, sex="SEX_T", source="BA_1", area="THA", **kw) -> Observation:
    """A table-15 cell (outflow for employment by destination)."""
    return Observation(15, (area, source, "_Z", sex, dest), year, value, **kw)


def with_sources(conn, *codes: str, area: str = "THA") -> None:
    sources.ensure(conn, {c: area for c in codes})


def counts(conn) -> dict[str, int]:
    """Row counts of every table in the schema: the fingerprint of 'nothing changed'."""
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in schema.metadata.sorted_tables}
