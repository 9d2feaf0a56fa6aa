"""What a rule finds: a ``Finding`` names the rule, the cells involved and the values that disagree."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from ..observation import Observation
from ..tables import structure

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Cell:
    """One cell a finding is about, with where it came from."""

    table: int
    key: Mapping[str, str]             # dimension -> code, in the table's key order
    time: str
    value: float | None
    provenance: str | None = None      # "file:line" / "file!sheet!cell"; None for the store
    role: str = "cell"                 # total, component, earlier, partner, ...
    held: bool = False                 # True: from the store (data already held), not from the file

    @classmethod
    def of(cls, obs: Observation, role: str = "cell", *, held: bool = False) -> "Cell":
        table = structure().table(obs.table)
        return cls(obs.table, dict(zip(table.key_order, obs.key)), obs.time, obs.value,
                   obs.provenance, role, held)

    def code(self, dim: str) -> str | None:
        return self.key.get(dim)

    def label(self) -> str:
        """Short human form: ``T15 LAO SEX_F DESTINATION=KOR 2023``."""
        own = " ".join(f"{d}={c}" for d, c in list(self.key.items())[4:])
        parts = [f"T{self.table}", self.key.get("REF_AREA", ""), self.key.get("SEX", ""), own, self.time]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Value:
    """One side of a disagreement: what it is (e.g. "sum of SEX_M + SEX_F") and its value."""

    label: str
    value: float


@dataclass(frozen=True)
class Finding:
    message: str
    table: int | None = None
    ref_area: str | None = None
    time: str | None = None
    cells: tuple[Cell, ...] = ()
    reported: Value | None = None      # the value as reported (e.g. the total)
    expected: Value | None = None      # what it is checked against (e.g. the sum of components)
    tolerance: float | None = None
    suggestion: str | None = None      # what the focal point can do (e.g. "flag 2014 B")
    rule: str = ""                     # filled in by the runner from the rule
    severity: str = ""                 # the rule's unless the rule decides (completeness)
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def difference(self) -> float | None:
        if self.reported is None or self.expected is None:
            return None
        return self.reported.value - self.expected.value

    @property
    def ratio(self) -> float | None:
        if self.reported is None or self.expected is None or not self.expected.value:
            return None
        return self.reported.value / self.expected.value

    def with_(self, **changes) -> "Finding":
        return replace(self, **changes)

    def sort_key(self) -> tuple:
        return (self.table or 0, self.ref_area or "", self.time or "", SEVERITIES.index(self.severity)
                if self.severity in SEVERITIES else 9, self.rule)
