"""The linear system the public faces for one cluster of cells (one country, source, basis and
period across all tables), over the release being judged and, where given, the previous published
release.

Columns are cells: reported cells, and latent ones (codes a relation needs that are not reported:
unknown and non-negative). A cell whose stored value did not change since the previous release
is ONE column for both releases -- a revision cannot then reveal a value by difference. Rows are
the relations (``relations.py``) of each release, widened where the data as reported do not meet
them exactly (so the system always holds for the true values). The system is split into
connected components; each is audited and suppressed on its own.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from ..check.arithmetic import additive_tables
from ..observation import Observation
from . import lp
from .relations import CellId, Relation, cell_of, relations

CURRENT, PREVIOUS = "current", "previous"


@dataclass
class Column:
    release: str                 # CURRENT or PREVIOUS (a cell unchanged since the previous release: CURRENT)
    cell: CellId
    value: float | None          # the stored value; None: latent (not reported)
    published: bool = False      # its value is public (in the current or the previous release)
    target: bool = False         # confidential: must stay protected
    decidable: bool = False      # the suppression may withhold it (a published cell of the current release)
    reason: str = ""             # why it is fixed, when it cannot be withheld

    @property
    def latent(self) -> bool:
        return self.value is None


def label(cell: CellId) -> str:
    table, key, time = cell
    return f"T{table:02d} {'.'.join(key)} {time}"


@dataclass
class System:
    columns: list[Column] = field(default_factory=list)
    rows: list[lp.Row] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    index: dict[tuple[str, CellId], int] = field(default_factory=dict)

    def column(self, release: str, cell: CellId, value: float | None = None) -> int:
        key = (release, cell)
        if key not in self.index:
            self.index[key] = len(self.columns)
            self.columns.append(Column(release, cell, value))
        return self.index[key]

    def add(self, rel: Relation, where: dict[CellId, int], release: str) -> None:
        cols: dict[int, float] = {}
        for cell, coef in rel.terms:
            j = where[cell] if cell in where else self.column(release, cell)
            cols[j] = cols.get(j, 0.0) + coef
        cols = {j: c for j, c in cols.items() if c != 0.0}
        if len(cols) >= 2:
            self.rows.append(lp.Row(tuple(cols), tuple(cols.values()), rel.lo, rel.hi))
            self.origins.append(rel.origin)

    def true_bounds(self) -> tuple[list[float], list[float]]:
        lo = [0.0 if c.latent else c.value for c in self.columns]
        hi = [lp.INF if c.latent else c.value for c in self.columns]
        return lo, hi

    def make_consistent(self, time_limit: float) -> None:
        """Widen each row just enough for the true values (and non-negative latent cells) to meet it."""
        if not self.rows:
            return
        lo, hi = self.true_bounds()
        slack = lp.least_slack(len(self.columns), lo, hi, self.rows, time_limit)
        for i, (below, above) in enumerate(slack):
            if below > 0 or above > 0:
                r = self.rows[i]
                pad = 1e-9 * (1 + abs(r.lo if r.lo > -lp.INF else 0) + abs(r.hi if r.hi < lp.INF else 0))
                self.rows[i] = lp.Row(r.cols, r.coefs, r.lo - below - (pad if below else 0),
                                      r.hi + above + (pad if above else 0))

    def components(self) -> list["Component"]:
        parent = list(range(len(self.columns)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for r in self.rows:
            first = find(r.cols[0])
            for j in r.cols[1:]:
                root = find(j)
                if root != first:
                    parent[max(root, first)] = min(root, first)
                    first = min(root, first)
        cols: dict[int, list[int]] = defaultdict(list)
        for j in range(len(self.columns)):
            cols[find(j)].append(j)
        rows: dict[int, list[int]] = defaultdict(list)
        for i, r in enumerate(self.rows):
            rows[find(r.cols[0])].append(i)
        return [Component(self, members, rows.get(root, [])) for root, members in sorted(cols.items())
                if any(self.columns[j].target for j in members)]


@dataclass
class Component:
    """A connected part of a system: its own small LP."""
    system: System
    cols: list[int]
    row_ids: list[int]

    def local(self) -> tuple[dict[int, int], list[lp.Row]]:
        where = {j: k for k, j in enumerate(self.cols)}
        rows = [lp.Row(tuple(where[j] for j in r.cols), r.coefs, r.lo, r.hi)
                for r in (self.system.rows[i] for i in self.row_ids)]
        return where, rows

    def columns(self) -> list[Column]:
        return [self.system.columns[j] for j in self.cols]


def _usable(obs: Observation, additive: set[int]) -> bool:
    return obs.table in additive and obs.value is not None


def build(current: Iterable[Observation], *, previous: Iterable[Observation] = (),
          previous_hidden: set[CellId] = frozenset(), half: float = 0.5) -> System:
    """The system of one cluster: the current release's cells (real values, confidential flags)
    and, optionally, the previous published release's cells with what it withheld."""
    additive = set(additive_tables())
    system = System()
    now = [o for o in current if _usable(o, additive)]
    where_now: dict[CellId, int] = {}
    for obs in now:
        j = system.column(CURRENT, cell_of(obs), float(obs.value))
        col = system.columns[j]
        col.target = bool(obs.confidential)
        col.decidable = not col.target
        col.published = not col.target
        where_now[cell_of(obs)] = j
    for rel in relations(now, half=half):
        system.add(rel, where_now, CURRENT)
    before = [o for o in previous if _usable(o, additive)]
    if before:
        where_before: dict[CellId, int] = {}
        for obs in before:
            cell = cell_of(obs)
            shown = not obs.confidential and cell not in previous_hidden
            j = where_now.get(cell)
            if j is not None and system.columns[j].value == float(obs.value):
                col = system.columns[j]                     # unchanged: the same unknown in both releases
                if shown:
                    col.published, col.decidable = True, False
                    col.reason = "published with the same value in the previous release"
            else:
                j = system.column(PREVIOUS, cell, float(obs.value))
                col = system.columns[j]
                col.published = shown
                col.target = bool(obs.confidential) and cell in where_now and system.columns[where_now[cell]].target
            where_before[cell] = j
        for rel in relations(before, half=half):
            system.add(rel, where_before, PREVIOUS)
    return system

