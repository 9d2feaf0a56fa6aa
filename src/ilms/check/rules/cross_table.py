"""Cross-table rules, one per entry of ``agreements.yaml`` (the same figure in several tables)."""
from __future__ import annotations

from ...observation import Observation
from ...tables import structure
from ..agreements import Agreement, CellSpec, load
from ..arithmetic import EPSILON, fmt, half_unit, usable
from ..dataset import Dataset
from ..findings import Cell, Finding, Value
from ..registry import rule

MatchKey = tuple[str, str, str, str, str]      # ref_area, source, basis, sex, time


def cells_of(ds: Dataset, spec: CellSpec, ref_areas: set[str]) -> dict[MatchKey, tuple[Observation, bool]]:
    """The spec's cells (data under check and data held) by country, source, basis, sex and period."""
    table = structure().table(spec.table)
    best: dict[MatchKey, tuple[int, Observation, bool]] = {}
    for area in sorted(ref_areas):
        for (key, time), (obs, held) in ds.known(spec.table, area).items():
            if len(key) != len(table.key_order) or not usable(obs):
                continue
            rank = spec.matches(table.key_dict(key))
            if rank is None:
                continue
            mk = (key[0], key[1], key[2], key[3], time)
            if mk not in best or rank < best[mk][0]:
                best[mk] = (rank, obs, held)
    return {mk: (obs, held) for mk, (_, obs, held) in best.items()}


def _label(spec: CellSpec, obs: Observation) -> str:
    table = structure().table(spec.table)
    own = [table.dimension(d).codelist.label(c) for d, c in table.key_dict(obs.key).items() if d in spec.codes]
    return f"Table {spec.table} ({', '.join(own)})"


def _compare(a: tuple[CellSpec, Observation, bool], b: tuple[CellSpec, Observation, bool], ds: Dataset,
             relation: str, mk: MatchKey) -> Finding | None:
    (sa, oa, ha), (sb, ob, hb) = a, b
    if ha and hb:
        return None                     # both already held: not what is under check
    tol = half_unit(oa, ds.settings.half_unit) + half_unit(ob, ds.settings.half_unit)
    diff = float(oa.value) - float(ob.value)
    if relation == "equal" and abs(diff) <= tol + EPSILON:
        return None
    if relation == "at_most" and diff <= tol + EPSILON:
        return None
    area, _, _, sex, time = mk
    sex_label = structure().codelists["CL_SEX"].label(sex)
    ra, rb = Value(_label(sa, oa), float(oa.value)), Value(_label(sb, ob), float(ob.value))
    verb = "should equal" if relation == "equal" else "cannot exceed"
    message = (f"{area} {time}, {sex_label}: {ra.label} = {fmt(ra.value)} {verb} {rb.label} = {fmt(rb.value)} "
               f"(difference {fmt(diff)}).")
    cells = (Cell.of(oa, "compared", held=ha), Cell.of(ob, "reference", held=hb))
    return Finding(message, sa.table, area, time, cells, ra, rb, tol,
                   "Make the tables agree, or explain the difference in a note.",
                   extra={"other_table": sb.table})


def _check(agreement: Agreement):
    def check(ds: Dataset):
        areas = set().union(*(ds.ref_areas(t) for t in agreement.tables))
        if not areas:
            return
        if agreement.relation == "equal":
            found = [(s, cells_of(ds, s, areas)) for s in agreement.cells]
            keys = sorted(set().union(*(f.keys() for _, f in found)))
            for mk in keys:
                present = [(s, *f[mk]) for s, f in found if mk in f]
                for other in present[1:]:
                    finding = _compare(other, present[0], ds, "equal", mk)
                    if finding:
                        yield finding
        else:
            small = [(s, cells_of(ds, s, areas)) for s in agreement.smaller]
            large = [(s, cells_of(ds, s, areas)) for s in agreement.larger]
            for s1, f1 in small:
                for s2, f2 in large:
                    for mk in sorted(f1.keys() & f2.keys()):
                        finding = _compare((s1, *f1[mk]), (s2, *f2[mk]), ds, "at_most", mk)
                        if finding:
                            yield finding
    return check


def _describe(a: Agreement) -> str:
    if a.relation == "equal":
        cells = "; ".join(s.describe() for s in a.cells)
        return f"{a.description} Compared for the same country, source, basis, sex and period: {cells}."
    return (f"{a.description} Compared for the same country, source, basis, sex and period: "
            f"{'; '.join(s.describe() for s in a.smaller)} at most {'; '.join(s.describe() for s in a.larger)}.")


for _a in load()[0]:
    rule(id=f"cross.{_a.id}", title=_a.title, severity="error", category="cross-table", tables=_a.tables,
         description=_describe(_a))(_check(_a))
