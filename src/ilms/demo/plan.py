"""What the demonstration dataset holds: which sources each country has, for which years and
tables, with which migrant bases; where the gaps are; which flags go where. All deterministic
from the seed."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from ..tables import COMMON_DIMENSIONS, structure
from .cube import hierarchy_of
from .magnitudes import Country, countries

FIRST_YEAR, LAST_YEAR = 2010, 2024
FIRST_SOURCE_NUMBER = 9000          # demo sources are numbered 9000 and up (BA_9080, XA_9083, ...)


@dataclass(frozen=True)
class Kind:
    """A kind of source: what it covers and how it is catalogued."""
    key: str
    number: int                     # its place in the country's block of source numbers
    type: str                       # CL_SOURCE_TYPE
    name: str
    tables: tuple[int, ...]
    agency: str                     # "nso": the country's statistical office
    periodicity: str
    coverage: str
    reference_period: str
    classifications: str
    year_gap: float                 # chance that a whole year is missing (not the first or last)
    years: Callable[[Country], Iterable[int]]   # the years it could cover, before the gaps


KINDS = {k.key: k for k in (
    Kind("lfs", 0, "BA", "Labour Force Survey", (1, 2, 3, 4, 5, 6, 7, 8), "nso", "Annual",
         "Private households, persons aged 15 and over", "Calendar year (average of the quarterly rounds)",
         "ISIC Rev.4; ISCO-08; ISCED 2011; ICSE-93", 0.06,
         lambda c: range(c.lfs_from, c.lfs_break or LAST_YEAR + 1)),
    Kind("lfs_new", 1, "BA", "Labour Force Survey (redesigned)", (1, 2, 3, 4, 5, 6, 7, 8), "nso", "Annual",
         "Private households, persons aged 15 and over; new sample frame and questionnaire",
         "Calendar year (average of the quarterly rounds)", "ISIC Rev.4; ISCO-08; ISCED 2011; ICSE-93", 0.04,
         lambda c: range(c.lfs_break, LAST_YEAR + 1) if c.lfs_break else ()),
    Kind("census", 2, "AA", "Population and Housing Census", (1, 2, 3, 4, 5, 6, 7), "nso", "Decennial",
         "Whole resident population, persons aged 15 and over", "Census day",
         "ISIC Rev.4; ISCO-08; ISCED 2011; ICSE-93", 0.0, lambda c: c.census_years),
    Kind("inflows", 3, "XA", "Entry and work permit records", (9, 10, 11, 12), "Immigration and labour authorities",
         "Annual", "Foreign nationals aged 15 and over admitted during the year", "Calendar year",
         "ISIC Rev.4; ISCO-08; ISCED 2011", 0.08, lambda c: range(c.inflow_from, LAST_YEAR + 1)),
    Kind("abroad", 4, "EA", "Estimates of nationals abroad", (13,), "Ministry of Foreign Affairs",
         "Every three years", "Nationals living abroad, all ages", "31 December", "", 0.0,
         lambda c: range(FIRST_YEAR, LAST_YEAR + 1, 3)),
    Kind("outflows", 5, "XA", "Records of deployment for overseas employment", (14, 15, 16, 17),
         "Overseas employment authority", "Annual", "Nationals leaving the country, with purpose of travel",
         "Calendar year", "ISIC Rev.4; ISCO-08", 0.05, lambda c: range(c.outflow_from, LAST_YEAR + 1)),
)}

#: Chance that a table is missing for a whole source (else: for one year of it).
TABLE_ABSENT = {2: 0.15, 3: 0.10, 8: 0.25, 10: 0.30, 12: 0.20, 14: 0.25, 17: 0.15}
TABLE_YEAR_GAP = {2: 0.20, 3: 0.15, 4: 0.15, 8: 0.20, 10: 0.25, 12: 0.20, 16: 0.10, 17: 0.15}
DEFAULT_TABLE_YEAR_GAP = 0.04
#: Chance that a table with an alternative classification (sectors, skill levels...) also has it.
ALTERNATIVES = 0.5
#: Cells of these tables (sex M or F, one partner country) below this many persons may be confidential.
CONFIDENTIAL_TABLES, CONFIDENTIAL_BELOW, CONFIDENTIAL_CHANCE = (3, 4, 9), 200, 0.5


def rng(seed: int, *parts) -> random.Random:
    """A random stream for one purpose: the same seed and purpose always give the same stream."""
    return random.Random("|".join(map(str, (seed, *parts))))


@dataclass(frozen=True)
class Source:
    code: str
    country: str
    kind: Kind
    years: tuple[int, ...]
    bases: tuple[str, ...]
    tables: dict                 # year -> tuple of table numbers present that year
    break_year: int | None = None      # first year of a new series (flag B)

    def present(self) -> Iterator[tuple[int, int]]:
        for year in self.years:
            for table in self.tables[year]:
                yield year, table


def _bases(kind: Kind, c: Country) -> tuple[str, ...]:
    modules = {structure().table(t).module for t in kind.tables}
    if modules == {"C"}:
        return ("_Z",)
    if modules == {"B"}:
        return (c.flow_basis,)
    return c.bases


def sources(seed: int) -> list[Source]:
    """Every source of the dataset, country by country, with its years and tables after the gaps."""
    out = []
    for index, code in enumerate(structure().default_region.all_members()):
        c = countries()[code]
        for kind in KINDS.values():
            years = tuple(y for y in kind.years(c) if FIRST_YEAR <= y <= LAST_YEAR)
            if not years:
                continue
            number = f"{kind.type}_{FIRST_SOURCE_NUMBER + 10 * index + kind.number}"
            r = rng(seed, "gaps", number)
            kept = [y for i, y in enumerate(years)
                    if i in (0, len(years) - 1) or r.random() >= kind.year_gap]
            tables_of_source = [t for t in kind.tables if r.random() >= TABLE_ABSENT.get(t, 0.0)]
            tables = {y: tuple(t for t in tables_of_source
                               if r.random() >= TABLE_YEAR_GAP.get(t, DEFAULT_TABLE_YEAR_GAP)) for y in kept}
            out.append(Source(number, code, kind, tuple(kept), _bases(kind, c), tables,
                              break_year=years[0] if kind.key == "lfs_new" else None))
    return out


def status(source: Source, year: int, table: int) -> str | None:
    """B on the first year of a new series, P on the latest year, E on estimates."""
    if year == source.break_year:
        return "B"
    if year == LAST_YEAR:
        return "P"
    if source.kind.type == "EA":
        return "E"
    return None


def with_alternatives(seed: int, source: Source, table: int) -> bool:
    return rng(seed, "alternatives", source.code, table).random() < ALTERNATIVES


def confidential(seed: int, table: int, key: tuple[str, ...], time: str, persons: int, partner: str | None) -> bool:
    if table not in CONFIDENTIAL_TABLES or partner in (None, "TOTAL") or not 0 < persons < CONFIDENTIAL_BELOW:
        return False
    if key[COMMON_DIMENSIONS.index("SEX")] in hierarchy_of("CL_SEX").sums:   # a total: never
        return False
    return rng(seed, "confidential", table, ".".join(key), time).random() < CONFIDENTIAL_CHANCE
