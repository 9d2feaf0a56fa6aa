"""Write the Metadata sheet: the source, migrant basis and currency of each table, new sources,
and the country's source catalogue for reference."""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from ...tables import structure
from . import styles
from .lists import Lists, inline_validation
from .metadata_layout import (CATALOGUE_COLUMNS, FIELD_LABELS, METADATA_SHEET, NEW_COLUMNS, NEW_SOURCES,
                              TABLE_COLUMNS, bases, metadata_layout, table_code)
from .prefill import Prefill

COMMENTS = {
    "source": "Pick the source of this table's figures: a source of the catalogue below, or NEW1-NEW3 "
              "described in the New sources block.",
    "basis": "How the source tells migrants: BIR place of birth (foreign-born), CIT citizenship (non-citizens). "
             "_Z: not applicable (nationals abroad).",
    "currency": "ISO 4217 code of the currency the wages are given in, e.g. THB, MYR, PHP.",
    "ilostat_id": "The ILO's id of the source when it has one (type letters, colon, number: BA:453). "
                  "Leave empty for a source the ILO does not know yet.",
    "type": "BA labour force survey, AA population census, BB other household survey, XA administrative "
            "records, EA official estimate.",
    "migrant_definition": "BIR place of birth, CIT citizenship.",
    "classifications": "Versions used, e.g. ISIC Rev.4; ISCO-08; ISCED 2011; ICSE-93.",
}
WIDTHS = {"code": 8, "table": 9, "title": 60, "source": 18, "basis": 14, "currency": 14, "notes": 40}


def write_metadata(wb, *, country: str, year: int, catalogue: list[dict], prefill: Prefill | None,
                   lists: Lists) -> None:
    s = structure()
    M = metadata_layout(s)
    ws = wb.create_sheet(METADATA_SHEET)
    ws.cell(M.title_row, 2, f"Sources and metadata - {s.codelists['CL_COUNTRY'].label(country)}, {year}").font = styles.TITLE
    ws.cell(M.howto_row, 2, "For each table: the source used, the migrant definition and, for wages, the "
                            "currency. Describe a source missing from the catalogue in a New sources row.").font = styles.ITALIC
    ws.column_dimensions["A"].hidden = True
    for name, width in WIDTHS.items():
        ws.column_dimensions[get_column_letter(M.table_col(name))].width = width
    for j in range(len(TABLE_COLUMNS) + 1, len(NEW_COLUMNS) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 22

    # per-table block
    ws.cell(M.tables_section_row, 2, "Source used, per table").font = styles.BOLD
    for name in TABLE_COLUMNS:
        if name == "code":
            styles.code(ws.cell(M.tables_header_row, 1), "code")
        else:
            styles.header(ws.cell(M.tables_header_row, M.table_col(name)), FIELD_LABELS[name], COMMENTS.get(name))
    source_dv = lists.validation("source", "Pick a source of the catalogue, or NEW1-NEW3.")
    currency_dv = lists.validation("currency", "Pick the ISO 4217 currency code.")
    basis_dv = inline_validation(("BIR", "CIT"), "BIR place of birth, CIT citizenship.")
    for i, table in enumerate(M.tables):
        r = M.table_row(i)
        data = prefill.tables.get(table.number) if prefill else None
        styles.code(ws.cell(r, 1), table_code(table))
        ws.cell(r, M.table_col("table"), f"Table {table.number}")
        ws.cell(r, M.table_col("title"), table.title).alignment = styles.WRAP
        source_dv.add(styles.entry(ws.cell(r, M.table_col("source")), data.source if data else None))
        choices = bases(table)
        basis_cell = ws.cell(r, M.table_col("basis"))
        if len(choices) == 1:
            basis_cell.value = choices[0]
            basis_cell.fill = styles.LOCKED_FILL
        else:
            basis_dv.add(styles.entry(basis_cell, data.basis if data else None))
        currency_cell = ws.cell(r, M.table_col("currency"))
        if table.unit.currency_required:
            currency_dv.add(styles.entry(currency_cell, data.currency if data else None))
        else:
            currency_cell.fill = styles.LOCKED_FILL
        styles.entry(ws.cell(r, M.table_col("notes"))).alignment = styles.WRAP

    # new sources
    ws.cell(M.new_section_row, 2, "New sources (not in the catalogue)").font = styles.BOLD
    styles.code(ws.cell(M.new_header_row, 1), "code")
    for name in NEW_COLUMNS[1:]:
        styles.header(ws.cell(M.new_header_row, M.new_col(name)), FIELD_LABELS[name], COMMENTS.get(name))
    type_dv = inline_validation([c.id for c in s.codelists["CL_SOURCE_TYPE"]], COMMENTS["type"])
    definition_dv = inline_validation(("BIR", "CIT"), COMMENTS["migrant_definition"])
    for i, label in enumerate(NEW_SOURCES):
        r = M.new_row(i)
        styles.code(ws.cell(r, 1), label)
        ws.cell(r, M.new_col("label"), label).font = styles.BOLD
        for name in NEW_COLUMNS[2:]:
            cell = styles.entry(ws.cell(r, M.new_col(name)))
            validation = {"type": type_dv, "migrant_definition": definition_dv}.get(name)
            if validation is not None:
                validation.add(cell)

    # the catalogue, for reference
    ws.cell(M.catalogue_section_row, 2,
            f"Source catalogue of {country} (for reference; ask the ILMS team to correct it)").font = styles.BOLD
    for j, name in enumerate(CATALOGUE_COLUMNS, start=2):
        styles.header(ws.cell(M.catalogue_header_row, j), FIELD_LABELS[name])
    for i, entry in enumerate(catalogue, start=1):
        for j, name in enumerate(CATALOGUE_COLUMNS, start=2):
            ws.cell(M.catalogue_header_row + i, j, entry.get(name)).alignment = styles.WRAP
    if not catalogue:
        ws.cell(M.catalogue_header_row + 1, 2, "(no source recorded yet)").font = styles.ITALIC

    for dv in (source_dv, currency_dv, basis_dv, type_dv, definition_dv):
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(M.tables_header_row + 1, 3)
    styles.protect(ws)

