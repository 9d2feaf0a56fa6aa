"""Origin -> destination corridors from every table with a partner-country dimension, reported by
either side, and the mirror comparison of the two sides.

Which side reports is declared, not coded: ``check/agreements.yaml``'s ``mirrors:`` name the
partner dimensions of the origin's tables (RESIDENCE, DESTINATION: the country of origin reports
where its nationals live or go) and of the destination's (ORIGIN: the country of residence reports
where its migrants come from). When several sources or bases report the same corridor and period,
one figure is taken by ``public.preference()`` (and its source is named).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from sqlalchemy import Connection, func, select

from ...check.agreements import load as load_agreements
from ...tables import structure
from ..read import dimension_column
from ..schema import observation, series
from .availability import year_of
from .memo import per_cut
from .public import joined, public_status, public_value, ranked, visible

ORIGIN, DESTINATION = "origin", "destination"


@dataclass(frozen=True)
class Flow:
    table: int
    reporter: str          # ORIGIN or DESTINATION: which side's figure this is
    origin: str
    destination: str
    period: str
    value: float | None    # None: confidential
    status: str | None
    source: str
    basis: str

    @property
    def reporting_country(self) -> str:
        return self.origin if self.reporter == ORIGIN else self.destination

    @property
    def partner(self) -> str:
        return self.destination if self.reporter == ORIGIN else self.origin


@dataclass(frozen=True)
class MirrorPair:
    mirror: str             # the mirror's id in agreements.yaml
    title: str
    origin: str
    destination: str
    period: str
    origin_table: int
    origin_figure: Flow | None        # what the country of origin reports (tables 13-15)
    destination_table: int
    destination_figure: Flow | None   # what the destination reports (tables 3, 9)

    @property
    def difference(self) -> float | None:
        """Origin's figure minus destination's; None unless both are known."""
        a, b = self.origin_figure, self.destination_figure
        if a is None or b is None or a.value is None or b.value is None:
            return None
        return a.value - b.value

    @property
    def ratio(self) -> float | None:
        a, b = self.origin_figure, self.destination_figure
        if a is None or b is None or a.value is None or not b.value:
            return None
        return a.value / b.value


@lru_cache(maxsize=1)
def partner_tables() -> dict[int, tuple[str, str]]:
    """table -> (its partner dimension, which side reports it), from the declarations."""
    roles: dict[str, str] = {}
    for m in load_agreements()[1]:
        for side in m.origin_side:
            roles[side.partner] = ORIGIN
        roles[m.destination_side.partner] = DESTINATION
    out = {}
    for t in structure().tables.values():
        for d in t.own_dimensions:
            if d.codelist.id == "CL_PARTNER":
                if d.id not in roles:
                    raise ValueError(f"table {t.number}: no mirror in agreements.yaml says which side "
                                     f"reports {d.id}")
                out[t.number] = (d.id, roles[d.id])
    return out


def not_countries() -> tuple[str, ...]:
    """Partner codes that are no country (TOTAL, X, regional groups)."""
    countries = structure().codelists["CL_COUNTRY"]
    return tuple(c.id for c in structure().codelists["CL_PARTNER"] if countries.get(c.id) is None)


@per_cut
def flows(conn: Connection, cut: int, table_no: int, *, years: Iterable[str] = (), sex: str = "SEX_T",
          countries: Iterable[str] = (), basis: str | None = None) -> list[Flow]:
    """One figure per corridor and period of one partner table (``countries``: either end;
    ``basis``: that migrant basis only, and the tables that do not depend on it)."""
    if table_no not in partner_tables():
        raise KeyError(f"table {table_no} has no partner-country dimension")
    dim, reporter = partner_tables()[table_no]
    partner = dimension_column(dim, table_no)
    rank = ranked([series.c.ref_area, partner, observation.c.time_period]).label("rank")
    inner = (select(series.c.ref_area, partner.label("partner"), observation.c.time_period,
                    public_value(cut).label("value"), public_status(cut), series.c.source, series.c.basis, rank)
             .select_from(joined())
             .where(visible(cut), series.c.table_no == table_no, series.c.sex == sex, partner.not_in(not_countries())))
    if years := list(years):
        inner = inner.where(year_of(observation.c.time_period).in_(years))
    if countries := list(countries):
        inner = inner.where(series.c.ref_area.in_(countries) | partner.in_(countries))
    if basis is not None:
        inner = inner.where(series.c.basis.in_([basis, "_Z"]))
    sub = inner.subquery()
    stmt = select(sub).where(sub.c.rank == 1).order_by(sub.c.ref_area, sub.c.partner, sub.c.time_period)
    out = []
    for row in conn.execute(stmt):
        origin, destination = ((row.ref_area, row.partner) if reporter == ORIGIN else (row.partner, row.ref_area))
        out.append(Flow(table_no, reporter, origin, destination, row.time_period, row.value, row.status,
                        row.source, row.basis))
    return out


def ranking(conn: Connection, cut: int, table_no: int, year: str, *, sex: str = "SEX_T", limit: int | None = None
            ) -> list[Flow]:
    """The corridors of one table and year, largest first (confidential ones last)."""
    out = sorted(flows(conn, cut, table_no, years=[year], sex=sex),
                 key=lambda f: (f.value is None, -(f.value or 0), f.origin, f.destination))
    return out[:limit] if limit else out


@per_cut
def years(conn: Connection, cut: int, table_no: int) -> dict[str, int]:
    """The years of a partner table that hold corridor figures -> how many countries report them."""
    dim, _ = partner_tables()[table_no]
    partner = dimension_column(dim, table_no)
    yr = year_of(observation.c.time_period)
    stmt = (select(yr, func.count(func.distinct(series.c.ref_area))).select_from(joined())
            .where(visible(cut), series.c.table_no == table_no, partner.not_in(not_countries()))
            .group_by(yr).order_by(yr))
    return {r[0]: int(r[1]) for r in conn.execute(stmt)}


def best_year(counts: dict[str, int]) -> str | None:
    """The latest of the years most countries report (the default view: a recent, full year)."""
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


@per_cut
def mirror(conn: Connection, cut: int, *, years: Iterable[str] = (), countries: Iterable[str] = (),
           sex: str = "SEX_T") -> list[MirrorPair]:
    """What the origin and the destination each report for the same corridor and period, for every
    mirror declared in agreements.yaml; a corridor reported by one side only has the other None."""
    years, countries = list(years), list(countries)
    out: list[MirrorPair] = []
    for m in load_agreements()[1]:
        dest = m.destination_side.table
        theirs = {(f.origin, f.destination, f.period): f
                  for f in flows(conn, cut, dest, years=years, sex=sex, countries=countries)}
        for side in m.origin_side:
            ours = {(f.origin, f.destination, f.period): f
                    for f in flows(conn, cut, side.table, years=years, sex=sex, countries=countries)}
            for key in sorted(set(ours) | set(theirs)):
                out.append(MirrorPair(m.id, m.title, *key, side.table, ours.get(key), dest, theirs.get(key)))
    return out
