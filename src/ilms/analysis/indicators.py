"""Declared indicators computed from a published release, country by country.

Each term is one SQL query at the release's cut: the public values (confidential ones masked)
summed in the database by country, source, basis, the indicator's ``by`` dimensions and period.
A term whose summed codes are not all present (and public) has no value; a result needs every
term from the same source, country, basis and period. Nothing missing is ever read as zero.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from sqlalchemy import Connection, func, select

from ..store.read import dimension_column, public_value, visible_at
from ..store.schema import observation, series
from ..tables import Region, structure
from . import formulas
from .declarations import REGION_MEMBERS, Indicator, Term, declarations

#: a cell of a term: (ref_area, source, basis, by-codes of the term's key dimensions, period)
CellKey = tuple[str, str, str, tuple[str, ...], str]


@dataclass(frozen=True)
class IndicatorValue:
    """One computed value for one country, source, basis, breakdown and period."""
    indicator: str
    ref_area: str
    source: str
    basis: str
    key: tuple[tuple[str, str], ...]      # (dimension, code) of the ``by`` dimensions, in order
    time: str
    value: float | None                   # None: undefined (a zero denominator)
    terms: tuple[tuple[str, float], ...]  # the term values it came from (traceability)
    flags: tuple[str, ...] = ()           # observation statuses (CL_OBS_STATUS) of the cells it used

    def code(self, dim: str) -> str | None:
        return dict(self.key).get(dim)


def _col(dim: str, table: int):
    return dimension_column(dim, table)


def distinct_flags(conn: Connection):
    """An aggregate listing the distinct observation statuses of a group, comma-separated."""
    status = observation.c.status
    if conn.dialect.name == "postgresql":
        return func.string_agg(status.distinct(), ",")
    return func.group_concat(status.distinct())


def _flags(text: str | None) -> frozenset[str]:
    return frozenset(f for f in (text or "").split(",") if f)


def term_cells(conn: Connection, ind: Indicator, term: Term, basis: str, cut: int, region: Region,
               countries: Iterable[str] | None = None) -> dict[CellKey, tuple[float, frozenset[str]]]:
    """The term's public values, summed in SQL, by cell (see ``CellKey``), with the cells' flags."""
    key_dims = ind.key_dims(term)
    partner_dims = [d for d, codes in term.filters.items() if codes == REGION_MEMBERS]
    cols = [series.c.ref_area, series.c.source, observation.c.time_period] + \
        [_col(d, ind.table) for d in key_dims] + [_col(d, ind.table) for d in partner_dims]
    value = public_value(cut)
    stmt = (select(*cols, distinct_flags(conn), func.sum(value), func.count(value))
            .join(series, series.c.id == observation.c.series_id)
            .where(series.c.table_no == ind.table, series.c.basis == basis, visible_at(cut),
                   observation.c.deleted.is_(False)))
    if countries is not None:
        stmt = stmt.where(series.c.ref_area.in_(sorted(countries)))
    expected = 1
    for dim, codes in term.filters.items():
        column = _col(dim, ind.table)
        if codes == REGION_MEMBERS:
            stmt = stmt.where(column.in_(region.all_members()), column != series.c.ref_area)
            continue
        stmt = stmt.where(column.in_(list(codes)))
        if dim not in ind.by:
            expected *= len(codes)
    stmt = stmt.group_by(*cols)
    out: dict[CellKey, tuple[float, frozenset[str]]] = {}
    n_key = len(key_dims)
    for row in conn.execute(stmt):
        ref_area, source, time = row[0], row[1], row[2]
        codes = tuple(row[3:3 + n_key])
        partners = row[3 + n_key:3 + n_key + len(partner_dims)]
        flags, total, count = row[-3], row[-2], row[-1]
        if count == 0 or total is None:
            continue
        if partner_dims:
            year = int(time[:4])
            if any(p not in region.members_in(year) for p in partners):
                continue                # not a member that year (joined later / left)
        elif term.complete and count < expected:
            continue                    # some summed code missing or confidential: no value
        cell = (ref_area, source, basis, codes, time)
        before, seen = out.get(cell, (0.0, frozenset()))
        out[cell] = (before + float(total), seen | _flags(flags))
    return out


def _project(ind: Indicator, term: Term, cell: CellKey) -> CellKey:
    """The key of ``term``'s cell matching a result cell (without the dimensions it fixes)."""
    ref_area, source, basis, codes, time = cell
    kept = tuple(c for d, c in zip(ind.by, codes) if d not in term.fixed)
    return ref_area, source, basis, kept, time


def driver(ind: Indicator) -> Term:
    return next(t for t in ind.terms if not t.fixed)


def compute_basis(conn: Connection, ind: Indicator, basis: str, cut: int, region: Region,
                  countries: Iterable[str] | None = None) -> list[IndicatorValue]:
    cells = {t.name: term_cells(conn, ind, t, basis, cut, region, countries) for t in ind.terms}
    formula = formulas.get(ind.formula)
    out = []
    lead = driver(ind)
    for cell in sorted(cells[lead.name]):
        values = {}
        flags: frozenset[str] = frozenset()
        for t in ind.terms:
            found = cells[t.name].get(_project(ind, t, cell))
            if found is None:
                break
            values[t.name], flags = found[0], flags | found[1]
        else:
            result = formula.compute(values)
            out.append(IndicatorValue(ind.id, cell[0], cell[1], basis, tuple(zip(ind.by, cell[3])), cell[4],
                                      None if result is None else _clean(result * ind.scale),
                                      tuple(sorted((k, _clean(x)) for k, x in values.items())),
                                      tuple(sorted(flags))))
    return out


def _clean(x: float) -> float:
    """Round away binary noise (12 significant digits) so outputs are reproducible across backends."""
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.12g}")


def compute(conn: Connection, indicator_id: str, cut: int, *, region: Region | None = None,
            countries: Iterable[str] | None = None, bases: Iterable[str] | None = None) -> list[IndicatorValue]:
    """Every value of one indicator at ``cut``, each basis separately, in a stable order."""
    ind = declarations().indicator(indicator_id)
    region = region or structure().default_region
    wanted = [b for b in ind.bases if bases is None or b in set(bases)]
    return [v for b in wanted for v in compute_basis(conn, ind, b, cut, region, countries)]


def compute_all(conn: Connection, cut: int, *, region: Region | None = None,
                countries: Iterable[str] | None = None) -> Iterator[IndicatorValue]:
    for ind_id in declarations().indicators:
        yield from compute(conn, ind_id, cut, region=region, countries=countries)


def term_values(v: IndicatorValue) -> Mapping[str, float]:
    return dict(v.terms)
