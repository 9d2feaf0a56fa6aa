"""Read one table sheet back: check that its hidden codes are where the layout puts them, then
turn every filled cell into an Observation with provenance ``FILE!SHEET!CELL``."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterator

from openpyxl.utils import get_column_letter

from ...observation import Observation
from ...tables import structure
from .flags import attributes_of
from .layout import BLOCK_MARKER, BLOCKS, FREE, PARTNER_CLOSING, SheetLayout
from .lists import entry_code


@dataclass
class SheetError(Exception):
    """Something wrong at one cell of a sheet (the reader adds the file)."""

    sheet: str
    cell: str
    message: str


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def check_structure(ws, L: SheetLayout) -> None:
    """Refuse merged cells and any hidden code not where the template put it."""
    for merged in ws.merged_cells.ranges:
        raise SheetError(L.sheet, merged.coord, "merged cells: the table's rows and columns may not be merged; "
                                                "unmerge them or use a fresh questionnaire")

    def expect(row: int, col: int, code: str, what: str) -> None:
        found = _text(ws.cell(row, col).value)
        if found != code:
            raise SheetError(L.sheet, _ref(row, col),
                             f"the hidden code of {what} should be {code!r}, found {found or 'nothing'!r}: rows or "
                             "columns were inserted, deleted, moved or sorted; use a fresh questionnaire")

    expect(L.block_row, 1, BLOCK_MARKER, "the block row")
    for i, dim in enumerate(L.col_dims):
        expect(L.code_row(i), 1, dim, f"column dimension {dim}")
    for j, dim in enumerate(L.row_dims):
        expect(L.header_row, L.code_col(j), dim, f"row dimension {dim}")
    for block in BLOCKS:
        for c, codes in enumerate(L.cols):
            col = L.col(block, c)
            expect(L.block_row, col, block, f"column {c + 1} of the {block.lower()} block")
            for i, code in enumerate(codes):
                expect(L.code_row(i), col, code, f"column {c + 1} of the {block.lower()} block")
    for r, codes in enumerate(L.rows):
        row = L.data_row(r)
        for j in range(len(L.row_dims)):
            expect(row, L.code_col(j), FREE if codes is None else codes[j], f"data row {r + 1}")
    after = _text(ws.cell(L.last_row + 1, L.code_col(0)).value)
    if after:
        raise SheetError(L.sheet, _ref(L.last_row + 1, L.code_col(0)),
                         f"unexpected code {after!r} below the table: rows were added or moved")


def _number(ws, row: int, col: int, sheet: str):
    value = ws.cell(row, col).value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SheetError(sheet, _ref(row, col), f"{value!r} is not a number: a value cell takes a number only "
                                                "(leave it empty when there is no figure; explain in the note)")
    if not math.isfinite(value):
        raise SheetError(sheet, _ref(row, col), f"{value!r} is not a finite number")
    if value < 0:
        raise SheetError(sheet, _ref(row, col), f"{value!r} is negative: values are 0 or more")
    return float(value)


def decimals_of_number(value: float) -> int:
    if float(value).is_integer():
        return 0
    text = repr(float(value))
    return 0 if "e" in text else len(text.split(".", 1)[1])


def _free_row_code(ws, L: SheetLayout, row: int, taken: dict[str, str]) -> str | None:
    cell = ws.cell(row, L.label_col(0))
    text = _text(cell.value)
    if not text:
        return None
    code = entry_code(text)
    codelist = L.table.dimension(L.free_dim).codelist
    if code not in codelist or code in PARTNER_CLOSING:
        raise SheetError(L.sheet, cell.coordinate,
                         f"{text!r} is not a country of the list: pick one as 'CODE - name', e.g. 'VNM - Viet Nam'")
    if code in taken:
        raise SheetError(L.sheet, cell.coordinate, f"{code} is already in the table, in {taken[code]}")
    taken[code] = cell.coordinate
    return code


def read_sheet(ws, L: SheetLayout, *, file: str, key_of: Callable[[], dict[str, str]], time: str,
               currency: Callable[[], str | None],
               withheld: Callable[[Observation], None] | None = None) -> Iterator[Observation]:
    """The sheet's observations. ``key_of`` gives REF_AREA, SOURCE and BASIS (asked only when the
    sheet has a value, so that an empty table needs no source); ``currency`` likewise.

    A cell flagged C without a value (a confidential value the prefill withheld) yields no
    observation (the stored value stays), but is handed to ``withheld`` as an observation without
    value, flagged confidential: the check then knows the cell exists and is not summed as reported.
    """
    table = L.table
    statuses = structure().codelists["CL_OBS_STATUS"]
    taken = {codes[0]: _ref(L.data_row(r), L.label_col(0)) for r, codes in enumerate(L.rows)
             if codes is not None and L.free_dim}
    for r, codes in enumerate(L.rows):
        row = L.data_row(r)
        if codes is None:
            picked = _free_row_code(ws, L, row, taken)
            codes = (picked,) if picked else None
        for c in range(len(L.cols)):
            value_col, flag_col, note_col = (L.col(b, c) for b in BLOCKS)
            value = _number(ws, row, value_col, L.sheet)
            flag = _text(ws.cell(row, flag_col).value).upper() or None
            note = _text(ws.cell(row, note_col).value) or None
            if value is None and flag is None and note is None:
                continue
            if flag is not None and flag not in statuses:
                raise SheetError(L.sheet, _ref(row, flag_col),
                                 f"flag {flag!r} is not a code of CL_OBS_STATUS ({', '.join(c.id for c in statuses)})")
            if codes is None:
                raise SheetError(L.sheet, _ref(row, L.label_col(0)),
                                 f"{_ref(row, value_col)} has an entry but its row has no country: pick one here")
            if value is None:
                if flag == "C":         # a confidential value withheld from the questionnaire: the stored one stays
                    if withheld is not None:
                        try:
                            held_key = table.key_tuple({**key_of(), **L.key(codes, c)})
                        except SheetError:
                            continue    # no source or basis named: nothing to place the cell in
                        withheld(Observation(
                            table=table.number, key=held_key, time=time, value=None, **attributes_of(flag),
                            comment=note, unit_mult=table.unit.unit_mult,
                            provenance=f"{file}!{L.sheet}!{_ref(row, value_col)}"))
                    continue
                raise SheetError(L.sheet, _ref(row, value_col),
                                 "a flag or note without a value: give the value, or clear the flag and note "
                                 "(a missing figure can be explained in the Notes column of the Metadata sheet)")
            key = {**key_of(), **L.key(codes, c)}
            yield Observation(
                table=table.number, key=table.key_tuple(key), time=time, value=value, **attributes_of(flag),
                comment=note, unit_mult=table.unit.unit_mult,
                currency=currency() if table.unit.currency_required else None,
                decimals=decimals_of_number(value), provenance=f"{file}!{L.sheet}!{_ref(row, value_col)}")
