"""The settings of statistical disclosure control, in one place.

Each field can be set from the environment as ``ILMS_DISCLOSURE_<FIELD>`` (e.g.
``ILMS_DISCLOSURE_PROTECTION=0.2``); functions take an explicit ``Settings`` too (tests do).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Settings:
    #: the protection range a confidential cell needs: what the public can prove about it must
    #: leave at least this share of its value on each side (0.15: nothing narrower than +-15 %)
    protection: float = 0.15
    #: the smallest range on the upper side, in the table's unit (so that a confidential zero is
    #: protected too: an attacker must not be able to prove it is zero)
    min_range: float = 0.001
    #: seconds one solver run (an audit bound or a suppression problem) may take; beyond, a clear error
    time_limit: float = 60.0
    #: rounds of "solve, audit, add what failed" the suppression may take for one component
    max_rounds: int = 200
    #: cuts learnt per failing cell and round (each a further route of attack)
    deepening: int = 3
    #: the suppression may stop with a proven pattern whose value withheld is within this share of
    #: the least possible (the integer programme's lower bound)
    optimality_gap: float = 0.05

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        environ = os.environ if environ is None else environ
        changes = {}
        for f in fields(cls):
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
        return made

    def required(self, value: float) -> tuple[float, float]:
        """(lowest upper bound, highest lower bound) the public's proof may reach for ``value``."""
        value = abs(value)
        return value + max(self.protection * value, self.min_range), value - self.protection * value
