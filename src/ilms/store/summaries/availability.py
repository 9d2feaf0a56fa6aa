"""Which data exist: country x table x year, with the sources, their types and how many values
(one GROUP BY over the published state). The gaps are the cells that are absent."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import Connection, func, select

from ..schema import observation, series, source
from .memo import per_cut
from .public import joined, visible


@dataclass(frozen=True)
class Cell:
    country: str
    table: int
    year: str
    sources: tuple[str, ...]          # source ids, sorted
    source_types: tuple[str, ...]     # CL_SOURCE_TYPE codes, sorted, distinct
    observations: int                 # values held (confidential ones included: they exist, masked)


@dataclass(frozen=True)
class Matrix:
    cells: dict[tuple[str, int, str], Cell] = field(default_factory=dict)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({k[0] for k in self.cells}))

    @property
    def tables(self) -> tuple[int, ...]:
        return tuple(sorted({k[1] for k in self.cells}))

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(sorted({k[2] for k in self.cells}))

    def cell(self, country: str, table: int, year: str) -> Cell | None:
        return self.cells.get((country, table, year))

    def years_of(self, country: str, table: int) -> tuple[str, ...]:
        return tuple(sorted(k[2] for k in self.cells if k[0] == country and k[1] == table))

    @property
    def source_types(self) -> tuple[str, ...]:
        return tuple(sorted({t for c in self.cells.values() for t in c.source_types}))


def year_of(column):
    """The reference year of a period ("2024", "2024Q3", "2024M07" -> "2024")."""
    return func.substr(column, 1, 4)


@per_cut
def availability(conn: Connection, cut: int, *, countries: Iterable[str] = (), tables: Iterable[int] = (),
                 years: Iterable[str] = ()) -> Matrix:
    """The availability matrix of the published state at ``cut``, optionally narrowed."""
    year = year_of(observation.c.time_period).label("year")
    stmt = (select(series.c.ref_area, series.c.table_no, year, series.c.source, source.c.type, func.count())
            .select_from(joined()).where(visible(cut))
            .group_by(series.c.ref_area, series.c.table_no, year, series.c.source, source.c.type))
    if countries := list(countries):
        stmt = stmt.where(series.c.ref_area.in_(countries))
    if tables := [int(t) for t in tables]:
        stmt = stmt.where(series.c.table_no.in_(tables))
    if years := list(years):
        stmt = stmt.where(year.in_(years))
    grouped: dict[tuple[str, int, str], list] = {}
    for area, table_no, yr, src, kind, n in conn.execute(stmt):
        grouped.setdefault((area, int(table_no), yr), []).append((src, kind, int(n)))
    return Matrix({key: Cell(*key, tuple(sorted(s for s, _, _ in rows)), tuple(sorted({k for _, k, _ in rows})),
                             sum(n for _, _, n in rows))
                   for key, rows in grouped.items()})


@dataclass(frozen=True)
class SourceUse:
    """What one source feeds in the published state."""
    source: str
    table: int
    first: str
    last: str
    years: int
    observations: int


@per_cut
def by_source(conn: Connection, cut: int, *, sources: Iterable[str] = (), countries: Iterable[str] = ()
              ) -> dict[str, list[SourceUse]]:
    """source -> the tables it feeds (first and last year, how many years and values), by table."""
    year = year_of(observation.c.time_period)
    stmt = (select(series.c.source, series.c.table_no, func.min(year), func.max(year),
                   func.count(func.distinct(year)), func.count())
            .select_from(joined()).where(visible(cut))
            .group_by(series.c.source, series.c.table_no).order_by(series.c.source, series.c.table_no))
    if sources := list(sources):
        stmt = stmt.where(series.c.source.in_(sources))
    if countries := list(countries):
        stmt = stmt.where(series.c.ref_area.in_(countries))
    out: dict[str, list[SourceUse]] = {}
    for src, table_no, first, last, n_years, n in conn.execute(stmt):
        out.setdefault(src, []).append(SourceUse(src, int(table_no), first, last, int(n_years), int(n)))
    return out
