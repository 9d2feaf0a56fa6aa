"""Regional aggregates of the indicators and of table totals, each stating its coverage.

* An indicator's regional value (``aggregate: pooled``) sums each term over the member countries
  (members on 31 December of the year) that report *every* term for that breakdown and year, then
  applies the formula: a ratio of sums, never an average of ratios. Which countries went in and
  which did not is part of the result. One source per country and year: the one giving the most
  values (then the smallest source code), named in the coverage.
* A regional *total* (a sum of levels, e.g. the region's migrant stock) is published only when
  every member reports; otherwise its value is None and the note says which members would need
  an estimate. Nothing missing is ever counted as zero.
* Bases never mix: every value is of one basis.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from sqlalchemy import Connection, func, select

from ..store.read import dimension_column, public_value, visible_at
from ..store.schema import observation, series
from ..tables import Region, structure
from . import formulas
from .declarations import declarations
from .indicators import IndicatorValue, _clean, compute
from .vintage import AnalysisError


@dataclass(frozen=True)
class Coverage:
    members: tuple[str, ...]                  # members of the region that year
    countries: tuple[str, ...]                # those whose values went in
    sources: tuple[tuple[str, str], ...] = ()  # (country, source) used

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c for c in self.members if c not in self.countries)

    @property
    def complete(self) -> bool:
        return not self.missing

    def text(self) -> str:
        n, m = len(self.countries), len(self.members)
        out = f"{n} of {m} members ({', '.join(self.countries) or 'none'})"
        if self.missing:
            out += f"; not reporting: {', '.join(self.missing)}"
        return out

    def as_dict(self) -> dict:
        return {"members": list(self.members), "countries": list(self.countries), "missing": list(self.missing),
                "complete": self.complete, "sources": dict(self.sources)}


@dataclass(frozen=True)
class RegionalValue:
    indicator: str
    region: str
    basis: str
    key: tuple[tuple[str, str], ...]
    time: str
    value: float | None
    terms: tuple[tuple[str, float], ...]
    coverage: Coverage
    note: str = ""
    flags: tuple[str, ...] = ()          # observation statuses of the cells that went in


def choose_sources(values: Iterable[IndicatorValue]) -> dict[tuple[str, str, str], str]:
    """(country, basis, period) -> the one source used for it in an aggregate."""
    counts: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for v in values:
        counts[(v.ref_area, v.basis, v.time)][v.source] += 1
    return {k: min(c, key=lambda s: (-c[s], s)) for k, c in counts.items()}


def aggregate(conn: Connection, indicator_id: str, cut: int, region: Region | None = None,
              values: list[IndicatorValue] | None = None) -> list[RegionalValue]:
    """The indicator's regional values, one per basis, breakdown and year, with coverage."""
    ind = declarations().indicator(indicator_id)
    region = region or structure().default_region
    if ind.aggregate == "none":
        return []
    if values is None:
        values = compute(conn, ind.id, cut, region=region, countries=region.all_members())
    chosen = choose_sources(values)
    pooled: dict[tuple, dict] = {}
    for v in values:
        year = int(v.time[:4])
        if v.ref_area not in region.members_in(year) or chosen[(v.ref_area, v.basis, v.time)] != v.source:
            continue
        slot = pooled.setdefault((v.basis, v.key, v.time), {"terms": Counter(), "countries": [], "flags": set()})
        slot["terms"].update(dict(v.terms))
        slot["countries"].append((v.ref_area, v.source))
        slot["flags"].update(v.flags)
    formula = formulas.get(ind.formula)
    out = []
    for (basis, key, time), slot in sorted(pooled.items()):
        terms = {t.name: slot["terms"][t.name] for t in ind.terms}
        result = formula.compute(terms)
        countries = tuple(sorted(c for c, _ in slot["countries"]))
        coverage = Coverage(region.members_in(int(time[:4])), countries, tuple(sorted(slot["countries"])))
        out.append(RegionalValue(ind.id, region.id, basis, key, time,
                                 None if result is None else _clean(result * ind.scale),
                                 tuple(sorted((k, _clean(x)) for k, x in terms.items())), coverage, ind.note,
                                 tuple(sorted(slot["flags"]))))
    return out


@dataclass(frozen=True)
class RegionalTotal:
    region: str
    table: int
    basis: str
    filters: Mapping[str, tuple[str, ...]]
    time: str
    value: float | None                 # None unless every member reports
    reported: Mapping[str, float]       # country -> value (one source each)
    coverage: Coverage

    @property
    def note(self) -> str:
        if self.coverage.complete:
            return f"sum of all {len(self.coverage.members)} members"
        return (f"not published as a sum: {', '.join(self.coverage.missing)} do(es) not report, so a regional "
                f"total would need estimates; reported by {self.coverage.text()}")


def regional_totals(conn: Connection, table: int, filters: Mapping[str, tuple[str, ...]], cut: int, *,
                    basis: str, region: Region | None = None) -> list[RegionalTotal]:
    """A cell of ``table`` (filters fix every non-common dimension and SEX) summed over the members,
    per year, only where every member reports it; one source per country and year."""
    region = region or structure().default_region
    value = public_value(cut)
    stmt = (select(series.c.ref_area, observation.c.time_period, series.c.source, func.sum(value), func.count(value))
            .join(series, series.c.id == observation.c.series_id)
            .where(series.c.table_no == table, series.c.basis == basis, visible_at(cut),
                   observation.c.deleted.is_(False), series.c.ref_area.in_(region.all_members())))
    for dim, codes in filters.items():
        stmt = stmt.where(dimension_column(dim, table).in_(list(codes)))
    stmt = stmt.group_by(series.c.ref_area, observation.c.time_period, series.c.source)
    by_year: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    expected = 1
    for codes in filters.values():
        expected *= len(codes)
    for ref_area, time, source, total, count in conn.execute(stmt):
        if total is None or count < expected:
            continue
        by_year[time].setdefault(ref_area, {})[source] = float(total)
    out = []
    for time in sorted(by_year):
        members = region.members_in(int(time[:4]))
        reported = {c: s[min(s)] for c, s in sorted(by_year[time].items()) if c in members}
        coverage = Coverage(members, tuple(sorted(reported)),
                            tuple((c, min(by_year[time][c])) for c in sorted(reported)))
        total = _clean(sum(reported.values())) if coverage.complete else None
        out.append(RegionalTotal(region.id, table, basis, dict(filters), time, total, reported, coverage))
    return out


def region_of(region_id: str | None) -> Region:
    regions = structure().regions
    if region_id is None:
        return structure().default_region
    found = regions.get(region_id.upper())
    if found is None:
        raise AnalysisError(f"region {region_id!r}: no such region (known: {', '.join(sorted(regions))})")
    return found


_LAST: dict[tuple, list] = {}


def release_results(engine, release, region: Region | None = None) -> list[tuple[list[IndicatorValue],
                                                                                list[RegionalValue]]]:
    """Every indicator's country and regional values of a release (one pair of lists per indicator, in
    declaration order). The last result is kept, keyed by database, cut and checksum: a release's
    data never change, and its build writes several files from them."""
    region = region or structure().default_region
    cut = release.cut
    key = (engine.url.render_as_string(hide_password=True), cut, release.checksum, region.id,
           tuple(declarations().indicators))
    if key not in _LAST:
        out = []
        with engine.connect() as conn:
            for ind_id in declarations().indicators:
                values = compute(conn, ind_id, cut, region=region)
                out.append((values, aggregate(conn, ind_id, cut, region, values=values)))
        _LAST.clear()
        _LAST[key] = out
    return _LAST[key]
