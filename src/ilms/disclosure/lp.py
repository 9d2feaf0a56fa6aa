"""The solver: HiGHS (``highspy``), the open-source LP/MIP solver SciPy also ships. Nothing here
solves anything itself; it only hands matrices to HiGHS and reads back what it proves."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Sequence

import highspy
import numpy as np

INF = highspy.kHighsInf
#: the integer programme stops within this share of the optimum (the least value withheld), or
#: after this many branch-and-bound nodes with the best pattern found (deterministic either way;
#: the pattern is proven by the audit whatever it costs)
MIP_GAP = 0.02
MIP_NODES = 500


class SolverTimeout(RuntimeError):
    """HiGHS did not finish within the time limit."""


class SolverFailure(RuntimeError):
    """HiGHS found no answer (infeasible model, numerical trouble)."""


@dataclass(frozen=True)
class Row:
    cols: tuple[int, ...]
    coefs: tuple[float, ...]
    lo: float
    hi: float


_banner_shown = False


def _new_highs() -> highspy.Highs:
    """A Highs instance; the first one of the process prints a banner on the C stdout: swallow it
    (CLI output and machine-readable reports stay clean)."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    _banner_shown = True
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _highs(time_limit: float) -> highspy.Highs:
    h = _new_highs()
    for name, value in (("output_flag", False), ("log_to_console", False), ("threads", 1),
                        ("random_seed", 0), ("time_limit", float(time_limit))):
        h.setOptionValue(name, value)
    return h


def _load(h: highspy.Highs, n_cols: int, lower: Sequence[float], upper: Sequence[float],
          rows: Sequence[Row], cost: Sequence[float] | None = None) -> None:
    costs = np.zeros(n_cols) if cost is None else np.asarray(cost, dtype=float)
    h.addCols(n_cols, costs, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float), 0,
              np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    if rows:
        starts, index, value = [], [], []
        for r in rows:
            starts.append(len(index))
            index.extend(r.cols)
            value.extend(r.coefs)
        h.addRows(len(rows), np.array([max(r.lo, -INF) for r in rows]), np.array([min(r.hi, INF) for r in rows]),
                  len(index), np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                  np.array(value, dtype=float))


class Bounds:
    """min / max of one column subject to the rows and column bounds; columns can be re-bounded."""

    def __init__(self, n_cols: int, lower: Sequence[float], upper: Sequence[float], rows: Sequence[Row],
                 time_limit: float):
        self.n = n_cols
        self.h = _highs(time_limit)
        self.h.setOptionValue("presolve", "off")     # duals of every column, and an honest unbounded
        _load(self.h, n_cols, lower, upper, rows)
        self._costed: int | None = None

    def set_bounds(self, col: int, lo: float, hi: float) -> None:
        self.h.changeColBounds(col, lo, hi)

    def extreme(self, col: int, maximise: bool) -> tuple[float, np.ndarray | None]:
        """(the bound, the columns' reduced costs proving it) -- +-inf and None when unbounded."""
        if self._costed is not None and self._costed != col:
            self.h.changeColCost(self._costed, 0.0)
        self.h.changeColCost(col, 1.0)
        self._costed = col
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnknown:       # a warm start gone astray: solve afresh
            self.h.clearSolver()
            self.h.run()
            status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            sol = self.h.getSolution()
            return float(self.h.getInfo().objective_function_value), np.asarray(sol.col_dual)
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return (INF if maximise else -INF), None
        if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit):
            raise SolverTimeout(self.h.modelStatusToString(status))
        raise SolverFailure(self.h.modelStatusToString(status))


def least_slack(n_cols: int, lower: Sequence[float], upper: Sequence[float], rows: Sequence[Row],
                time_limit: float) -> list[tuple[float, float]]:
    """For each row, how far (below lo, above hi) it must be widened for the columns' bounds to be
    met: an elastic LP minimising the total widening."""
    elastic = [Row(r.cols + (n_cols + 2 * i, n_cols + 2 * i + 1), r.coefs + (1.0, -1.0), r.lo, r.hi)
               for i, r in enumerate(rows)]
    n = n_cols + 2 * len(rows)
    h = _highs(time_limit)
    _load(h, n, list(lower) + [0.0] * (2 * len(rows)), list(upper) + [INF] * (2 * len(rows)), elastic,
          cost=[0.0] * n_cols + [1.0] * (2 * len(rows)))
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit:
        raise SolverTimeout("time limit")
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolverFailure(h.modelStatusToString(status))
    x = h.getSolution().col_value
    return [(x[n_cols + 2 * i], x[n_cols + 2 * i + 1]) for i in range(len(rows))]


def cover(costs: Sequence[float], cuts: Sequence[tuple[Sequence[tuple[int, float]], float]],
          time_limit: float, start: Sequence[int] = ()) -> tuple[list[int], float]:
    """The cheapest 0/1 choice of columns meeting every cut ``sum(coef * chosen) >= required``:
    an integer programme solved by HiGHS' branch and bound (columns in no cut stay unchosen: they
    cost something and help nothing). ``start``: a choice known to meet the cuts, handed to HiGHS
    as its first incumbent (a warm start: branch and bound prunes against it from the first node).
    Returns the choice and a lower bound of the optimum."""
    if not cuts:
        return [], 0.0
    used = sorted({j for c, _ in cuts for j, _ in c})
    local = {j: k for k, j in enumerate(used)}
    n = len(used)
    h = _highs(time_limit)
    h.setOptionValue("mip_rel_gap", MIP_GAP)
    h.setOptionValue("mip_max_nodes", MIP_NODES)
    for heuristic in ("mip_heuristic_run_rins", "mip_heuristic_run_rens"):   # sub-MIPs: most of the time, little gain
        h.setOptionValue(heuristic, False)
    rows = [Row(tuple(local[j] for j, _ in c), tuple(float(v) for _, v in c), float(required), INF)
            for c, required in cuts]
    _load(h, n, [0.0] * n, [1.0] * n, rows, cost=[costs[j] for j in used])
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * n))
    if start:
        chosen = set(start)
        h.setSolution(n, np.arange(n, dtype=np.int32),
                      np.array([1.0 if used[k] in chosen else 0.0 for k in range(n)]))
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit:
        raise SolverTimeout("time limit")
    found = h.getInfo().primal_solution_status == 2          # a feasible pattern is at hand
    if status != highspy.HighsModelStatus.kOptimal and not (status == highspy.HighsModelStatus.kSolutionLimit and found):
        raise SolverFailure(h.modelStatusToString(status))
    x = h.getSolution().col_value
    return [used[k] for k in range(n) if x[k] > 0.5], float(h.getInfo().mip_dual_bound)
