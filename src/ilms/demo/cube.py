"""A cube of counts keyed by codes, completed along the declared hierarchies.

The generator only makes the leaves (men and women, migrants and non-migrants, ISIC sections,
ten-year age bands...). Every total and aggregate is then *computed* from ``structure().hierarchies``,
so each declared sum holds exactly by construction, for every table, with no code that names one.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Sequence

from ..tables import Hierarchy, Table, structure

Cube = dict[tuple[str, ...], int]


def primary_hierarchy(table: Table, dim: str) -> Hierarchy | None:
    """The hierarchy that holds all of a table's required codes for ``dim`` (the smallest one if
    several do; None if none does)."""
    required = set(table.required.get(dim, ()))
    codelist = table.dimension(dim).codelist.id
    found = [h for h in structure().hierarchies_for(codelist) if required <= set(h.codes())]
    return min(found, key=lambda h: len(h.codes())) if found else None


def hierarchy_of(codelist: str) -> Hierarchy:
    """The one hierarchy of a codelist that has a given meaning (sex, migrant status, partners)."""
    found = structure().hierarchies_for(codelist)
    if len(found) != 1:
        raise LookupError(f"{codelist} has {len(found)} hierarchies, expected one")
    return found[0]


def leaves(h: Hierarchy) -> tuple[str, ...]:
    """The codes of a hierarchy that are no parent: what the generator makes."""
    return tuple(c for c in h.codes() if c not in h.sums)


def alternatives(h: Hierarchy) -> list[Hierarchy]:
    """Other hierarchies of the same codelist whose bottom codes are all leaves of ``h``
    (ISIC sections -> broad sectors, ISCO major groups -> skill levels, ...): derivable from it."""
    base = set(leaves(h))
    return [other for other in structure().hierarchies_for(h.codelist)
            if other.id != h.id and set(leaves(other)) <= base]


def _order(hierarchies: Sequence[Hierarchy], present: set[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Parents with their children, each after the parents it is made of."""
    pending = [(h, p) for h in hierarchies for p in h.sums]
    known, out = set(present), []
    while pending:
        ready = [(h, p) for h, p in pending if all(c in known for c in h.children(p, present))]
        if not ready:
            raise LookupError(f"cannot compute {', '.join(p for _, p in pending)} from {sorted(present)}")
        for h, p in ready:
            out.append((p, h.children(p, present)))
            known.add(p)
        pending = [item for item in pending if item not in ready]
    return out


def complete(cube: Mapping[tuple[str, ...], int], hierarchies: Sequence[Sequence[Hierarchy]]) -> Cube:
    """Add every parent code along each axis: ``hierarchies[i]`` are those applied to axis ``i``."""
    out: Cube = dict(cube)
    for axis, axis_hierarchies in enumerate(hierarchies):
        if not axis_hierarchies:
            continue
        present = {key[axis] for key in out}
        order = _order(axis_hierarchies, present)
        rows: dict[tuple, dict[str, int]] = defaultdict(dict)
        for key, value in out.items():
            rows[key[:axis] + key[axis + 1:]][key[axis]] = value
        for rest, row in rows.items():
            for parent, children in order:
                row[parent] = sum(row[c] for c in children)
        out = {rest[:axis] + (code,) + rest[axis:]: value
               for rest, row in rows.items() for code, value in row.items()}
    return out
