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

The cheapest pattern the audit has proven so far is kept: each round, the failing cells' repairs
put together (``_deepen``), proven as a whole and pruned to an irreducible pattern (``_prune``) --
on a dense cluster, a proven pattern within the first rounds -- and handed to the integer
programme as its warm start. The search stops when the integer programme's pattern passes the
audit, when the best proven pattern is within ``optimality_gap`` of the integer programme's lower
bound, or after ``stall_rounds`` rounds without a cheaper one: deterministic (fixed column order,
single-threaded HiGHS, fixed seed, node limits). The time limit is a safety net: reached, it keeps
the best proven pattern. A pattern is never returned unproven.
When a failing bound rests on no cell that may be withheld (e.g. a total with a single
contributor that was already published), the rule cannot be met and the cells are named.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from . import lp
from .audit import Proof, Prover
from .settings import Settings
from .system import Component, label

OBJECTIVE = "least value withheld"
#: how far a failing cell's pattern is repaired (withholding what its proofs rest on) in one round
REPAIR_STEPS = 50
#: after this many steps, a repair withholds every cell a failing proof rests on, not the cheapest
WIDEN_AFTER = 10
#: cells a pruning step tries to publish again at once (halved when the audit needs one of them)
PRUNE_GROUP = 16


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
    stopped: str = "audit passed"      # why the search ended (the pattern is proven whatever it says)


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


def _cheapest(coefs: dict[int, float], required: float, cost: dict[int, float], already: set[int]) -> set[int]:
    """Cells meeting one cut (a knapsack cover): greedily by cost per unit of capacity, but at each
    step also the cheapest single cell that would close the remaining gap at once; the cheaper of
    the completions seen is kept (the greedy alone adds many small cells where one larger would do)."""
    have = sum(c for j, c in coefs.items() if j in already)
    if have >= required - 1e-12:
        return set()
    free = [j for j in coefs if j not in already]
    by_ratio = sorted(free, key=lambda j: (cost[j] / coefs[j], j))
    best: tuple[float, set[int]] | None = None
    taken: set[int] = set()
    spent = 0.0
    for j in by_ratio:
        gap = required - have
        closing = [i for i in free if i not in taken and coefs[i] >= gap - 1e-12]
        if closing:
            i = min(closing, key=lambda i: (cost[i], i))
            if best is None or spent + cost[i] < best[0]:
                best = (spent + cost[i], taken | {i})
        if j in taken:
            continue
        taken.add(j)
        spent += cost[j]
        have += coefs[j]
        if have >= required - 1e-12:
            if best is None or spent < best[0]:
                best = (spent, set(taken))
            break
    return best[1] if best else taken


def _deepen(prover: Prover, settings: Settings, withheld: set[int], failed: Proof,
            cost: dict[int, float]) -> tuple[list[tuple[dict[int, float], float]], set[int] | None]:
    """Several cuts for one failing cell at once: withhold (hypothetically) the cells the proof
    rests on and prove again, until the cell would be protected. Each proof's support is a valid
    cut for every pattern -- publishing more only narrows what the public can prove -- so the
    integer programme learns every route of attack in one round instead of one per round. Also
    returns the cells withheld by then when they do protect the cell (a repair of the pattern)."""
    comp = prover.comp
    target = comp.cols[prover.columns.index(failed.column)]
    cuts: list[tuple[dict[int, float], float]] = []
    hypothetical = set(withheld)
    proof = failed
    for step in range(REPAIR_STEPS):
        if proof.ok:
            break
        fresh = [(coefs, required) for coefs, required in proof.cuts if sum(coefs.values()) >= required - 1e-12]
        if len(fresh) < len(proof.cuts):
            if step == 0:
                raise _unprotectable(proof)     # not even withholding every cell it rests on would do
            break
        if step < settings.deepening:
            cuts.extend(fresh)
        if step < WIDEN_AFTER:
            more = set().union(*(_cheapest(coefs, required, cost, hypothetical) for coefs, required in fresh))
        else:      # parallel routes of attack, one closed per step: withhold all the proof rests on
            more = set().union(*(set(coefs) - hypothetical for coefs, _ in fresh))
        if not more:
            break
        hypothetical |= more
        (proof,) = prover.prove(hypothetical, only={target})
    return cuts, (hypothetical if proof.ok else None)


def _prune(prover: Prover, withheld: set[int], proofs: list[Proof], cost: dict[int, float],
           deadline: float) -> tuple[set[int], list[Proof]]:
    """A proven pattern made irreducible: publish again, most valuable first, every cell whose
    withholding the audit does not need. Cells are tried in groups first (a repair withholds many
    that are not needed: one proof publishes a whole group), a group that fails is split in halves,
    down to single cells. Each step is proven; at ``deadline`` it stops, proven still."""
    kept, last = set(withheld), proofs
    order = sorted(withheld, key=lambda j: (-cost[j], j))
    stack = [order[i:i + PRUNE_GROUP] for i in range(0, len(order), PRUNE_GROUP)][::-1]   # most valuable on top
    while stack:
        if time.monotonic() > deadline:
            break
        group = stack.pop()
        trial = kept - set(group)
        found = prover.prove(trial)
        if all(p.ok for p in found):
            kept, last = trial, found
        elif len(group) > 1:
            half = len(group) // 2
            stack.extend([group[half:], group[:half]])       # the more valuable half first
    return kept, last


@dataclass
class _Best:
    """The cheapest pattern the audit has proven so far."""
    cost: float = float("inf")
    withheld: frozenset[int] = frozenset()
    proofs: tuple[Proof, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.proofs)

    def offer(self, cost: float, withheld: set[int], proofs: list[Proof]) -> bool:
        """Keep ``withheld`` if it is cheaper and every proof is OK; True when kept."""
        if cost >= self.cost - 1e-12 or not all(p.ok for p in proofs):
            return False
        self.cost, self.withheld, self.proofs = cost, frozenset(withheld), tuple(proofs)
        return True

    def outcome(self, rounds: int, stopped: str) -> Outcome:
        return Outcome(tuple(sorted(self.withheld)), self.proofs, rounds, stopped)


def suppress_component(comp: Component, settings: Settings) -> Outcome:
    columns = comp.columns()
    candidates = [j for j, c in zip(comp.cols, columns) if c.decidable]
    position = {j: i for i, j in enumerate(candidates)}
    values = [comp.system.columns[j].value for j in candidates]
    charge = 1e-6 * (1.0 + max((abs(v) for v in values), default=0.0))
    costs = [abs(v) + charge for v in values]
    cost_of = {j: costs[i] for i, j in enumerate(candidates)}
    started = time.monotonic()
    cuts = _relation_cuts(comp, position)
    chosen, bound = lp.cover(costs, cuts, settings.time_limit)
    withheld: set[int] = {candidates[i] for i in chosen}
    best = _Best()
    prover = Prover(comp, settings)
    stall = 0
    for rounds in range(1, settings.max_rounds + 1):
        proofs = prover.prove(withheld)
        failing = [p for p in proofs if not p.ok]
        if not failing:
            best.offer(sum(cost_of[j] for j in withheld), withheld, proofs)
            return best.outcome(rounds, "audit passed")
        repaired: set[int] | None = set(withheld)
        for p in failing:
            found, protecting = _deepen(prover, settings, withheld, p, cost_of)
            for coefs, required in found:
                cut = (tuple(sorted((position[j], c) for j, c in coefs.items())), required)
                if cut not in cuts:
                    cuts.append(cut)
            repaired = repaired | protecting if protecting is not None and repaired is not None else None
        improved = False
        if repaired is not None:
            # each failing cell repaired on its own: withholding more only widens what the public
            # can prove, so the union protects them all -- the audit proves it as a whole
            cost = sum(cost_of[j] for j in repaired)
            if cost < best.cost:
                proofs = prover.prove(repaired)
                if all(p.ok for p in proofs):
                    deadline = started + settings.time_limit
                    repaired, proofs = _prune(prover, repaired, proofs, cost_of, deadline)
                    improved = best.offer(sum(cost_of[j] for j in repaired), repaired, proofs)
        stall = 0 if improved else stall + 1
        if best.found and stall >= settings.stall_rounds:
            return best.outcome(rounds, "no better pattern in a while")
        remaining = settings.time_limit - (time.monotonic() - started)
        if remaining <= 0:
            if best.found:
                return best.outcome(rounds, "time limit")
            raise lp.SolverTimeout("time limit")
        try:
            chosen, bound = lp.cover(costs, cuts, remaining, start=[position[j] for j in best.withheld])
        except lp.SolverTimeout:
            if best.found:
                return best.outcome(rounds, "time limit")
            raise
        withheld = {candidates[i] for i in chosen}
        if best.found and best.cost <= bound * (1 + settings.optimality_gap):
            # no pattern can be cheaper than the integer programme's bound: the proven one is close enough
            return best.outcome(rounds, "within the optimality gap")
    if best.found:
        return best.outcome(settings.max_rounds, "round limit")
    raise Unprotectable(f"no pattern found in {settings.max_rounds} rounds for "
                        + ", ".join(label(c.cell) for c in columns if c.target),
                        [label(c.cell) for c in columns if c.target])
