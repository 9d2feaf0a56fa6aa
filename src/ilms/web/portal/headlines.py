"""Headline figures of a vintage for a region, declared in ``headlines.yaml``.

For each figure: one value per country and year (one source and one migrant basis per country:
the first basis in ``BASIS_PREFERENCE`` that the country reports, then the first source code), read
in SQL as totals only (never the table). The region's figure is the sum over the countries that
have the figure in the year with the widest coverage (the latest such year), together with
which countries it covers and which it misses: never a sum that silently drops a country. A share
is the sum of the parts over the sum of the wholes of the same countries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import Connection, select

from ...store.read import dimension_column, public_value, visible_at
from ...store.summaries.memo import per_cut
from ...store.schema import observation, series
from ...tables import Region, structure

BASIS_PREFERENCE = ("BIR", "CIT", "_Z")


@dataclass(frozen=True)
class Declaration:
    id: str
    label: str
    table: int
    codes: dict
    share: dict | None = None

    @property
    def is_share(self) -> bool:
        return self.share is not None


@dataclass(frozen=True)
class CountryValue:
    country: str
    year: str
    value: float
    source: str
    basis: str


@dataclass
class Figure:
    declaration: Declaration
    year: str | None = None
    value: float | None = None
    covered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    latest: dict[str, CountryValue] = field(default_factory=dict)   # country -> its latest value

    @property
    def unit(self) -> str:
        if self.declaration.is_share:
            return "%"
        return structure().table(self.declaration.table).unit.label


@lru_cache(maxsize=1)
def declarations() -> dict[str, Declaration]:
    raw = yaml.safe_load((Path(__file__).parent / "headlines.yaml").read_text(encoding="utf-8"))
    out = {}
    for key, d in raw.items():
        table = structure().table(d["table"])
        for dim in [*d["codes"], *([d["share"]["dimension"]] if "share" in d else [])]:
            if not table.has_dimension(dim):
                raise ValueError(f"headlines.yaml: {key}: table {d['table']} has no dimension {dim}")
        out[key] = Declaration(key, d["label"], d["table"], dict(d["codes"]), d.get("share"))
    return out


def _rows(conn: Connection, d: Declaration, cut: int, countries: tuple[str, ...]):
    """(country, source, basis, year, share code or None, value): the declared totals, public ones only."""
    share_col = dimension_column(d.share["dimension"], d.table) if d.is_share else None
    stmt = (select(series.c.ref_area, series.c.source, series.c.basis, observation.c.time_period,
                   share_col if share_col is not None else series.c.table_no, observation.c.value)
            .join(series, series.c.id == observation.c.series_id)
            .where(series.c.table_no == d.table, series.c.ref_area.in_(countries), visible_at(cut),
                   observation.c.deleted.is_(False), public_value(cut).is_not(None)))
    for dim, code in d.codes.items():
        stmt = stmt.where(dimension_column(dim, d.table) == code)
    if d.is_share:
        stmt = stmt.where(share_col.in_([d.share["part"], d.share["whole"]]))
    return conn.execute(stmt)


def _per_country_year(d: Declaration, rows) -> dict[str, dict[str, CountryValue]]:
    """country -> year -> the one value chosen (preferred basis, then first source)."""
    found: dict[tuple, dict] = {}
    for country, source, basis, year, share_code, value in rows:
        found.setdefault((country, year, basis, source), {})[share_code] = value
    out: dict[str, dict[str, CountryValue]] = {}
    rank = {b: i for i, b in enumerate(BASIS_PREFERENCE)}
    for (country, year, basis, source) in sorted(found, key=lambda k: (k[0], k[1], rank.get(k[2], 99), k[3])):
        if year in out.get(country, {}):
            continue
        values = found[(country, year, basis, source)]
        if d.is_share:
            part, whole = values.get(d.share["part"]), values.get(d.share["whole"])
            if part is None or not whole:
                continue
            value = (part, whole)
        else:
            value = next(iter(values.values()))
        out.setdefault(country, {})[year] = CountryValue(country, year, value, source, basis)
    return out


def figure(conn: Connection, d: Declaration, cut: int, region: Region) -> Figure:
    members = region.all_members()
    by_country = _per_country_year(d, _rows(conn, d, cut, members))
    years = sorted({y for v in by_country.values() for y in v if len(y) == 4})
    result = Figure(d)
    if not years:
        result.missing = members
        return result
    coverage = {y: [c for c in region.members_in(int(y)) if y in by_country.get(c, {})] for y in years}
    best = max(len(v) for v in coverage.values())
    year = max(y for y, v in coverage.items() if len(v) == best)
    covered = tuple(coverage[year])
    values = [by_country[c][year].value for c in covered]
    if d.is_share:
        value = 100 * sum(p for p, _ in values) / sum(w for _, w in values)
    else:
        value = sum(values)
    result.year, result.value, result.covered = year, value, covered
    result.missing = tuple(c for c in region.members_in(int(year)) if c not in covered)
    for country, by_year in by_country.items():
        latest = by_year[max(by_year)]
        if d.is_share:
            p, w = latest.value
            latest = CountryValue(country, latest.year, 100 * p / w, latest.source, latest.basis)
        result.latest[country] = latest
    return result


@per_cut
def figures(conn: Connection, cut: int, region_id: str | None = None) -> list[Figure]:
    """Every declared figure of the cut for the region (default: the default region); computed once
    per database state (``store.summaries.memo``): callers must not change the result."""
    s = structure()
    region = s.regions[region_id] if region_id else s.default_region
    return [figure(conn, d, cut, region) for d in declarations().values()]
