"""A country's figures for its profile: each figure is a declared cell of a table (``FIGURES``),
ratios of two cells (``RATIOS``), distributions over a table's classification and the partner
countries of the partner tables. All are read from the published state in SQL; when several
sources or bases report a figure for a period, one is taken by ``public.preference()`` and named.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from sqlalchemy import Connection, and_, case, func, select, true

from ...tables import structure
from ..read import dimension_column
from ..schema import observation, series, source
from .corridors import flows, partner_tables
from .memo import per_cut
from .public import joined, preference, public_status, public_value, ranked, visible


@dataclass(frozen=True)
class Figure:
    """One cell of a table, per country, sex and period (e.g. working-age migrants: table 3, TOTAL)."""
    id: str
    label: str
    table: int
    codes: Mapping[str, str]


@dataclass(frozen=True)
class Ratio:
    """``numerator / denominator``: two codes of one dimension, the other codes fixed, same source."""
    id: str
    label: str
    table: int
    codes: Mapping[str, str]
    dimension: str
    numerator: str
    denominator: str


def N_(text: str) -> str:
    """Marks interface text for the portal's catalogue (``make messages``); pages translate it."""
    return text


FIGURES = {f.id: f for f in (
    Figure("stock", N_("Working-age migrants"), 3, {"ORIGIN": "TOTAL"}),
    Figure("employed_migrants", N_("Employed migrants"), 4, {"ORIGIN": "TOTAL"}),
    Figure("inflows", N_("Inflows of working-age migrants"), 9, {"ORIGIN": "TOTAL"}),
    Figure("nationals_abroad", N_("Nationals abroad"), 13, {"RESIDENCE": "TOTAL"}),
    Figure("outflows", N_("Outflow of nationals"), 14, {"DESTINATION": "TOTAL"}),
    Figure("outflows_employment", N_("Outflow of nationals for employment"), 15, {"DESTINATION": "TOTAL"}),
)}

RATIOS = {r.id: r for r in (
    Ratio("employment_share", N_("Migrants' share of employment"), 5, {"ECO": "ECO_ISIC4_TOTAL"}, "MIG",
          "MIG_STATUS_MIGRANT", "MIG_STATUS_TOTAL"),
    Ratio("wage_ratio", N_("Migrants' average wage relative to non-migrants'"), 8, {}, "MIG",
          "MIG_STATUS_MIGRANT", "MIG_STATUS_NONMIG"),
)}

NOT_APPLICABLE = "_Z"
#: the tables whose classification a profile shows for migrants (sector, occupation, status)
DISTRIBUTIONS = (5, 6, 7)
#: partner tables a profile ranks (where migrants come from, where nationals live and go)
PARTNERS = (3, 9, 13, 15)


@dataclass(frozen=True)
class Point:
    period: str
    value: float | None          # None: confidential (or, for a ratio, a part is)
    source: str
    basis: str
    status: str | None = None
    notes: tuple[str, ...] = ()  # ILOSTAT note codes of the cell (source, indicator, classification)
    parts: tuple[float | None, float | None] | None = None   # a ratio's numerator and denominator


def _check(table_no: int, codes: Mapping[str, str]):
    table = structure().table(table_no)
    for dim, code in codes.items():
        if code not in table.dimension(dim).codelist:
            raise KeyError(f"{code} is not a code of {dim} in table {table_no}")
    return table


def basis_filter(basis: str | None):
    """Only ``basis`` (and the tables that do not depend on it, basis _Z); None: every basis."""
    return true() if basis is None else series.c.basis.in_([basis, NOT_APPLICABLE])


def _where(cut, area, table_no, sex, codes, basis=None):
    return and_(visible(cut), series.c.table_no == table_no, series.c.ref_area == area, series.c.sex == sex,
                basis_filter(basis),
                *(dimension_column(d, table_no) == c for d, c in codes.items()))


def figure(conn: Connection, cut: int, area: str, fig: Figure | str, *, sex: str = "SEX_T",
           basis: str | None = None) -> list[Point]:
    """The figure for each period, from the preferred source and basis."""
    fig = FIGURES[fig] if isinstance(fig, str) else fig
    _check(fig.table, fig.codes)
    rank = ranked([observation.c.time_period]).label("rank")
    inner = (select(observation.c.time_period, public_value(cut).label("value"), public_status(cut),
                    observation.c.note_source, observation.c.note_indicator, observation.c.note_classif,
                    series.c.source, series.c.basis, rank)
             .select_from(joined()).where(_where(cut, area, fig.table, sex, fig.codes, basis))).subquery()
    rows = conn.execute(select(inner).where(inner.c.rank == 1).order_by(inner.c.time_period))
    return [Point(r.time_period, r.value, r.source, r.basis, r.status,
                  tuple(n for n in (r.note_source, r.note_indicator, r.note_classif) if n)) for r in rows]


def ratio(conn: Connection, cut: int, area: str, r: Ratio | str, *, sex: str = "SEX_T",
          basis: str | None = None) -> list[Point]:
    """numerator / denominator per period, both from the same (preferred) source and basis."""
    r = RATIOS[r] if isinstance(r, str) else r
    _check(r.table, {**r.codes, r.dimension: r.numerator})
    _check(r.table, {r.dimension: r.denominator})
    col = dimension_column(r.dimension, r.table)
    value = public_value(cut)
    num = func.max(_when(col == r.numerator, value)).label("num")
    den = func.max(_when(col == r.denominator, value)).label("den")
    group = (observation.c.time_period, series.c.source, series.c.basis, source.c.type)
    rank = ranked([observation.c.time_period]).label("rank")
    inner = (select(*group, num, den, rank).select_from(joined())
             .where(_where(cut, area, r.table, sex, r.codes, basis), col.in_([r.numerator, r.denominator]))
             .group_by(*group)
             # both parts present: a source reporting only one of them is no ratio
             .having(func.count(func.distinct(col)) == 2)).subquery()
    rows = conn.execute(select(inner).where(inner.c.rank == 1).order_by(inner.c.time_period))
    return [Point(row.time_period, row.num / row.den if row.num is not None and row.den else None,
                  row.source, row.basis, parts=(row.num, row.den)) for row in rows]


def _when(cond, value):
    return case((cond, value), else_=None)


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    migrants: float | None
    total: float | None     # everyone (migrants and non-migrants); None when the table has no MIG


@dataclass(frozen=True)
class Distribution:
    table: int
    dimension: str
    period: str
    source: str
    basis: str
    sex: str
    rows: tuple[Share, ...]


def _classification(table_no: int) -> tuple[str, str, tuple[str, ...]]:
    """(dimension, total code, its children) of the table's first classification, from ``required``."""
    table = structure().table(table_no)
    dim = next(d for d in table.own_dimensions if d.id != "MIG" and d.codelist.id != "CL_PARTNER")
    codes = table.required[dim.id]
    return dim.id, codes[0], tuple(codes[1:])


def distribution(conn: Connection, cut: int, area: str, table_no: int, *, sex: str = "SEX_T",
                 period: str | None = None, basis: str | None = None) -> Distribution | None:
    """Migrants (and everyone) by the table's classification in the latest period (or ``period``),
    from the preferred source and basis of that period; None when there are no data."""
    table = structure().table(table_no)
    dim, total, children = _classification(table_no)
    has_mig = table.has_dimension("MIG")
    fixed = {dim: total, **({"MIG": "MIG_STATUS_MIGRANT"} if has_mig else {})}
    pick = (select(observation.c.time_period, series.c.source, series.c.basis).select_from(joined())
            .where(_where(cut, area, table_no, sex, fixed, basis)))
    if period:
        pick = pick.where(observation.c.time_period == period)
    chosen = conn.execute(pick.order_by(observation.c.time_period.desc(), *preference()).limit(1)).first()
    if chosen is None:
        return None
    col = dimension_column(dim, table_no)
    mig = dimension_column("MIG", table_no) if has_mig else None
    stmt = (select(col, *([mig] if has_mig else []), public_value(cut))
            .select_from(joined())
            .where(visible(cut), series.c.table_no == table_no, series.c.ref_area == area, series.c.sex == sex,
                   series.c.source == chosen.source, series.c.basis == chosen.basis,
                   observation.c.time_period == chosen.time_period, col.in_(children)))
    if has_mig:
        stmt = stmt.where(mig.in_(["MIG_STATUS_MIGRANT", "MIG_STATUS_TOTAL"]))
    values: dict[tuple[str, str], float | None] = {}
    for row in conn.execute(stmt):
        values[(row[0], row[1] if has_mig else "MIG_STATUS_MIGRANT")] = row[-1]
    cl = table.dimension(dim).codelist
    rows = tuple(Share(c, cl.label(c), values.get((c, "MIG_STATUS_MIGRANT")),
                       values.get((c, "MIG_STATUS_TOTAL")) if has_mig else None)
                 for c in children if (c, "MIG_STATUS_MIGRANT") in values or (c, "MIG_STATUS_TOTAL") in values)
    return Distribution(table_no, dim, chosen.time_period, chosen.source, chosen.basis, sex, rows)


@dataclass(frozen=True)
class Partners:
    """A country's partner countries in one partner table: the largest in the latest period and
    their figures in every period."""
    table: int
    period: str
    top: tuple[tuple[str, float | None], ...]                  # (partner, value) largest first
    series: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)   # partner -> period -> value
    sources: tuple[str, ...] = ()


def partners(conn: Connection, cut: int, area: str, table_no: int, *, limit: int = 10,
             sex: str = "SEX_T", basis: str | None = None) -> Partners | None:
    if table_no not in partner_tables():
        raise KeyError(f"table {table_no} has no partner-country dimension")
    mine = [f for f in flows(conn, cut, table_no, sex=sex, countries=[area], basis=basis)
            if f.reporting_country == area]
    if not mine:
        return None
    latest = max(f.period for f in mine)
    top = sorted(((f.partner, f.value) for f in mine if f.period == latest),
                 key=lambda pv: (pv[1] is None, -(pv[1] or 0), pv[0]))[:limit]
    keep = {p for p, _ in top}
    by_partner: dict[str, dict[str, float | None]] = {p: {} for p, _ in top}
    for f in mine:
        if f.partner in keep:
            by_partner[f.partner][f.period] = f.value
    return Partners(table_no, latest, tuple(top), by_partner, tuple(sorted({f.source for f in mine})))


@dataclass(frozen=True)
class Profile:
    country: str
    figures: Mapping[str, list[Point]]
    ratios: Mapping[str, list[Point]]
    distributions: tuple[Distribution, ...]
    partners: Mapping[int, Partners]

    @property
    def sources(self) -> tuple[str, ...]:
        found = {p.source for pts in (*self.figures.values(), *self.ratios.values()) for p in pts}
        found |= {d.source for d in self.distributions}
        found |= {s for p in self.partners.values() for s in p.sources}
        return tuple(sorted(found))

    @property
    def empty(self) -> bool:
        return not (any(self.figures.values()) or any(self.ratios.values()) or self.distributions or self.partners)


def latest(points: list[Point]) -> Point | None:
    """The last point with a value (a confidential last period falls back to the one before)."""
    return next((p for p in reversed(points) if p.value is not None), None)


@per_cut
def profile(conn: Connection, cut: int, area: str, *, sex: str = "SEX_T", basis: str | None = None) -> Profile:
    """Everything a profile shows; ``basis`` (BIR or CIT) keeps one migrant basis (module C, basis _Z, stays)."""
    figs = {k: figure(conn, cut, area, f, sex=sex, basis=basis) for k, f in FIGURES.items()}
    rats = {k: ratio(conn, cut, area, r, sex=sex, basis=basis) for k, r in RATIOS.items()}
    dists = tuple(d for d in (distribution(conn, cut, area, t, sex=sex, basis=basis) for t in DISTRIBUTIONS) if d)
    parts = {t: p for t in PARTNERS if (p := partners(conn, cut, area, t, sex=sex, basis=basis))}
    return Profile(area, figs, rats, dists, parts)


@per_cut
def latest_by_country(conn: Connection, cut: int, fig: Figure | str, *, sex: str = "SEX_T",
                      countries=()) -> dict[str, Point]:
    """Each country's latest public value of a figure (neither confidential nor withheld; preferred
    source and basis), in one query: the country list of the profiles."""
    fig = FIGURES[fig] if isinstance(fig, str) else fig
    _check(fig.table, fig.codes)
    rank = ranked([series.c.ref_area], by=(observation.c.time_period.desc(), *preference())).label("rank")
    value = public_value(cut)
    inner = (select(series.c.ref_area, observation.c.time_period, value.label("value"), observation.c.status,
                    series.c.source, series.c.basis, rank)
             .select_from(joined())
             .where(visible(cut), series.c.table_no == fig.table, series.c.sex == sex, value.is_not(None),
                    *(dimension_column(d, fig.table) == c for d, c in fig.codes.items())))
    if countries := list(countries):
        inner = inner.where(series.c.ref_area.in_(countries))
    sub = inner.subquery()
    return {r.ref_area: Point(r.time_period, r.value, r.source, r.basis, r.status)
            for r in conn.execute(select(sub).where(sub.c.rank == 1))}
