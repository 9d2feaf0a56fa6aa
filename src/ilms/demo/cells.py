"""What each of the 17 tables is cut from, as a registry: the leaves come from the model, every
total and aggregate from the declared hierarchies (``cube.complete``)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator, Protocol

from ..tables import COMMON_DIMENSIONS, Table, structure
from .cube import Cube, alternatives, complete, primary_hierarchy
from .model import MIGRANTS, SEXES, STOCK_GROUPS, Frame
from .profiles import shapes

MIGRANT, NON_MIGRANT = "MIG_STATUS_MIGRANT", "MIG_STATUS_NONMIG"


def axes(table: Table) -> tuple[str, ...]:
    """The dimensions a table's cube runs over: SEX and the table's own dimensions, in key order."""
    return table.key_order[len(COMMON_DIMENSIONS) - 1:]


def _mig(group: str, basis: str) -> str:
    return MIGRANT if group in MIGRANTS[basis] else NON_MIGRANT


class Leaves(Protocol):
    def leaves(self, table: Table, frame: Frame, basis: str) -> Cube: ...


@dataclass(frozen=True)
class People:
    """Table 1: persons by sex, age band, labour market status and migrant status."""

    def leaves(self, table, frame, basis):
        out: Cube = defaultdict(int)
        order = axes(table)
        for (group, sex, age, lms), v in frame.people.items():
            codes = {"SEX": sex, "AGE": age, "LMS": lms, "MIG": _mig(group, basis)}
            out[tuple(codes[a] for a in order)] += v
        return out


@dataclass(frozen=True)
class Breakdown:
    """A named count of the model split by one classification (or partner country); with a MIG
    dimension the groups become migrants and non-migrants; ``migrants_only`` keeps the migrants."""
    count: str
    dimension: str
    migrants_only: bool = False

    def leaves(self, table, frame, basis):
        out: Cube = defaultdict(int)
        order = axes(table)
        has_mig = table.has_dimension("MIG")
        for (group, sex, code), v in frame.breakdown(self.count, self.dimension).items():
            if self.migrants_only and group not in MIGRANTS[basis]:
                continue
            codes = {"SEX": sex, self.dimension: code}
            if has_mig:
                codes["MIG"] = _mig(group, basis)
            out[tuple(codes[a] for a in order)] += v
        return out


@dataclass(frozen=True)
class Combined:
    """Cell by cell sum of breakdowns (all outflows = outflows for employment + for other purposes)."""
    parts: tuple[Breakdown, ...]

    def leaves(self, table, frame, basis):
        out: Cube = defaultdict(int)
        for part in self.parts:
            for key, v in part.leaves(table, frame, basis).items():
                out[key] += v
        return out


TABLES: dict[int, Leaves] = {
    1: People(),
    2: Breakdown("wap", "EDU"),
    3: Breakdown("wap", "ORIGIN", migrants_only=True),
    4: Breakdown("emp", "ORIGIN", migrants_only=True),
    5: Breakdown("emp", "ECO"),
    6: Breakdown("emp", "OCU"),
    7: Breakdown("emp", "STE"),
    9: Breakdown("inflow", "ORIGIN"),
    10: Breakdown("inflow", "EDU"),
    11: Breakdown("inflow_emp", "ECO"),
    12: Breakdown("inflow_emp", "OCU"),
    13: Breakdown("abroad", "RESIDENCE"),
    14: Combined((Breakdown("outflow_emp", "DESTINATION"), Breakdown("outflow_other", "DESTINATION"))),
    15: Breakdown("outflow_emp", "DESTINATION"),
    16: Breakdown("outflow_emp", "ECO"),
    17: Breakdown("outflow_emp", "OCU"),
}
#: Tables of means, not counts: computed from totals of their weights (table 8).
WAGE_TABLES = (8,)


def hierarchies(table: Table, with_alternatives: bool):
    """For each axis, the hierarchies its totals are computed along."""
    out = []
    for dim in axes(table):
        h = primary_hierarchy(table, dim)
        out.append([] if h is None else [h, *(alternatives(h) if with_alternatives else ())])
    return out


def has_alternatives(table: Table) -> bool:
    return any(len(hs) > 1 for hs in hierarchies(table, True))


def persons(table_no: int, frame: Frame, basis: str, with_alternatives: bool) -> Cube:
    """Persons by the table's axes, leaves and every total."""
    table = structure().table(table_no)
    return complete(TABLES[table_no].leaves(table, frame, basis), hierarchies(table, with_alternatives))


def wages(table_no: int, frame: Frame, basis: str) -> Iterator[tuple[tuple[str, ...], float]]:
    """Mean wages by sex and migrant status: the employee-weighted mean of the groups' wages, so
    every total is the mean of its parts. Cells with no employees are left out."""
    table = structure().table(table_no)
    dim, codes = shapes().employees
    employed = frame.breakdown("emp", dim)
    count, bill = defaultdict(int), defaultdict(int)
    order = axes(table)
    for group in STOCK_GROUPS:
        for sex in SEXES:
            n = sum(employed[group, sex, code] for code in codes)
            key = tuple({"SEX": sex, "MIG": _mig(group, basis)}[a] for a in order)
            count[key] += n
            bill[key] += round(n * frame.wage(group, sex))
    hs = hierarchies(table, False)
    count, bill = complete(count, hs), complete(bill, hs)
    for key in sorted(count):
        if count[key] > 0:
            yield key, float(round(bill[key] / count[key]))
