"""Read the Metadata sheet back: the source, basis and currency of each table, and new sources.

A table's source, basis and currency are only required when the table holds a value; the
problems of an empty table are not raised (``TableSource.require`` raises them on demand).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pycountry

from ...store.sources import FIELDS, sdmx_code
from ...tables import structure
from .metadata_layout import (METADATA_SHEET, NEW_COLUMNS, NEW_SOURCES, MetadataLayout, bases, metadata_layout,
                              table_code)
from .read_table import SheetError

ILOSTAT_SOURCE_ID = re.compile(r"^([A-Z]{2})[:_](\d+)$")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class TableSource:
    """What the Metadata sheet says about one table."""

    table: int
    source: str | None
    basis: str | None
    currency: str | None
    notes: str | None
    problems: dict[str, SheetError] = field(default_factory=dict)    # field -> why it is unusable

    def require(self, name: str) -> str | None:
        if name in self.problems:
            raise self.problems[name]
        return getattr(self, name)


@dataclass
class Metadata:
    country: str
    year: int
    template_version: str
    generated_at: str
    prefilled_from: str
    tables: dict[int, TableSource] = field(default_factory=dict)
    new_sources: dict[str, dict] = field(default_factory=dict)   # source code -> fields for sources.upsert


def _expect_codes(ws, M: MetadataLayout) -> None:
    expected = [(M.table_row(i), table_code(t)) for i, t in enumerate(M.tables)]
    expected += [(M.new_row(i), label) for i, label in enumerate(NEW_SOURCES)]
    for row, code in expected:
        found = _text(ws.cell(row, 1).value)
        if found != code:
            raise SheetError(METADATA_SHEET, f"A{row}", f"the hidden code of this row should be {code!r}, found "
                                                       f"{found or 'nothing'!r}: rows were inserted, deleted or moved")
    for merged in ws.merged_cells.ranges:
        raise SheetError(METADATA_SHEET, merged.coord, "merged cells are not allowed on the Metadata sheet")


def _new_sources(ws, M: MetadataLayout, country: str, year: int) -> dict[str, tuple[str, dict]]:
    """label (NEW1..) -> (source code, fields) for every new-source row with content."""
    types = structure().codelists["CL_SOURCE_TYPE"]
    out = {}
    for i, label in enumerate(NEW_SOURCES):
        row = M.new_row(i)
        cells = {name: ws.cell(row, M.new_col(name)) for name in NEW_COLUMNS[2:]}
        values = {name: _text(cell.value) for name, cell in cells.items()}
        if not any(values.values()):
            continue
        kind = values["type"].upper()
        if kind not in types:
            raise SheetError(METADATA_SHEET, cells["type"].coordinate,
                             f"{label}: type {values['type'] or '(empty)'!r} is not one of "
                             f"{', '.join(c.id for c in types)}")
        if not values["name"]:
            raise SheetError(METADATA_SHEET, cells["name"].coordinate, f"{label}: the source needs a name")
        if values["migrant_definition"] and values["migrant_definition"].upper() not in ("BIR", "CIT"):
            raise SheetError(METADATA_SHEET, cells["migrant_definition"].coordinate,
                             f"{label}: migrant definition {values['migrant_definition']!r} is not BIR or CIT")
        if values["ilostat_id"]:
            match = ILOSTAT_SOURCE_ID.match(values["ilostat_id"].upper())
            if not match or match.group(1) != kind:
                raise SheetError(METADATA_SHEET, cells["ilostat_id"].coordinate,
                                 f"{label}: {values['ilostat_id']!r} is not an ILOSTAT source id of type {kind} "
                                 f"(e.g. {kind}:453)")
            code = sdmx_code(f"{kind}:{match.group(2)}")
        else:
            code = f"{kind}_{country}{year}{label}"
        fields = {name: values[name] or None for name in FIELDS}
        fields["type"] = kind
        if fields["migrant_definition"]:
            fields["migrant_definition"] = fields["migrant_definition"].upper()
        out[label] = (code, fields)
    return out


def read_metadata(ws, *, country: str, year: int, catalogue: list[str] | None) -> tuple[dict[int, TableSource], dict[str, dict]]:
    """Per-table sources and the new sources (code -> fields); ``catalogue`` lists the source codes
    the workbook offered (None: any well-formed code is accepted)."""
    M = metadata_layout()
    _expect_codes(ws, M)
    new = _new_sources(ws, M, country, year)
    currencies = {c.alpha_3 for c in pycountry.currencies}
    tables = {}
    for i, table in enumerate(M.tables):
        row = M.table_row(i)
        cell = {name: ws.cell(row, M.table_col(name)) for name in ("source", "basis", "currency", "notes")}
        text = {name: _text(c.value) for name, c in cell.items()}
        entry = TableSource(table.number, None, None, None, text["notes"] or None)
        where = f"table {table.number}"

        picked = text["source"]
        if not picked:
            entry.problems["source"] = SheetError(METADATA_SHEET, cell["source"].coordinate,
                                                  f"{where} has values but no source: pick one here")
        elif picked.upper() in NEW_SOURCES:
            if picked.upper() not in new:
                entry.problems["source"] = SheetError(METADATA_SHEET, cell["source"].coordinate,
                                                      f"{where}: {picked.upper()} is picked but not described in "
                                                      "the New sources block")
            else:
                entry.source = new[picked.upper()][0]
        elif catalogue is not None and sdmx_code(picked) not in catalogue:
            raise SheetError(METADATA_SHEET, cell["source"].coordinate,
                             f"{where}: source {picked!r} is not in the catalogue this questionnaire offers "
                             f"({', '.join(catalogue) or 'none'}) nor one of {', '.join(NEW_SOURCES)}")
        else:
            entry.source = sdmx_code(picked)

        choices = bases(table)
        basis = text["basis"].upper()
        if len(choices) == 1:
            entry.basis = choices[0]
        elif basis in choices:
            entry.basis = basis
        elif basis:
            raise SheetError(METADATA_SHEET, cell["basis"].coordinate,
                             f"{where}: migrant basis {text['basis']!r} is not one of {', '.join(choices)}")
        elif picked.upper() in new and new[picked.upper()][1]["migrant_definition"] in choices:
            entry.basis = new[picked.upper()][1]["migrant_definition"]
        else:
            entry.problems["basis"] = SheetError(METADATA_SHEET, cell["basis"].coordinate,
                                                 f"{where} has values but no migrant basis: give "
                                                 f"{' or '.join(choices)}")

        if table.unit.currency_required:
            currency = text["currency"].upper()
            if not currency:
                entry.problems["currency"] = SheetError(METADATA_SHEET, cell["currency"].coordinate,
                                                        f"{where} has wages but no currency: give its ISO 4217 code")
            elif currency not in currencies:
                raise SheetError(METADATA_SHEET, cell["currency"].coordinate,
                                 f"{where}: {text['currency']!r} is not an ISO 4217 currency code")
            entry.currency = currency or None
        tables[table.number] = entry
    return tables, {code: fields for code, fields in new.values()}
