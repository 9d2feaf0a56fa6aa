"""Traceable numbers: every figure the report prints carries where it came from.

A :class:`Ledger` numbers the figures in the order they are cited; each :class:`Figure` keeps
its value, the function and parameters that computed it, the release (name and checksum) and
its coverage. The report prints a footnote mark after each number and lists the ledger in its
appendix, so any number can be recomputed.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    number: int
    value: float | None
    unit: str
    what: str                      # what the number is, in words
    query: str                     # the function and parameters that computed it
    coverage: str = ""             # which countries and years went in, flags
    decimals: int = 1

    def text(self) -> str:
        if self.value is None:
            return "not available"
        suffix = {"percent": " %", "thousands": " thousand", "persons": "", "index": ""}.get(self.unit, "")
        return f"{self.value:,.{self.decimals}f}{suffix}"


@dataclass
class Ledger:
    release: str
    checksum: str
    figures: list[Figure] = field(default_factory=list)

    def add(self, value: float | None, unit: str, what: str, query: str, coverage: str = "",
            decimals: int = 1) -> Figure:
        figure = Figure(len(self.figures) + 1, value, unit, what, query, coverage, decimals)
        self.figures.append(figure)
        return figure
