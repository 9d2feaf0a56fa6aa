"""What changed between two releases: observations added, revised and removed, by table and country.

Computed in SQL from the two cuts on the store's history (nothing is read into Python but the
counts). Compared as the public sees them: a confidential value's number is not compared (it is
never published), its flags and notes are. A cell the release's secondary suppression pattern
withholds counts as confidential in that release, like a primary one: a revision of a withheld
value is not counted (the count would tell that it changed). A cell is

* **added** when it has a value at the new cut and none at the old one;
* **removed** when it had one at the old cut and has none at the new one (deleted);
* **revised** when it has one at both and the published content differs (value, flag,
  confidentiality, notes, comment, unit multiplier, currency).

Only versions written between the two cuts can differ, so the queries touch those alone
(``valid_from`` / ``valid_to`` are indexed). The first release is compared with nothing: all
its observations are added.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Connection, and_, case, exists, func, literal, null, or_, select

from ..store.schema import disclosure_cell, observation, release, series

PAYLOAD_TEXT = ("status", "note_classif", "note_indicator", "note_source", "comment", "unit_mult", "currency")


@dataclass(frozen=True)
class Change:
    table: int
    country: str
    added: int = 0
    revised: int = 0
    removed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _visible(o, cut: int):
    return and_(o.c.valid_from <= cut, or_(o.c.valid_to.is_(None), o.c.valid_to > cut), o.c.deleted.is_(False))


def _hidden(o, cut: int):
    """Confidential as the public sees it at the release cut ``cut``: flagged, or withheld by that
    release's secondary suppression pattern."""
    withheld = exists().where(disclosure_cell.c.series_id == o.c.series_id,
                              disclosure_cell.c.time_period == o.c.time_period,
                              disclosure_cell.c.release_id.in_(select(release.c.id).where(release.c.cut == cut)))
    return case((o.c.confidential.is_(True), True), (withheld, True), else_=False)


def _public_value(o, cut: int):
    return case((_hidden(o, cut), null()), else_=o.c.value)


def _differs(new, old, new_cut: int, old_cut: int):
    parts = [_public_value(new, new_cut).is_distinct_from(_public_value(old, old_cut)),
             _hidden(new, new_cut).is_distinct_from(_hidden(old, old_cut))]
    parts += [func.coalesce(new.c[c], literal("")) != func.coalesce(old.c[c], literal("")) for c in PAYLOAD_TEXT]
    return or_(*parts)


def _same_cell(a, b):
    return and_(a.c.series_id == b.c.series_id, a.c.time_period == b.c.time_period)


def _counts(conn: Connection, stmt, which: str, into: dict) -> None:
    for table_no, country, n in conn.execute(stmt):
        key = (int(table_no), country)
        into.setdefault(key, {"added": 0, "revised": 0, "removed": 0})[which] = int(n)


def diff(conn: Connection, old_cut: int | None, new_cut: int) -> list[Change]:
    """Changes from the release cut ``old_cut`` (None: nothing) to ``new_cut``, ordered by table and country."""
    old_cut = old_cut or 0
    new, old = observation.alias("n"), observation.alias("o")
    by = (series.c.table_no, series.c.ref_area)
    found: dict[tuple[int, str], dict[str, int]] = {}

    added = (select(*by, func.count()).select_from(new.join(series, series.c.id == new.c.series_id))
             .where(_visible(new, new_cut), new.c.valid_from > old_cut,
                    ~exists().where(_same_cell(old, new), _visible(old, old_cut)))
             .group_by(*by))
    _counts(conn, added, "added", found)

    if old_cut:
        removed = (select(*by, func.count()).select_from(old.join(series, series.c.id == old.c.series_id))
                   .where(_visible(old, old_cut), old.c.valid_to.is_not(None), old.c.valid_to <= new_cut,
                          ~exists().where(_same_cell(new, old), _visible(new, new_cut)))
                   .group_by(*by))
        _counts(conn, removed, "removed", found)
        revised = (select(*by, func.count())
                   .select_from(new.join(old, _same_cell(new, old)).join(series, series.c.id == new.c.series_id))
                   .where(_visible(new, new_cut), new.c.valid_from > old_cut, _visible(old, old_cut),
                          _differs(new, old, new_cut, old_cut))
                   .group_by(*by))
        _counts(conn, revised, "revised", found)

    return [Change(t, c, **found[(t, c)]) for t, c in sorted(found)]


def totals(changes: list[Change]) -> dict[str, int]:
    return {k: sum(getattr(c, k) for c in changes) for k in ("added", "revised", "removed")}
