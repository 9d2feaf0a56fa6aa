"""Corridor rankings from the tables with a partner country, with UN DESA's figure beside them.

A corridor declaration (``indicators.yaml``, ``corridors:``) names the table, its partner
dimension and which end the reporting country is. Values are the public both-sexes cells of a
published release, summed in SQL per corridor; one source per reporting country, basis and year
(the one with most corridors, then the smallest code). UN DESA's origin-destination stock for the
same pair and year is shown beside a stock corridor where a dataset is loaded (a third source).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import Connection, func, select

from ..store.read import dimension_column, public_value, visible_at
from ..store.schema import observation, series
from ..tables import Region, structure
from . import context
from .declarations import declarations
from .indicators import _clean

NOT_PARTNERS = ("TOTAL", "X")


@dataclass(frozen=True)
class CorridorValue:
    corridor: str
    origin: str
    destination: str
    year: str
    value: float                 # thousands (the tables' unit)
    reporter: str
    source: str
    basis: str
    undesa: float | None = None  # UN DESA stock, thousands, same pair and year (stock corridors)
    mirror: float | None = None  # what the other end reports for the same pair and year (thousands)


def values(conn: Connection, corridor_id: str, cut: int, *, year: str | None = None,
           region: Region | None = None) -> list[CorridorValue]:
    c = declarations().corridors[corridor_id]
    region = region or structure().default_region
    partner = dimension_column(c.partner, c.table)
    value = public_value(cut)
    stmt = (select(series.c.ref_area, series.c.source, series.c.basis, partner, observation.c.time_period,
                   func.sum(value))
            .join(series, series.c.id == observation.c.series_id)
            .where(series.c.table_no == c.table, series.c.basis.in_(c.bases), series.c.sex == "SEX_T",
                   visible_at(cut), observation.c.deleted.is_(False), partner.notin_(NOT_PARTNERS),
                   series.c.ref_area.in_(region.all_members()))
            .group_by(series.c.ref_area, series.c.source, series.c.basis, partner, observation.c.time_period))
    if year:
        stmt = stmt.where(observation.c.time_period == year)
    rows = [r for r in conn.execute(stmt) if r[5] is not None]
    per_source: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for area, source, basis, _p, time, _v in rows:
        per_source[(area, basis, time)][source] += 1
    chosen = {k: min(s, key=lambda x: (-s[x], x)) for k, s in per_source.items()}
    out = []
    for area, source, basis, other, time, v in rows:
        if chosen[(area, basis, time)] != source or area not in region.members_in(int(time[:4])):
            continue
        origin, destination = (area, other) if c.reporter == "origin" else (other, area)
        out.append(CorridorValue(c.id, origin, destination, time, _clean(float(v)), area, source, basis))
    return out


def ranking(conn: Connection, corridor_id: str, cut: int, year: str, *, n: int = 10,
            region: Region | None = None, basis: str | None = None) -> list[CorridorValue]:
    """The ``n`` largest corridors of a year (one basis: the declaration's first unless given)."""
    c = declarations().corridors[corridor_id]
    basis = basis or c.bases[0]
    found = [v for v in values(conn, corridor_id, cut, year=year, region=region) if v.basis == basis]
    found.sort(key=lambda v: (-v.value, v.origin, v.destination))
    top = found[:n]
    if c.mirror:
        other = {(v.origin, v.destination): v.value
                 for v in values(conn, c.mirror, cut, year=year, region=region)
                 if v.basis == declarations().corridors[c.mirror].bases[0]}
        top = [replace(v, mirror=other.get((v.origin, v.destination))) for v in top]
    if c.undesa:                            # UN DESA beside (persons -> thousands)
        top = [_with_undesa(conn, v) for v in top]
    return top


def _with_undesa(conn: Connection, v: CorridorValue) -> CorridorValue:
    persons = context.corridor_stock(conn, v.origin, v.destination, int(v.year[:4]))
    return v if persons is None else replace(v, undesa=_clean(persons / 1000.0))


def latest_year(conn: Connection, corridor_id: str, cut: int, region: Region | None = None) -> str | None:
    years = sorted({v.year for v in values(conn, corridor_id, cut, region=region)})
    return years[-1] if years else None
