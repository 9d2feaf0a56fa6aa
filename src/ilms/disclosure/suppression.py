"""Secondary suppression: which published cells to withhold so that every confidential cell keeps
its protection range.

Per connected component, a cutting-plane loop with two real solvers' answers (HiGHS):

1. an integer programme chooses the cheapest set of cells to withhold that meets every cut so far
   (minimising the **value withheld**, i.e. the information lost, with a tiny charge per cell so that of
   two equally valuable patterns the one with fewer cells wins);
2. the audit (``audit.py``) proves each confidential cell's interval under that pattern; where a
   bound is too narrow, the LP's dual solution gives a capacity cut valid for every pattern
   (Fischetti and Salazar): the cells it rests on, each with how far withholding it would widen
   the bound, must together widen it enough. Cuts for further routes of attack are learnt in the
   same round by withholding those cells hypothetically and proving again.

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


def _relation_cuts(comp: Component, position: dict[int, int]) -> list[tuple[int, ...]]:
    """The obvious cuts, before any audit: a confidential cell in an equality whose other terms are
    all published is computed by subtraction, so one of them must be withheld."""
    columns = comp.system.columns
    cuts: list[tuple[tuple[tuple[int, float], ...], float]] = []
    for i in comp.row_ids:
        row = comp.system.rows[i]
        if row.lo == -lp.INF or row.hi == lp.INF:
            continue
        for t in row.cols:
            if not columns[t].target:
                continue
            others = [j for j in row.cols if j != t]
            if any(not columns[j].published for j in others):
                continue                    # something else in it is unknown already
            cut = tuple(sorted((position[j], 1.0) for j in others if j in position))
            if cut and (cut, 1.0) not in cuts:
                cuts.append((cut, 1.0))
    return cuts


def _unprotectable(p: Proof) -> Unprotectable:
    why = p.column.reason or "no published cell it rests on may be withheld"
    return Unprotectable(f"{label(p.column.cell)}: its protection range cannot be met ({why}); the public can "
                         f"prove it lies in [{p.lower:.6g}, {p.upper:.6g}]", [label(p.column.cell)])


def _deepen(comp: Component, settings: Settings, withheld: set[int], failed: Proof) -> list[tuple[int, ...]]:
    """Several cuts for one failing cell at once: withhold (hypothetically) the cells the proof
    rests on and prove again, until the cell would be protected. Each proof's support is a valid
    cut for every pattern -- publishing more only narrows what the public can prove -- so the
    integer programme learns every route of attack in one round instead of one per round."""
    target = comp.cols[comp.columns().index(failed.column)]
    cuts: list[tuple[dict[int, float], float]] = []
    hypothetical = set(withheld)
    proof = failed
    for _ in range(settings.deepening):
        if proof.ok:
            break
        fresh = [(coefs, required) for coefs, required in proof.cuts if sum(coefs.values()) >= required - 1e-12]
        if len(fresh) < len(proof.cuts):
            if not cuts:
                raise _unprotectable(proof)     # not even withholding every cell it rests on would do
            break
        cuts.extend(fresh)
        more = {j for coefs, _ in fresh for j in coefs} - hypothetical
        if not more:
            break
        hypothetical |= more
        (proof,) = audit_component(comp, settings, hypothetical, only={target})
    return cuts


def suppress_component(comp: Component, settings: Settings) -> Outcome:
    columns = comp.columns()
    candidates = [j for j, c in zip(comp.cols, columns) if c.decidable]
    position = {j: i for i, j in enumerate(candidates)}
    values = [comp.system.columns[j].value for j in candidates]
    charge = 1e-6 * (1.0 + max((abs(v) for v in values), default=0.0))
    costs = [abs(v) + charge for v in values]
    cuts = _relation_cuts(comp, position)
    withheld: set[int] = {candidates[i] for i in lp.cover(costs, cuts, settings.time_limit)}
    started = time.monotonic()
    for rounds in range(1, settings.max_rounds + 1):
        proofs = audit_component(comp, settings, withheld)
        failing = [p for p in proofs if not p.ok]
        if not failing:
            return Outcome(tuple(sorted(withheld)), tuple(proofs), rounds)
        for p in failing:
            for coefs, required in _deepen(comp, settings, withheld, p):
                cut = (tuple(sorted((position[j], c) for j, c in coefs.items())), required)
                if cut not in cuts:
                    cuts.append(cut)
        remaining = settings.time_limit - (time.monotonic() - started)
        if remaining <= 0:
            raise lp.SolverTimeout("time limit")
        withheld = {candidates[i] for i in lp.cover(costs, cuts, remaining)}
    raise Unprotectable(f"no pattern found in {settings.max_rounds} rounds for "
                        + ", ".join(label(c.cell) for c in columns if c.target),
                        [label(c.cell) for c in columns if c.target])
