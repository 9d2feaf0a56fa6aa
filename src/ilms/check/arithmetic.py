"""Arithmetic helpers the rules share: rounding tolerance, groups of cells along one dimension,
and the values of hierarchy codes (reported, or derived from their components)."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ..observation import Observation
from ..tables import Hierarchy, Table, structure

EPSILON = 1e-9


def decimals(obs: Observation) -> int:
    """Decimals as reported, or as written by the shortest form of the value."""
    if obs.decimals is not None:
        return obs.decimals
    text = f"{obs.value:.10g}" if obs.value is not None else "0"
    return 0 if "." not in text or "e" in text else len(text.split(".", 1)[1])


def half_unit(obs: Observation, half: float = 0.5) -> float:
    """Half a unit of the last reported decimal: 0.0005 for 1.234, 0.5 for 12."""
    return half * 10.0 ** -decimals(obs)


def additive_tables() -> tuple[int, ...]:
    """Tables of counts (persons); wages are means, which do not add up."""
    return tuple(t.number for t in structure().tables.values() if t.unit.unit_measure == "PS")


def usable(obs: Observation | None) -> bool:
    return obs is not None and isinstance(obs.value, (int, float)) and math.isfinite(obs.value)


@dataclass(frozen=True)
class Group:
    """The cells of one slice that differ only in one dimension: code -> observation."""

    dim: str
    position: int                      # index in the key
    fixed: tuple[tuple[str, str], ...]  # the other dimensions' codes (SEX and own dimensions)
    cells: dict[str, Observation]
    withheld: frozenset[str] = frozenset()   # codes present but confidential, without a value


def withheld(obs: Observation | None) -> bool:
    """A confidential cell sent without its value (the questionnaire's C flag on an empty cell)."""
    return obs is not None and obs.value is None and obs.confidential


def groups(table: Table, cells: dict[tuple[str, ...], Observation]) -> Iterator[Group]:
    """Every group along every dimension from SEX onwards that has a hierarchy."""
    dims = table.key_order[3:]                          # SEX, own dimensions
    for i, dim in enumerate(dims):
        if not hierarchies(table, dim):
            continue
        by_rest: dict[tuple, dict[str, Observation]] = defaultdict(dict)
        hidden: dict[tuple, set[str]] = defaultdict(set)
        for tail, obs in cells.items():
            if usable(obs):
                by_rest[tail[:i] + tail[i + 1:]][tail[i]] = obs
            elif withheld(obs):
                hidden[tail[:i] + tail[i + 1:]].add(tail[i])
        others = dims[:i] + dims[i + 1:]
        for rest, members in sorted(by_rest.items()):
            yield Group(dim, 3 + i, tuple(zip(others, rest)), members, frozenset(hidden.get(rest, ())))


def hierarchies(table: Table, dim: str) -> list[Hierarchy]:
    return structure().hierarchies_for(table.dimension(dim).codelist.id)


@dataclass(frozen=True)
class Resolved:
    """A code's value: reported, or the sum of its components when it is not reported."""

    code: str
    value: float
    tolerance: float
    cells: tuple[Observation, ...]
    derived: bool


def resolve(h: Hierarchy, code: str, cells: dict[str, Observation], half: float,
            depth: int = 0) -> Resolved | None:
    obs = cells.get(code)
    if obs is not None:
        return Resolved(code, float(obs.value), half_unit(obs, half), (obs,), False)
    if depth > 8 or code not in h.sums or h.sums[code] == "*":
        return None
    parts = [resolve(h, c, cells, half, depth + 1) for c in h.sums[code]]
    if not parts or any(p is None for p in parts):
        return None
    return Resolved(code, sum(p.value for p in parts), sum(p.tolerance for p in parts),
                    tuple(o for p in parts for o in p.cells), True)


def depends_on(h: Hierarchy, code: str, codes: frozenset[str], depth: int = 0) -> bool:
    """Whether ``code`` is one of ``codes`` or (not being reported) is made of one of them."""
    if code in codes:
        return True
    if depth > 8 or code not in h.sums or h.sums[code] == "*":
        return False
    return any(depends_on(h, c, codes, depth + 1) for c in h.sums[code])


def children(h: Hierarchy, parent: str, present: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required components, optional components present) of ``parent``."""
    if h.sums[parent] == "*":
        return tuple(sorted(c for c in present if c != parent)), ()
    return tuple(h.sums[parent]), tuple(c for c in h.optional if c in present)


@lru_cache(maxsize=None)
def equivalent_codes(codelist_id: str) -> tuple[tuple[str, ...], ...]:
    """Codes of a codelist that stand for the same categories (same leaves in its hierarchies),
    e.g. ECO_ISIC4_TOTAL, ECO_SECTOR_TOTAL and ECO_AGGREGATE_TOTAL."""
    hs = structure().hierarchies_for(codelist_id)
    if not hs or any("*" in h.sums.values() for h in hs):
        return ()

    def leaves(h: Hierarchy, code: str, depth=0) -> frozenset[str]:
        if code not in h.sums or depth > 8:
            return frozenset({code})
        return frozenset().union(*(leaves(h, c, depth + 1) for c in h.sums[code]))

    by_leaves: dict[frozenset, list[str]] = defaultdict(list)
    for h in hs:
        for parent in h.sums:
            found = leaves(h, parent)
            if parent not in by_leaves[found]:
                by_leaves[found].append(parent)
    for found, codes in by_leaves.items():
        if len(found) == 1:
            (leaf,) = found
            if leaf not in codes:
                codes.append(leaf)
    return tuple(tuple(codes) for codes in by_leaves.values() if len(codes) > 1)


@lru_cache(maxsize=None)
def direct_pairs(codelist_id: str) -> frozenset[frozenset[str]]:
    """Parent and only child pairs (ECO_AGGREGATE_AGR = ECO_ISIC4_A): the hierarchy rule checks those."""
    out = set()
    for h in structure().hierarchies_for(codelist_id):
        for parent, kids in h.sums.items():
            if kids != "*" and len(kids) == 1:
                out.add(frozenset((parent, kids[0])))
    return frozenset(out)


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
