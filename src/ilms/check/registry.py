"""The rule registry: every rule declares itself with ``@rule(...)`` and ``run`` applies them all.

A rule is a function ``(dataset) -> Iterable[Finding]``; the registry fills in each finding's
rule id and (unless the rule chose one) its severity.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Iterable

from ..tables import structure
from .dataset import Dataset
from .findings import SEVERITIES, Finding

ALL_TABLES = tuple(range(1, 18))
CATEGORIES = {
    "structural": "Structure: codes, values, units, metadata",
    "arithmetic": "Arithmetic: components and totals within a table",
    "cross-table": "Cross-table: the same figure in several tables",
    "time": "Over time: changes and breaks in series",
    "completeness": "Completeness: required cells",
    "mirror": "Mirror checks between countries",
}


class RuleError(ValueError):
    """A rule declared wrongly (raised at import, never while checking)."""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    tables: tuple[int, ...]
    description: str
    category: str
    check: Callable[[Dataset], Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(*, id: str, title: str, severity: str, description: str, category: str,
         tables: Iterable[int] = ALL_TABLES):
    """Register a rule. ``description`` is written for a focal point, not a programmer."""
    if severity not in SEVERITIES:
        raise RuleError(f"rule {id}: severity must be one of {SEVERITIES}")
    if category not in CATEGORIES:
        raise RuleError(f"rule {id}: category must be one of {', '.join(CATEGORIES)}")
    tables = tuple(sorted(set(tables)))
    for t in tables:
        structure().table(t)

    def register(fn):
        if id in RULES:
            raise RuleError(f"rule {id} is declared twice")
        RULES[id] = Rule(id, title, severity, tables, " ".join(description.split()), category, fn)
        return fn
    return register


def rules() -> list[Rule]:
    """Every registered rule, in catalogue order (category, then id)."""
    importlib.import_module(f"{__package__}.rules")     # importing the package registers the rules
    order = list(CATEGORIES)
    return sorted(RULES.values(), key=lambda r: (order.index(r.category), r.id))


def run(dataset: Dataset, only: Iterable[str] | None = None) -> list[Finding]:
    """Apply the rules (all, or those named in ``only``) and return their findings, sorted."""
    selected = rules()
    if only is not None:
        wanted = set(only)
        unknown = wanted - {r.id for r in selected}
        if unknown:
            raise KeyError(f"no such rule: {', '.join(sorted(unknown))}")
        selected = [r for r in selected if r.id in wanted]
    found = []
    for r in selected:
        for f in r.check(dataset):
            found.append(f.with_(rule=r.id, severity=f.severity or r.severity))
    return sorted(found, key=Finding.sort_key)
