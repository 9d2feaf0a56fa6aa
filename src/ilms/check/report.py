"""The result of a check: findings with their rules and locations, a verdict, and (for a
resubmission) the diff against the store. ``as_dict`` is the JSON report (report.schema.json)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from ..tables import structure
from .dataset import QUESTIONNAIRE
from .diff import Diff
from .findings import ERROR, WARNING, Finding
from .location import locate
from .registry import RULES

SCHEMA_ID = "https://ilms.example.org/schemas/check-report/1"
SCHEMA_VERSION = 1
CHANGED, PRE_EXISTING = "changed", "pre-existing"


@dataclass
class Report:
    findings: list[Finding]
    context: str
    observations: int
    file: str | None = None
    format: str | None = None
    diff: Diff | None = None
    generated_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc)
                              .replace(microsecond=0).isoformat())
    # the cells the file adds or changes, against the values held (None: no baseline, all is new)
    changed_cells: frozenset[tuple] | None = None
    touched_slices: frozenset[tuple] = frozenset()
    fixed: list[dict] = field(default_factory=list)   # findings of the previous submission now gone
    previous: int | None = None                        # that previous submission's id

    def set_baseline(self, d: Diff, *, show: bool = True) -> None:
        """Separate findings on what the file changes from those already in the held data."""
        moved = d.added + d.changed
        self.changed_cells = frozenset((c.table, tuple(c.key), c.time) for c in moved)
        self.touched_slices = frozenset((c.table, c.key[0], c.time) for c in moved + d.removed)
        if show:
            self.diff = d

    def scope(self, f: Finding) -> str:
        """``changed`` when the finding involves a cell the file adds or changes (or, for a finding
        about no cell, a table and year the file changes); ``pre-existing`` otherwise."""
        if self.changed_cells is None:
            return CHANGED
        if not f.cells:
            return CHANGED if f.table is None or (f.table, f.ref_area, f.time) in self.touched_slices \
                else PRE_EXISTING
        for c in f.cells:
            if not c.held and (c.table, tuple(c.key.values()), c.time) in self.changed_cells:
                return CHANGED
        return PRE_EXISTING

    @property
    def on_changes(self) -> list[Finding]:
        return [f for f in self.findings if self.scope(f) == CHANGED]

    @property
    def pre_existing(self) -> list[Finding]:
        return [f for f in self.findings if self.scope(f) == PRE_EXISTING]

    def pre_existing_groups(self) -> list[tuple[str, str, list[Finding]]]:
        """Pre-existing findings grouped by rule: (rule id, severity, findings), errors first."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for f in self.pre_existing:
            groups[f.rule].append(f)
        return sorted(((rid, fs[0].severity, fs) for rid, fs in groups.items()),
                      key=lambda g: (g[1] != ERROR, g[0]))

    def compare_with(self, previous: dict, previous_id: int | None = None) -> None:
        """A resubmission: the previous report's findings that are gone are what it fixed."""
        now = {finding_id(finding_dict(f)) for f in self.findings}
        self.previous = previous_id
        self.fixed = [f for f in previous.get("findings", []) if finding_id(f) not in now]

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    @property
    def passed(self) -> bool:
        return self.errors == 0

    @property
    def refused(self) -> bool:
        """A questionnaire with errors is sent back; published data is never refused."""
        return self.context == QUESTIONNAIRE and not self.passed

    @property
    def verdict(self) -> str:
        if self.passed:
            return "PASSED" + (f" with {_n(self.warnings, 'warning')}" if self.warnings else "")
        return f"{_n(self.errors, 'error')}, {_n(self.warnings, 'warning')}"

    def by_table(self, findings: list[Finding] | None = None) -> list[tuple[str, list[Finding]]]:
        """Findings (all, or those given) grouped by table, in table order; about no table first."""
        groups: dict[int, list[Finding]] = defaultdict(list)
        for f in self.findings if findings is None else findings:
            groups[f.table or 0].append(f)
        out = []
        for number in sorted(groups):
            if number and number in structure().tables:
                t = structure().table(number)
                heading = f"Table {number}: {t.title}"
            else:
                heading = "General" if not number else f"Table {number}"
            out.append((heading, groups[number]))
        return out

    def as_dict(self) -> dict:
        return {
            "$schema": SCHEMA_ID,
            "schema_version": SCHEMA_VERSION,
            "generated_at": self.generated_at,
            "file": self.file,
            "format": self.format,
            "context": self.context,
            "observations": self.observations,
            "verdict": {"passed": self.passed, "refused": self.refused, "errors": self.errors,
                        "warnings": self.warnings, "text": self.verdict},
            "findings": [{**finding_dict(f), "scope": self.scope(f)} for f in self.findings],
            "scope": {"baseline": self.changed_cells is not None, "changed": len(self.on_changes),
                      "pre_existing": len(self.pre_existing)},
            "fixed": {"previous_submission": self.previous, "findings": self.fixed},
            "diff": self.diff.as_dict() if self.diff is not None else None,
        }


def finding_id(f: dict) -> str:
    """A finding's identity across submissions: its rule and the cells it names (not their values),
    so that the same problem in a resubmission has the same id, and a fixed one disappears."""
    cells = sorted((c["table"], sorted(c["key"].items()), c["time"], c["role"]) for c in f.get("cells", ()))
    basis = [f["rule"], f.get("table"), f.get("ref_area"), f.get("time"), cells]
    if not cells:
        basis.append(f.get("message"))
    return hashlib.sha256(json.dumps(basis, default=str).encode()).hexdigest()[:16]


def finding_dict(f: Finding) -> dict:
    rule = RULES.get(f.rule)
    out = {
        "rule": f.rule,
        "title": rule.title if rule else f.rule,
        "severity": f.severity,
        "table": f.table,
        "ref_area": f.ref_area,
        "time": f.time,
        "message": f.message,
        "suggestion": f.suggestion,
        "reported": {"label": f.reported.label, "value": f.reported.value} if f.reported else None,
        "expected": {"label": f.expected.label, "value": f.expected.value} if f.expected else None,
        "difference": f.difference,
        "tolerance": f.tolerance,
        "ratio": f.ratio,
        "cells": [{"table": c.table, "key": dict(c.key), "time": c.time, "value": c.value, "role": c.role,
                   "held": c.held, "provenance": c.provenance, "location": locate(c).as_dict()}
                  for c in f.cells],
    }
    out["id"] = finding_id(out)
    return out


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
