"""Secondary suppression: which published cells to withhold so that every confidential cell keeps
its protection range.

Per connected component, a cutting-plane loop with two real solvers' answers (HiGHS):

1. an integer programme chooses the cheapest set of cells to withhold that meets every cut so far
   (minimising the **value withheld**, i.e. the information lost, with a tiny charge per cell so that of
   two equally valuable patterns the one with fewer cells wins);
2. the audit (``audit.py``) proves each confidential cell's interval under that pattern; where a
   bound is too narrow, the LP's reduced costs name the published cells the proof rests on, and at
   least one of them must be withheld (the proof stays valid otherwise): that is the next cut.

It stops when the audit passes -- so the pattern is never returned unproven -- and it is
deterministic: same data, same pattern (fixed column order, single-threaded HiGHS, fixed seed).
When a failing bound rests on no cell that may be withheld (e.g. a total with a single
contributor that was already published), the rule cannot be met and the cells are named.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from . import lp
from .audit import Proof, audit_component
from .settings import Settings
from .system import Component, label

OBJECTIVE = "least value withheld"


class Unprotectable(ValueError):
    """The protection rule cannot be met for these cells."""

    def __init__(self, message: str, cells: list[str]):
        super().__init__(message)
        self.cells = cells


@dataclass(frozen=True)
class Outcome:
    withheld: tuple[int, ...]          # global column ids of the secondary cells
    proofs: tuple[Proof, ...]
    rounds: int


def suppress_component(comp: Component, settings: Settings) -> Outcome:
    columns = comp.columns()
    candidates = [j for j, c in zip(comp.cols, columns) if c.decidable]
    position = {j: i for i, j in enumerate(candidates)}
    values = [comp.system.columns[j].value for j in candidates]
    charge = 1e-6 * (1.0 + max((abs(v) for v in values), default=0.0))
    costs = [abs(v) + charge for v in values]
    cuts: list[tuple[int, ...]] = []
    withheld: set[int] = set()
    started = time.monotonic()
    for rounds in range(1, settings.max_rounds + 1):
        proofs = audit_component(comp, settings, withheld)
        failing = [p for p in proofs if not p.ok]
        if not failing:
            return Outcome(tuple(sorted(withheld)), tuple(proofs), rounds)
        for p in failing:
            for culprits in p.culprits or ((),):
                if not culprits:
                    why = p.column.reason or "no published cell it rests on may be withheld"
                    raise Unprotectable(
                        f"{label(p.column.cell)}: its protection range cannot be met ({why}); the public can "
                        f"prove it lies in [{p.lower:.6g}, {p.upper:.6g}]", [label(p.column.cell)])
                cut = tuple(sorted(position[j] for j in culprits))
                if cut not in cuts:
                    cuts.append(cut)
        remaining = settings.time_limit - (time.monotonic() - started)
        if remaining <= 0:
            raise lp.SolverTimeout("time limit")
        withheld = {candidates[i] for i in lp.cover(costs, cuts, remaining)}
    raise Unprotectable(f"no pattern found in {settings.max_rounds} rounds for "
                        + ", ".join(label(c.cell) for c in columns if c.target),
                        [label(c.cell) for c in columns if c.target])
