"""How an indicator combines its terms: a registry of formulas, named in ``indicators.yaml``.

A formula gets the terms' values (never None: a missing term means no result) and returns the
value, or None where it is undefined (a zero denominator).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from ..tables import DeclarationError


@dataclass(frozen=True)
class Formula:
    id: str
    terms: tuple[str, ...]
    text: str                                    # how it reads in the methods section
    compute: Callable[[Mapping[str, float]], float | None]


FORMULAS: dict[str, Formula] = {}


def register(id: str, terms: tuple[str, ...], text: str):
    def deco(fn):
        FORMULAS[id] = Formula(id, terms, text, fn)
        return fn
    return deco


def get(formula_id: str) -> Formula:
    try:
        return FORMULAS[formula_id]
    except KeyError:
        raise DeclarationError(f"no formula {formula_id!r}; known: {', '.join(FORMULAS)}") from None


def _div(x: float, y: float) -> float | None:
    return None if y == 0 else x / y


@register("ratio", ("a", "b"), "a / b")
def ratio(t):
    return _div(t["a"], t["b"])


@register("gap", ("a", "b"), "(b - a) / b")
def gap(t):
    return _div(t["b"] - t["a"], t["b"])


@register("relative", ("a", "b", "c", "d"), "(a / b) / (c / d)")
def relative(t):
    first, second = _div(t["a"], t["b"]), _div(t["c"], t["d"])
    return None if first is None or second is None else _div(first, second)
