"""The result of a check: findings with their rules and locations, a verdict, and (for a
resubmission) the diff against the store. ``as_dict`` is the JSON report (report.schema.json)."""
from __future__ import annotations

import datetime as dt
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

    def by_table(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by table, in table order; findings about no table come first."""
        groups: dict[int, list[Finding]] = defaultdict(list)
        for f in self.findings:
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
            "findings": [finding_dict(f) for f in self.findings],
            "diff": self.diff.as_dict() if self.diff is not None else None,
        }


def finding_dict(f: Finding) -> dict:
    rule = RULES.get(f.rule)
    return {
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


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
