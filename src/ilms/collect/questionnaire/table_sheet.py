"""Write one table sheet: a cross-table as a statistician reads it, with its codes hidden beside it."""
from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ...tables import structure
from . import styles
from .flags import flag_of
from .layout import BLOCK_MARKER, BLOCKS, FREE, HOWTO_ROW, TITLE_ROW, UNIT_ROW, SheetLayout
from .lists import Lists, inline_validation, partner_entry
from .prefill import TableData

BLOCK_TITLES = {"VALUE": "Values", "FLAG": "Flags", "NOTE": "Notes"}
WIDTHS = {"VALUE": 13, "FLAG": 7, "NOTE": 28}


def unit_line(table) -> str:
    unit = table.unit
    if unit.currency_required:
        return f"Unit: {unit.label} (give the currency on the Metadata sheet); up to 2 decimals."
    return f"Unit: {unit.label}; up to 3 decimals."


def _title_comment(table) -> str:
    s = structure()
    indicators = ", ".join(m.indicator for m in table.ilostat)
    return (f"{table.title}.\nMeasure: {table.measure}. Unit: {table.unit.label}.\n"
            f"Module {table.module}: {s.modules[table.module]}.\nDataflow {s.agency}:{table.id}; "
            f"ILOSTAT indicators: {indicators}.")


def _dimension_comment(table, dim: str) -> str:
    d = table.dimension(dim)
    cl = d.codelist
    return f"{d.name} ({cl.id}): {cl.name}." + (f"\n{cl.description}" if cl.description else "")


def _block_comment(block: str, table) -> str:
    if block == "VALUE":
        return f"{table.measure}. {table.unit.label}. Numbers only (0 or more); leave empty when not available."
    if block == "FLAG":
        codes = structure().codelists["CL_OBS_STATUS"]
        return "One code of CL_OBS_STATUS:\n" + "\n".join(f"{c.id} {c.name}" for c in codes)
    return "A note on the value (definition, coverage, break, source detail). Free text."


def _group_start(items, i: int, depth: int) -> bool:
    """Show a label only where its group starts (the outer dimension of a nested header)."""
    return i == 0 or items[i] is None or items[i - 1] is None or items[i][:depth + 1] != items[i - 1][:depth + 1]


def _block_range(L: SheetLayout, block: str) -> str:
    first, last = get_column_letter(L.col(block, 0)), get_column_letter(L.col(block, len(L.cols) - 1))
    return f"{first}{L.first_data_row}:{last}{L.last_row}"


def _validations(L: SheetLayout, lists: Lists) -> list[DataValidation]:
    values = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="A number", error="Enter a number, 0 or more.")
    values.add(_block_range(L, "VALUE"))
    flags = inline_validation([c.id for c in structure().codelists["CL_OBS_STATUS"]],
                              "A flag from CL_OBS_STATUS (see the Instructions sheet), e.g. E for an estimate.")
    flags.add(_block_range(L, "FLAG"))
    out = [values, flags]
    free = [L.data_row(r) for r, codes in enumerate(L.rows) if codes is None]
    if free:
        partners = lists.validation("partner", "Pick a country (code - name) from the list.")
        letter = get_column_letter(L.label_col(0))
        partners.add(f"{letter}{free[0]}:{letter}{free[-1]}")
        out.append(partners)
    return out


def _headers(ws, L: SheetLayout) -> None:
    table = L.table
    styles.code(ws.cell(L.block_row, 1), BLOCK_MARKER)
    for i, dim in enumerate(L.col_dims):
        styles.code(ws.cell(L.code_row(i), 1), dim)
        ws.row_dimensions[L.code_row(i)].hidden = True
    ws.row_dimensions[L.block_row].hidden = True
    across = " x ".join(table.dimension(d).name.lower() for d in L.col_dims)
    for block in BLOCKS:
        for c, codes in enumerate(L.cols):
            col = L.col(block, c)
            styles.code(ws.cell(L.block_row, col), block)
            for i, code in enumerate(codes):
                styles.code(ws.cell(L.code_row(i), col), code)
                label = table.dimension(L.col_dims[i]).codelist.label(code) if _group_start(L.cols, c, i) else None
                styles.header(ws.cell(L.label_row(i), col), label)
            styles.header(ws.cell(L.block_title_row, col), None)
            ws.column_dimensions[get_column_letter(col)].width = WIDTHS[block]
        styles.header(ws.cell(L.block_title_row, L.block_start(block)), f"{BLOCK_TITLES[block]} by {across}",
                      _block_comment(block, table))
        ws.column_dimensions[get_column_letter(L.block_start(block) + len(L.cols))].width = 2
    for j, dim in enumerate(L.row_dims):
        styles.code(ws.cell(L.header_row, L.code_col(j)), dim)
        for r in range(L.block_title_row, L.header_row):
            styles.header(ws.cell(r, L.label_col(j)), None)
        styles.header(ws.cell(L.header_row, L.label_col(j)), table.dimension(dim).name, _dimension_comment(table, dim))
        ws.column_dimensions[get_column_letter(L.code_col(j))].hidden = True
        ws.column_dimensions[get_column_letter(L.label_col(j))].width = 44 if j == len(L.row_dims) - 1 else 16


def write_table_sheet(wb, L: SheetLayout, *, country: str, year: int, data: TableData | None,
                      extras: tuple[str, ...], lists: Lists) -> list[str]:
    """Add ``L.sheet`` to ``wb``; returns what of ``data`` found no place on the sheet."""
    s = structure()
    table = L.table
    ws = wb.create_sheet(L.sheet)
    first = L.label_col(0)
    title = ws.cell(TITLE_ROW, first,
                    f"Table {table.number}. {table.title} - {s.codelists['CL_COUNTRY'].label(country)}, {year}")
    title.font = styles.TITLE
    styles.note(title, _title_comment(table))
    ws.cell(UNIT_ROW, first, unit_line(table)).font = styles.BOLD
    ws.cell(HOWTO_ROW, first, "Enter each value in the Values block; its flag and note go in the same row and "
                              "column of the Flags and Notes blocks. Leave a cell empty when there is no figure."
            ).font = styles.ITALIC
    _headers(ws, L)

    value_style = styles.value_style(table)
    extras_left = list(extras)
    placed: set[tuple[str, ...]] = set()
    for r, row_codes in enumerate(L.rows):
        row = L.data_row(r)
        if row_codes is None:
            styles.code(ws.cell(row, L.code_col(0)), FREE)
            picked = styles.entry(ws.cell(row, L.label_col(0)))
            if extras_left:
                row_codes = (extras_left.pop(0),)
                picked.value = partner_entry(row_codes[0])
        else:
            for j, code in enumerate(row_codes):
                styles.code(ws.cell(row, L.code_col(j)), code)
                if _group_start(L.rows, r, j):
                    label = ws.cell(row, L.label_col(j), table.dimension(L.row_dims[j]).codelist.label(code))
                    label.alignment = styles.WRAP
        for c in range(len(L.cols)):
            obs = None
            if data is not None and row_codes is not None:
                key = L.key(row_codes, c)
                obs = data.cells.get(tuple(key[d] for d in table.key_order[3:]))
                if obs is not None:
                    placed.add(obs.key[3:])
            styles.entry(ws.cell(row, L.col("VALUE", c)), obs.value if obs else None, value_style)
            styles.entry(ws.cell(row, L.col("FLAG", c)), flag_of(obs) if obs else None)
            styles.entry(ws.cell(row, L.col("NOTE", c)), obs.comment if obs else None)
    for dv in _validations(L, lists):
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(L.first_data_row, L.block_start("VALUE"))
    styles.protect(ws)
    left = []
    if data is not None:
        for cell_key, obs in sorted(data.cells.items()):
            if cell_key not in placed:
                left.append(f"table {table.number}: {'.'.join(obs.key)} {obs.time} has no cell in the questionnaire")
    return left
