"""The additive relations an attacker may use, derived from the declarations.

* every hierarchy of ``tables/data/hierarchies.yaml`` on every dimension of every table of counts
  (sex, age bands, labour market status, migrant status, ISCED, ISIC, ISCO, ICSE, partner
  countries with "other" = total), through the check module's own grouping
  (``check.arithmetic.groups``);
* the cross-table equalities and inequalities of ``check/agreements.yaml`` (the same figure in
  several tables).

A relation is ``lo <= sum(coef * cell) <= hi``. Its slack is the rounding tolerance the check
accepts (half a unit of the last decimal per reported term), so the relations hold for the data
as reported. A code the hierarchy needs but the data do not report is a *latent* cell: an
unknown, non-negative quantity (so "total = A + B + unreported C" still bounds A and B).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..check.agreements import load as load_agreements
from ..check.arithmetic import additive_tables, groups, half_unit, hierarchies, usable
from ..observation import Observation
from ..tables import structure

#: a cell: (table, series key, period)
CellId = tuple[int, tuple[str, ...], str]


@dataclass(frozen=True)
class Relation:
    terms: tuple[tuple[CellId, float], ...]
    lo: float
    hi: float
    origin: str                      # e.g. "H_SEX SEX_T" or "cross.employed_migrants"

    def cells(self) -> tuple[CellId, ...]:
        return tuple(c for c, _ in self.terms)


def cell_of(obs: Observation) -> CellId:
    return (obs.table, tuple(obs.key), obs.time)


def _hierarchy_relations(table_no: int, head: tuple[str, ...], time: str,
                         cells: Mapping[tuple[str, ...], Observation], half: float) -> Iterable[Relation]:
    table = structure().table(table_no)
    for g in groups(table, dict(cells)):
        present = set(g.cells)
        rest = dict(g.fixed)
        for h in hierarchies(table, g.dim):
            for parent, kids in h.sums.items():
                if kids == "*":
                    if parent not in present:
                        continue
                    members = [parent] + sorted(c for c in present if c != parent)
                else:
                    members = [parent, *kids, *(c for c in h.optional if c in present)]
                if not present.intersection(members) or len(members) < 2:
                    continue
                terms, tol = [], 0.0
                for i, code in enumerate(dict.fromkeys(members)):
                    tail = _tail(table.key_order[3:], rest, g.dim, code)
                    terms.append(((table_no, head + tail, time), 1.0 if i == 0 else -1.0))
                    if code in g.cells:
                        tol += half_unit(g.cells[code], half)
                yield Relation(tuple(terms), -tol, tol, f"{h.id} {parent}")


def _tail(dims: tuple[str, ...], rest: Mapping[str, str], dim: str, code: str) -> tuple[str, ...]:
    return tuple(code if d == dim else rest[d] for d in dims)


def _agreement_relations(found: Mapping[CellId, Observation], half: float) -> Iterable[Relation]:
    agreements, _ = load_agreements()
    by_table: dict[int, list[Observation]] = defaultdict(list)
    for obs in found.values():
        by_table[obs.table].append(obs)

    def matching(spec) -> dict[tuple, Observation]:
        table = structure().table(spec.table)
        best: dict[tuple, tuple[int, tuple, Observation]] = {}
        for obs in by_table.get(spec.table, ()):
            rank = spec.matches(table.key_dict(obs.key))
            if rank is None:
                continue
            mk = (*obs.key[:4], obs.time)
            if mk not in best or (rank, obs.key) < best[mk][:2]:
                best[mk] = (rank, obs.key, obs)
        return {mk: o for mk, (_, _, o) in best.items()}

    for a in agreements:
        if a.relation == "equal":
            found_by = [matching(s) for s in a.cells]
            for mk in sorted(set().union(*found_by)):
                present = [f[mk] for f in found_by if mk in f]
                for other in present[1:]:
                    yield _pair(present[0], other, half, f"cross.{a.id}", equal=True)
        else:
            small, large = [matching(s) for s in a.smaller], [matching(s) for s in a.larger]
            for fs in small:
                for fl in large:
                    for mk in sorted(fs.keys() & fl.keys()):
                        yield _pair(fs[mk], fl[mk], half, f"cross.{a.id}", equal=False)


def _pair(a: Observation, b: Observation, half: float, origin: str, *, equal: bool) -> Relation:
    tol = half_unit(a, half) + half_unit(b, half)
    return Relation(((cell_of(a), 1.0), (cell_of(b), -1.0)), -tol if equal else float("-inf"), tol, origin)


def relations(observations: Iterable[Observation], *, half: float = 0.5) -> list[Relation]:
    """Every relation among the given cells (of one country, source, basis and period, or more).

    Only tables of counts take part; cells without a usable value are left out."""
    additive = set(additive_tables())
    found: dict[CellId, Observation] = {}
    slices: dict[tuple, dict[tuple[str, ...], Observation]] = defaultdict(dict)
    for obs in observations:
        if obs.table not in additive or not usable(obs):
            continue
        found[cell_of(obs)] = obs
        slices[(obs.table, tuple(obs.key[:3]), obs.time)][tuple(obs.key[3:])] = obs
    out: list[Relation] = []
    for (table_no, head, time), cells in sorted(slices.items()):
        out.extend(_hierarchy_relations(table_no, head, time, cells, half))
    out.extend(_agreement_relations(found, half))
    return out
