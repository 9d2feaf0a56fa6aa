"""Wording shared by the rules: where a finding is, and the labels of codes."""
from __future__ import annotations

from ...tables import structure
from ..dataset import SliceKey


def code_label(table: int, dim: str, code: str) -> str:
    return structure().table(table).dimension(dim).codelist.label(code)


def where(key: SliceKey, fixed: tuple[tuple[str, str], ...] = ()) -> str:
    """``Table 13, KHM, 2010 (source XA_0)`` plus the fixed codes in words."""
    words = [code_label(key.table, d, c) for d, c in fixed]
    text = f"Table {key.table}, {key.ref_area}, {key.time}"
    if words:
        text += ", " + ", ".join(words)
    return text


def sum_label(table: int, dim: str, codes: tuple[str, ...]) -> str:
    if len(codes) <= 3:
        return " + ".join(code_label(table, dim, c) for c in codes)
    name = structure().table(table).dimension(dim).name.lower()
    return f"the sum of its {len(codes)} components by {name}"


def key_words(table_no: int, key: tuple[str, ...]) -> str:
    """Sex and the table's own codes in words: ``Female, Construction, Total``."""
    table = structure().table(table_no)
    return ", ".join(d.codelist.label(c) for d, c in zip(table.dimensions[3:], key[3:]))
