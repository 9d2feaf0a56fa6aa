"""The settings of statistical disclosure control, in one place.

Each scalar field can be set from the environment as ``ILMS_DISCLOSURE_<FIELD>`` (e.g.
``ILMS_DISCLOSURE_PROTECTION=0.2``); functions take an explicit ``Settings`` too (tests do).

The protection range can differ by source, as the source's agreement sets it: the rules are data,
a YAML file (``rules.yaml`` next to this module, or the file ``ILMS_DISCLOSURE_RULES`` names)::

    sources:
      XA_9083:                 # a source code of the catalogue
        protection: 0.30       # +-30 % instead of the global share
        min_range: 0.01        # optional; the global one otherwise
        agreement: "..."       # optional, free text: where the rule comes from

A cell takes the rule of its source (the SOURCE of its series key), else the global one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import yaml

RULES_FILE = "rules.yaml"
RULE_FIELDS = ("protection", "min_range", "agreement")


class RuleError(ValueError):
    """A protection rule that cannot be used; the message names the file and the source."""


@dataclass(frozen=True)
class Rule:
    """What one source's agreement asks: the public's interval must leave ``protection`` x value on
    each side, and at least ``min_range`` above."""
    protection: float
    min_range: float
    agreement: str = ""

    def required(self, value: float) -> tuple[float, float]:
        """(lowest upper bound, highest lower bound) the public's proof may reach for ``value``."""
        value = abs(value)
        return value + max(self.protection * value, self.min_range), value - self.protection * value


@dataclass(frozen=True)
class Settings:
    #: the protection range a confidential cell needs: what the public can prove about it must
    #: leave at least this share of its value on each side (0.15: nothing narrower than +-15 %)
    protection: float = 0.15
    #: the smallest range on the upper side, in the table's unit (so that a confidential zero is
    #: protected too: an attacker must not be able to prove it is zero)
    min_range: float = 0.001
    #: seconds one component's suppression (or one audit bound) may take; beyond, the suppression
    #: keeps the best pattern the audit has proven so far, or, with none, a clear error
    time_limit: float = 60.0
    #: rounds of "solve, audit, add what failed" the suppression may take for one component
    max_rounds: int = 200
    #: cuts learnt per failing cell and round (each a further route of attack)
    deepening: int = 3
    #: the suppression may stop with a proven pattern whose value withheld is within this share of
    #: the least possible (the integer programme's lower bound)
    optimality_gap: float = 0.05
    #: rounds in a row the integer programme may take without improving the best proven pattern
    #: before the suppression keeps that pattern (a deterministic budget, unlike the time limit)
    stall_rounds: int = 25
    #: per-source rules (source code -> Rule), from ``rules.yaml`` / ``ILMS_DISCLOSURE_RULES``
    rules: Mapping[str, Rule] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        environ = os.environ if environ is None else environ
        changes = {}
        for f in fields(cls):
            if f.name == "rules":
                continue
            raw = environ.get(f"ILMS_DISCLOSURE_{f.name.upper()}")
            if raw is None:
                continue
            kind = type(getattr(cls, f.name))
            try:
                changes[f.name] = kind(raw)
            except ValueError:
                raise ValueError(f"ILMS_DISCLOSURE_{f.name.upper()}={raw!r}: expected {kind.__name__}") from None
        made = replace(cls(), **changes)
        if not 0 <= made.protection < 1:
            raise ValueError(f"ILMS_DISCLOSURE_PROTECTION={made.protection}: expected a share from 0 to 1")
        path = environ.get("ILMS_DISCLOSURE_RULES")
        return replace(made, rules=load_rules(Path(path) if path else None, made))

    def rule(self, source: str | None = None) -> Rule:
        """The rule of ``source`` (its own, or the global one)."""
        found = self.rules.get(source) if source else None
        return found or Rule(self.protection, self.min_range)

    def required(self, value: float, source: str | None = None) -> tuple[float, float]:
        """(lowest upper bound, highest lower bound) the public's proof may reach for ``value``."""
        return self.rule(source).required(value)


def _share(raw, where: str, name: str, *, below_one: bool) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise RuleError(f"{where}: {name} {raw!r} is not a number")
    value = float(raw)
    if value < 0 or (below_one and value >= 1):
        raise RuleError(f"{where}: {name} {raw!r} is not " + ("a share from 0 to 1 (1 excluded)" if below_one
                                                               else "a non-negative number"))
    return value


def parse_rules(doc, origin: str, defaults: Settings = Settings()) -> Mapping[str, Rule]:
    """The rules of a parsed rules file; ``origin`` names the file in errors."""
    from ..store.sources import SourceError, source_type
    if doc is None:
        return MappingProxyType({})
    if not isinstance(doc, dict) or set(doc) - {"sources"}:
        raise RuleError(f"{origin}: expected a mapping with one key, `sources` (source code -> rule)")
    raw_sources = doc.get("sources") or {}
    if not isinstance(raw_sources, dict):
        raise RuleError(f"{origin}: `sources` must map source codes to rules")
    out: dict[str, Rule] = {}
    for code, raw in raw_sources.items():
        where = f"{origin}: source {code!r}"
        try:
            source_type(str(code))
        except SourceError as exc:
            raise RuleError(f"{where}: not a source code ({exc})") from None
        if not isinstance(raw, dict) or "protection" not in raw:
            raise RuleError(f"{where}: a rule needs at least `protection` (a share, e.g. 0.25)")
        unknown = sorted(set(raw) - set(RULE_FIELDS))
        if unknown:
            raise RuleError(f"{where}: unknown field(s) {', '.join(unknown)}; expected {', '.join(RULE_FIELDS)}")
        out[str(code)] = Rule(_share(raw["protection"], where, "protection", below_one=True),
                              _share(raw.get("min_range", defaults.min_range), where, "min_range", below_one=False),
                              str(raw.get("agreement", "")))
    return MappingProxyType(out)


def load_rules(path: Path | None = None, defaults: Settings = Settings()) -> Mapping[str, Rule]:
    """The per-source rules of ``path`` (default: the ``rules.yaml`` shipped next to this module)."""
    if path is None:
        text, origin = (resources.files("ilms.disclosure") / RULES_FILE).read_text(encoding="utf-8"), RULES_FILE
    else:
        origin = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RuleError(f"ILMS_DISCLOSURE_RULES={origin}: cannot read it ({exc.strerror})") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"{origin}: not valid YAML ({exc})") from None
    return parse_rules(doc, origin, defaults)
