"""The hidden ``_lists`` sheet: the long lists behind drop-downs, and how a picked entry reads back.

Short lists (flags, bases, source types) are written into the validation itself; long ones
(partner countries, sources, currencies) live in a column of ``_lists``. A partner country is
picked as ``"VNM - Viet Nam"``: the code comes first, so the reader never guesses from a label.
"""
from __future__ import annotations

from dataclasses import dataclass

import pycountry
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ...tables import structure
from .layout import PARTNER_CLOSING
from .version import LISTS_SHEET

SEPARATOR = " - "


def partner_entry(code: str) -> str:
    return f"{code}{SEPARATOR}{structure().codelists['CL_PARTNER'].label(code)}"


def entry_code(text) -> str:
    """The code of a picked entry ("VNM - Viet Nam" -> "VNM"; "VNM" -> "VNM")."""
    text = str(text).strip()
    return text.split(None, 1)[0] if text else ""


def partner_entries() -> list[str]:
    return [partner_entry(c.id) for c in structure().codelists["CL_PARTNER"] if c.id not in PARTNER_CLOSING]


def currency_codes() -> list[str]:
    return sorted(c.alpha_3 for c in pycountry.currencies)


@dataclass(frozen=True)
class Lists:
    """Where each long list sits on ``_lists`` (column letter and length)."""

    columns: dict[str, tuple[str, int]]

    def formula(self, name: str) -> str:
        letter, n = self.columns[name]
        return f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(n, 1) + 1}"

    def validation(self, name: str, prompt: str) -> DataValidation:
        return DataValidation(type="list", formula1=self.formula(name), allow_blank=True,
                              showErrorMessage=True, errorTitle="Pick from the list",
                              error=prompt, promptTitle="Pick from the list", prompt=prompt)


def write_lists(wb, named: dict[str, list[str]]) -> Lists:
    ws = wb.create_sheet(LISTS_SHEET)
    columns = {}
    for j, (name, values) in enumerate(named.items(), start=1):
        ws.cell(1, j, name)
        for i, value in enumerate(values, start=2):
            ws.cell(i, j, value)
        columns[name] = (get_column_letter(j), len(values))
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return Lists(columns)


def read_list(wb, name: str) -> list[str] | None:
    """The values of list ``name`` as the workbook holds them (None when the list is missing)."""
    if LISTS_SHEET not in wb.sheetnames:
        return None
    ws = wb[LISTS_SHEET]
    for j in range(1, ws.max_column + 1):
        if ws.cell(1, j).value == name:
            return [str(ws.cell(i, j).value) for i in range(2, ws.max_row + 1) if ws.cell(i, j).value is not None]
    return None


def inline_validation(codes, prompt: str) -> DataValidation:
    return DataValidation(type="list", formula1='"' + ",".join(codes) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="Pick from the list", error=prompt,
                          promptTitle="Pick from the list", prompt=prompt)
