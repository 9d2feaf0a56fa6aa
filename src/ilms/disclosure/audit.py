"""The audit: what the public can prove about each confidential cell, whatever chose the pattern.

For every confidential cell, HiGHS minimises and maximises it subject to everything public: the
published values (of this release and, for unchanged cells, of the previous published one), the
declared relations (``relations.py``) and non-negativity. The interval [min, max] is what an
attacker can prove; it must reach the protection range on both sides: the rule of the cell's
source where one is declared (``rules.yaml``), else the global one (``Settings.required``).
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
    #: for each failing bound, what any pattern must meet to widen it enough (a capacity cut, see
    #: ``capacity_cut``): ({global column id: capacity}, required)
    cuts: tuple[tuple[dict[int, float], float], ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        tol = 1e-7 * (1 + abs(self.column.value))
        return self.upper >= self.need_upper - tol and self.lower <= self.need_lower + tol

    @property
    def exact(self) -> bool:
        """Recovered: the public can compute the value up to rounding (within 2 % or 0.002)."""
        return math.isfinite(self.upper) and self.upper - self.lower <= max(0.02 * abs(self.column.value), 0.002)


def source_of(cell) -> str:
    """The SOURCE of a cell's series key (REF_AREA, SOURCE, BASIS, ...): whose rule applies."""
    return cell[1][1]


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


class Prover:
    """The audit's LP of one component, built once and re-bounded for each pattern asked about.

    The suppression asks about many patterns of the same component (each round, each repair step);
    changing the bounds of the cells whose status changed, and letting HiGHS start from the last
    basis, costs a fraction of building the model again. The publish audit builds its own."""

    def __init__(self, comp: Component, settings: Settings):
        self.comp, self.settings = comp, settings
        self.columns = comp.columns()
        self.local = {j: k for k, j in enumerate(comp.cols)}
        _, rows = comp.local()
        lo, hi = _bounds(comp, set())
        self.model = lp.Bounds(len(comp.cols), lo, hi, rows, settings.time_limit)
        self.withheld: set[int] = set()
        self.decidable = [k for k, c in enumerate(self.columns) if c.decidable]

    def _apply(self, withheld: set[int]) -> None:
        for j in self.withheld.symmetric_difference(withheld):
            k = self.local.get(j)
            if k is None or not self.columns[k].published:
                continue
            col = self.columns[k]
            if j in withheld:
                self.model.set_bounds(k, 0.0 if col.latent else min(0.0, col.value), lp.INF)
            else:
                self.model.set_bounds(k, col.value, col.value)
        self.withheld = set(withheld)

    def prove(self, withheld: set[int] = frozenset(), only: set[int] | None = None) -> list[Proof]:
        """Every confidential cell's proof (or those in ``only``, global column ids) when the cells
        ``withheld`` (global column ids) are withheld on top of the confidential ones."""
        self._apply(set(withheld))
        comp, settings = self.comp, self.settings
        proofs = []
        for k, col in enumerate(self.columns):
            if not col.target or (only is not None and comp.cols[k] not in only):
                continue
            need_upper, need_lower = settings.required(col.value, source_of(col.cell))
            upper, dual_up = self.model.extreme(k, True)
            lower, dual_low = self.model.extreme(k, False)
            cuts = []
            if upper < need_upper and dual_up is not None:
                cuts.append(capacity_cut(comp, self.decidable, dual_up, need_upper - upper, self.withheld))
            if lower > need_lower and dual_low is not None:
                cuts.append(capacity_cut(comp, self.decidable, -dual_low, lower - need_lower, self.withheld))
            proofs.append(Proof(col, lower, upper, need_upper, need_lower, tuple(cuts)))
        return proofs


def audit_component(comp: Component, settings: Settings, withheld: set[int] = frozenset(),
                    only: set[int] | None = None) -> list[Proof]:
    """Prove the interval of every confidential cell of the component (or of those in ``only``,
    global column ids), given the cells withheld (global column ids) on top of the confidential
    ones, on a model built for this question alone. Raises ``lp.SolverTimeout``."""
    return Prover(comp, settings).prove(withheld, only)


def capacity_cut(comp: Component, decidable: list[int], gain, short: float,
                 withheld: set[int]) -> tuple[dict[int, float], float]:
    """What the LP's dual proves about every pattern (Fischetti and Salazar's capacity cut).

    ``gain[k]`` is how much the attacker's bound improves per unit increase of column k (the
    reduced cost, sign-adjusted). Measured from the true values, a cell the pattern withholds can
    move down by its value (to 0) and up without limit; a published one cannot move. The dual
    solution stays feasible whatever the pattern, so for every pattern y the bound improves by at
    least ``sum(capacity_j * (y_j - current_j))`` over this one -- where capacity is |gain| x value
    for a cell the attacker wants lower, and "enough" for one it wants higher (unbounded). The bound
    falls ``short``; so every pattern that protects the cell has ``sum(capacity_j * y_j) >= short +
    sum of the capacities of the cells withheld now``."""
    coefs: dict[int, float] = {}
    already = 0.0
    for k in decidable:
        g = float(gain[k])
        if abs(g) <= DUAL_EPS:
            continue
        j = comp.cols[k]
        value = abs(comp.system.columns[j].value)
        if g > 0:
            coefs[j] = math.inf                       # withholding it lets the bound run off
        elif value > 0:
            coefs[j] = -g * value
            if j in withheld:
                already += coefs[j]
    required = short + already
    return {j: min(c, required) for j, c in coefs.items()}, required
