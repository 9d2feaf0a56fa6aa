"""The Instructions sheet: definitions, units, flags, notes and how to add a partner country."""
from __future__ import annotations

from openpyxl.styles import Alignment

from ...tables import structure
from . import styles
from .layout import FREE_ROWS, OPEN_ROW_CODELISTS, sheet_name
from .metadata_layout import METADATA_SHEET, NEW_SOURCES
from .version import TEMPLATE_VERSION

INSTRUCTIONS_SHEET = "Instructions"

DEFINITIONS = (
    ("International migrant",
     "A person who has changed his or her country of usual residence. ILMS counts migrants either by "
     "place of birth (foreign-born; basis BIR) or by citizenship (non-citizens; basis CIT), whichever "
     "the source allows: say which on the Metadata sheet, table by table."),
    ("International migrant worker",
     "As in the Guidelines concerning statistics of international labour migration (20th International "
     "Conference of Labour Statisticians, 2018): an international migrant of working age who is in the "
     "labour force of the country of measurement (employed or unemployed) during the reference period, "
     "together with non-resident foreign workers present in the country with a labour attachment to it."),
    ("Working age", "15 years and over, without an upper limit."),
    ("Nationals abroad (module C)",
     "Citizens of the reporting country living in, or leaving for, another country; the migrant basis "
     "does not apply."),
)

UNITS = (
    ("Persons", "Thousands of persons, with up to 3 decimals: 1,234.567 means 1,234,567 persons."),
    ("Wages", "Mean nominal monthly earnings of employees, in local currency per month (not thousands). "
              "Give the currency (ISO 4217 code, e.g. THB) on the Metadata sheet."),
    ("Empty cell", "No figure. Do not write 0 for a figure that is not available, nor text such as n/a: "
                   "leave the cell empty and, if useful, say why in the note."),
)


def write_instructions(wb, *, country: str, year: int) -> None:
    s = structure()
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 110
    rows: list[tuple] = [
        ("title", f"International Labour Migration Statistics (ILMS) questionnaire - "
                  f"{s.codelists['CL_COUNTRY'].label(country)} ({country}), reference year {year}"),
        ("text", "This workbook collects the 17 ILMS tables. Fill in the white cells; grey cells and the "
                 "structure are protected (no password) so that the workbook can be read back automatically."),
        ("", ""),
        ("section", "Definitions"), *(("pair",) + d for d in DEFINITIONS),
        ("", ""),
        ("section", "Units"), *(("pair",) + u for u in UNITS),
        ("", ""),
        ("section", "Flags"),
        ("text", "Each value has a flag cell in the Flags block of its sheet, at the same row and column. "
                 "Use one code of the observation status list (CL_OBS_STATUS); most used: B break in series, "
                 "E estimate, P provisional, C confidential (the value is kept but never published)."),
        *(("pair", f"{c.id}", c.name) for c in s.codelists["CL_OBS_STATUS"]),
        ("", ""),
        ("section", "Notes"),
        ("text", "Each value has a note cell in the Notes block, at the same row and column: free text on "
                 "definitions, coverage, breaks or anything a reader of the figure should know. A note on a "
                 f"whole table goes in the Notes column of the {METADATA_SHEET} sheet."),
        ("", ""),
        ("section", "Sources"),
        ("text", f"On the {METADATA_SHEET} sheet, pick for each table the source its figures come from. A source "
                 f"that is not in the catalogue is described in one of the rows {', '.join(NEW_SOURCES)} and "
                 "picked by that name. Give the migrant definition (BIR place of birth, CIT citizenship) of "
                 "each table, and the currency of the wages."),
        ("", ""),
        ("section", "Adding a partner country"),
        ("text", _partner_text()),
        ("", ""),
        ("section", "Please do not"),
        ("text", "rename, move or delete sheets; insert, delete, sort or merge rows or columns; type text in "
                 "value cells. The workbook is checked when it is read back and is refused if its structure "
                 "has changed; ask for a fresh questionnaire instead."),
        ("", ""),
        ("small", f"Template version {TEMPLATE_VERSION}. Codes sit in hidden rows and columns of each sheet."),
    ]
    for kind, *cells in rows:
        ws.append(cells if kind == "pair" else [cells[0]] if cells else [])
        r = ws.max_row
        if kind == "title":
            ws.cell(r, 1).font = styles.TITLE
        elif kind == "section":
            ws.cell(r, 1).font = styles.BOLD
        elif kind == "text":
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 15 * (1 + len(str(cells[0])) // 130)
        elif kind == "pair":
            ws.cell(r, 1).font = styles.BOLD
            ws.cell(r, 1).alignment = ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 15 * (1 + len(str(cells[1])) // 100)
        elif kind == "small":
            ws.cell(r, 1).font = styles.ITALIC
    styles.protect(ws)


def _partner_text() -> str:
    s = structure()
    sheets = [sheet_name(t) for t in s.tables.values()
              if any(d.codelist.id in OPEN_ROW_CODELISTS for d in t.own_dimensions)]
    return (f"Sheets {', '.join(sheets)} list countries of origin, residence or destination, then {FREE_ROWS} empty "
            "rows, then 'Other countries' and 'Total'. To add a country, pick it (code - name) in the first "
            "column of an empty row and fill in its values. 'Other countries' holds every country not listed "
            "above it, so that the listed countries and 'Other countries' add up to the total.")
