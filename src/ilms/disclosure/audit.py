"""The audit: what the public can prove about each confidential cell, whatever chose the pattern.

For every confidential cell, HiGHS minimises and maximises it subject to everything public: the
published values (of this release and, for unchanged cells, of the previous published one), the
declared relations (``relations.py``) and non-negativity. The interval [min, max] is what an
attacker can prove; it must reach the protection range (``Settings.required``) on both sides.
The audit knows nothing of how the suppression was chosen: it reads the pattern as given.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import lp
from .settings import Settings
from .system import Column, Component

#: reduced costs below this are zero: the published cell does not take part in the proof
DUAL_EPS = 1e-9


@dataclass(frozen=True)
class Proof:
    """What the public can prove about one confidential cell."""
    column: Column
    lower: float
    upper: float
    need_upper: float                 # the upper bound must reach at least this
    need_lower: float                 # the lower bound must reach at most this
    #: published cells that make a failing bound (component-local column ids): withholding one of
    #: them is necessary to widen it
    culprits: tuple[tuple[int, ...], ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        tol = 1e-7 * (1 + abs(self.column.value))
        return self.upper >= self.need_upper - tol and self.lower <= self.need_lower + tol

    @property
    def exact(self) -> bool:
        """Recovered: the public can compute the value up to rounding (within 2 % or 0.002)."""
        return math.isfinite(self.upper) and self.upper - self.lower <= max(0.02 * abs(self.column.value), 0.002)


def _bounds(comp: Component, withheld: set[int]) -> tuple[list[float], list[float]]:
    lo, hi = [], []
    for j, col in zip(comp.cols, comp.columns()):
        if col.published and j not in withheld:
            lo.append(col.value)
            hi.append(col.value)
        else:
            lo.append(0.0 if col.latent else min(0.0, col.value))
            hi.append(lp.INF)
    return lo, hi


def audit_component(comp: Component, settings: Settings, withheld: set[int] = frozenset()) -> list[Proof]:
    """Prove the interval of every confidential cell of the component, given the cells withheld
    (global column ids) on top of the confidential ones. Raises ``lp.SolverTimeout``."""
    where, rows = comp.local()
    lo, hi = _bounds(comp, withheld)
    model = lp.Bounds(len(comp.cols), lo, hi, rows, settings.time_limit)
    columns = comp.columns()
    free_published = [k for k, (j, c) in enumerate(zip(comp.cols, columns))
                      if c.decidable and c.published and j not in withheld]
    proofs = []
    for k, col in enumerate(columns):
        if not col.target:
            continue
        need_upper, need_lower = settings.required(col.value)
        upper, dual_up = model.extreme(k, True)
        lower, dual_low = model.extreme(k, False)
        culprits = []
        for bound, dual, failing in ((upper, dual_up, upper < need_upper), (lower, dual_low, lower > need_lower)):
            if failing and dual is not None:
                culprits.append(tuple(comp.cols[m] for m in free_published if abs(dual[m]) > DUAL_EPS))
        proofs.append(Proof(col, lower, upper, need_upper, need_lower, tuple(culprits)))
    return proofs
