"""Load ``agreements.yaml``: figures several tables share (cross-table) or partner countries mirror."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

import yaml

from ..tables import structure
from .arithmetic import equivalent_codes

RELATIONS = ("equal", "at_most")


class AgreementError(ValueError):
    """agreements.yaml is inconsistent with the table declarations."""


@dataclass(frozen=True)
class CellSpec:
    """Cells of one table with some of its own dimensions fixed (each code with its equivalents)."""

    table: int
    codes: Mapping[str, tuple[str, ...]]     # dimension -> acceptable codes, preferred first

    def matches(self, key_dict: Mapping[str, str]) -> int | None:
        """None when the cell does not match, else a rank (0 = the preferred codes)."""
        rank = 0
        for dim, accepted in self.codes.items():
            code = key_dict.get(dim)
            if code not in accepted:
                return None
            rank += accepted.index(code)
        return rank

    def describe(self) -> str:
        return f"table {self.table} (" + ", ".join(f"{d}={c[0]}" for d, c in self.codes.items()) + ")"


@dataclass(frozen=True)
class Agreement:
    id: str
    title: str
    description: str
    relation: str
    cells: tuple[CellSpec, ...] = ()        # equal
    smaller: tuple[CellSpec, ...] = ()      # at_most
    larger: tuple[CellSpec, ...] = ()

    @property
    def tables(self) -> tuple[int, ...]:
        return tuple(sorted({c.table for c in self.cells + self.smaller + self.larger}))


@dataclass(frozen=True)
class Side:
    table: int
    partner: str


@dataclass(frozen=True)
class Mirror:
    id: str
    title: str
    description: str
    origin_side: tuple[Side, ...]
    destination_side: Side

    @property
    def tables(self) -> tuple[int, ...]:
        return tuple(sorted({s.table for s in self.origin_side} | {self.destination_side.table}))


def _spec(raw, where: str) -> CellSpec:
    table = structure().table(raw["table"])
    codes = {}
    for dim, code in raw["codes"].items():
        if not table.has_dimension(dim):
            raise AgreementError(f"{where}: table {table.number} has no dimension {dim}")
        cl = table.dimension(dim).codelist
        if code not in cl:
            raise AgreementError(f"{where}: {code} is not a code of {cl.id}")
        same = next((group for group in equivalent_codes(cl.id) if code in group), (code,))
        codes[dim] = (code,) + tuple(c for c in same if c != code)
    return CellSpec(table.number, codes)


def _side(raw, where: str) -> Side:
    table = structure().table(raw["table"])
    if not table.has_dimension(raw["partner"]):
        raise AgreementError(f"{where}: table {table.number} has no dimension {raw['partner']}")
    return Side(table.number, raw["partner"])


@lru_cache(maxsize=1)
def load() -> tuple[tuple[Agreement, ...], tuple[Mirror, ...]]:
    doc = yaml.safe_load((resources.files("ilms.check") / "agreements.yaml").read_text(encoding="utf-8"))
    agreements = []
    for raw in doc["agreements"]:
        where = f"agreements.yaml: {raw['id']}"
        if raw["relation"] not in RELATIONS:
            raise AgreementError(f"{where}: relation must be one of {RELATIONS}")
        specs = {k: tuple(_spec(c, where) for c in raw.get(k, ())) for k in ("cells", "smaller", "larger")}
        if raw["relation"] == "equal" and len(specs["cells"]) < 2:
            raise AgreementError(f"{where}: an equality needs at least two cells")
        if raw["relation"] == "at_most" and not (specs["smaller"] and specs["larger"]):
            raise AgreementError(f"{where}: at_most needs `smaller` and `larger` cells")
        agreements.append(Agreement(raw["id"], raw["title"], " ".join(raw["description"].split()),
                                    raw["relation"], **specs))
    mirrors = []
    for raw in doc["mirrors"]:
        where = f"agreements.yaml: {raw['id']}"
        mirrors.append(Mirror(raw["id"], raw["title"], " ".join(raw["description"].split()),
                              tuple(_side(s, where) for s in raw["origin_side"]),
                              _side(raw["destination_side"], where)))
    return tuple(agreements), tuple(mirrors)
