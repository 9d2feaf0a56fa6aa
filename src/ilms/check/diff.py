"""A resubmission against the values already held: cells added, changed (old -> new) and removed,
for the same countries, tables and periods as the file."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from ..observation import Observation
from ..store.read import Selection, observations
from ..tables import structure


@dataclass(frozen=True)
class Change:
    table: int
    key: tuple[str, ...]
    time: str
    old: float | None
    new: float | None
    provenance: str | None = None

    def as_dict(self) -> dict:
        table = structure().table(self.table)
        return {"table": self.table, "key": dict(zip(table.key_order, self.key)), "time": self.time,
                "old": self.old, "new": self.new, "provenance": self.provenance}


@dataclass
class Diff:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"added": [c.as_dict() for c in self.added], "changed": [c.as_dict() for c in self.changed],
                "removed": [c.as_dict() for c in self.removed], "unchanged": self.unchanged}

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{self.unchanged} unchanged")


def _payload(obs: Observation) -> tuple:
    """What a revision compares, with the unit multiplier defaulting to the table's."""
    unit = structure().table(obs.table).unit.unit_mult
    return obs.with_(unit_mult=obs.unit_mult or unit).payload()


def diff(conn, sent: Iterable[Observation], kept: Iterable[Observation] = ()) -> Diff:
    """Compare the cells sent with the store's current values (confidential values included).

    ``kept``: cells named but sent without a value because the stored one stays (a questionnaire's
    confidential cells, flagged C and left empty): unchanged, not removed."""
    scope: dict[tuple[int, str], set[str]] = defaultdict(set)
    new: dict[tuple, Observation] = {}
    for obs in sent:
        if obs.table in structure().tables and obs.key:
            scope[(obs.table, obs.key[0])].add(obs.time)
            new[obs.cell()] = obs
    out = Diff()
    held: dict[tuple, Observation] = {}
    for (table, area), times in sorted(scope.items()):
        sel = Selection(table=table, filters={"REF_AREA": (area,)}, start=min(times), end=max(times))
        for obs in observations(conn, sel, public=False):
            if obs.time in times:
                held[obs.cell()] = obs
    for cell, obs in sorted(new.items()):
        old = held.get(cell)
        if old is None:
            out.added.append(Change(obs.table, obs.key, obs.time, None, obs.value, obs.provenance))
        elif _payload(old) != _payload(obs):
            out.changed.append(Change(obs.table, obs.key, obs.time, old.value, obs.value, obs.provenance))
        else:
            out.unchanged += 1
    kept_cells = {obs.cell() for obs in kept}
    for cell, old in sorted(held.items()):
        if cell in kept_cells and cell not in new:
            out.unchanged += 1
        elif cell not in new:
            out.removed.append(Change(old.table, old.key, old.time, old.value, None))
    return out
