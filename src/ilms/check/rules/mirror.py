"""Mirror rules, one per ``mirrors:`` entry of ``agreements.yaml``: a country of origin's figures
about a partner country against what the partner reports about migrants from that country.

The other country's data come from the same dataset or, with a store, from the data held.
"""
from __future__ import annotations

from collections import defaultdict

from ...tables import structure
from ..agreements import Mirror, load
from ..arithmetic import fmt, usable
from ..dataset import Dataset
from ..findings import Cell, Finding, Value
from ..registry import rule

NOT_COUNTRIES = ("TOTAL", "X")


def _partner_cells(ds: Dataset, table_no: int, partner_dim: str, area: str):
    """(partner, sex, time) -> [(observation, held)] of one country's table."""
    table = structure().table(table_no)
    pos = table.key_order.index(partner_dim)
    out = defaultdict(list)
    for (key, time), (obs, held) in ds.known(table_no, area).items():
        if len(key) == len(table.key_order) and usable(obs) and key[pos] not in NOT_COUNTRIES:
            out[(key[pos], key[3], time)].append((obs, held))
    return out


def _pairs(ds: Dataset, m: Mirror) -> set[tuple[str, str]]:
    """(origin, destination) pairs that the data under check speak about."""
    pairs = set()
    for side in m.origin_side + (m.destination_side,):
        table = structure().table(side.table)
        pos = table.key_order.index(side.partner)
        for obs in ds.of_table(side.table):
            if len(obs.key) == len(table.key_order) and obs.key[pos] not in NOT_COUNTRIES:
                area, partner = obs.key[0], obs.key[pos]
                pairs.add((area, partner) if side in m.origin_side else (partner, area))
    return pairs


def _check(m: Mirror):
    def check(ds: Dataset):
        limit = ds.settings.mirror_ratio
        dest = m.destination_side
        for origin, destination in sorted(_pairs(ds, m)):
            theirs = _partner_cells(ds, dest.table, dest.partner, destination)
            for side in m.origin_side:
                ours = _partner_cells(ds, side.table, side.partner, origin)
                for (partner, sex, time), mine in sorted(ours.items()):
                    if partner != destination:
                        continue
                    for o1, h1 in mine:
                        for o2, h2 in theirs.get((origin, sex, time), ()):
                            if h1 and h2:
                                continue
                            a, b = float(o1.value), float(o2.value)
                            if a > 0 and b > 0:
                                ratio = a / b
                                if 1 / limit <= ratio <= limit:
                                    continue
                            elif max(a, b) <= ds.settings.yoy_absolute:
                                continue
                            yield _finding(m, side.table, dest.table, origin, destination, sex, time,
                                           (o1, h1), (o2, h2))
    return check


def _finding(m, t1, t2, origin, destination, sex, time, mine, theirs):
    (o1, h1), (o2, h2) = mine, theirs
    sex_label = structure().codelists["CL_SEX"].label(sex)
    reported = Value(f"Table {t1} reported by {origin} (to/in {destination})", float(o1.value))
    expected = Value(f"Table {t2} reported by {destination} (from {origin})", float(o2.value))
    ratio = reported.value / expected.value if expected.value else None
    ratio_text = f"ratio {ratio:.2f}" if ratio is not None else "no ratio: one figure is zero"
    message = (f"{origin} → {destination} {time}, {sex_label}: {origin} reports {fmt(reported.value)} "
               f"(table {t1}), {destination} reports {fmt(expected.value)} (table {t2}); {ratio_text}.")
    return Finding(message, t1, origin, time, (Cell.of(o1, "origin", held=h1), Cell.of(o2, "partner", held=h2)),
                   reported, expected, None,
                   "Mirror figures come from different sources and seldom match; check definitions and "
                   "coverage, and explain a large gap in a note.", extra={"ratio": ratio})


for _m in load()[1]:
    rule(id=f"mirror.{_m.id}", title=_m.title, severity="warning", category="mirror", tables=_m.tables,
         description=f"{_m.description} Figures differing by more than a factor set by the check "
                     "(2 by default) are shown with both values and their ratio.")(_check(_m))
