"""Where things sit on the Metadata sheet (shared by writer and reader).

Three blocks, top to bottom: the source used by each table (one row per table), up to
``len(NEW_SOURCES)`` new sources described by the respondent, and the country's source
catalogue (read only, for reference). Column A is hidden and carries the row codes.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...store.sources import FIELDS
from ...tables import Structure, Table, structure

METADATA_SHEET = "Metadata"
NEW_SOURCES = ("NEW1", "NEW2", "NEW3")
#: Columns of the per-table block, left to right (A is the hidden code column).
TABLE_COLUMNS = ("code", "table", "title", "source", "basis", "currency", "notes")
#: Columns of the new-source block: the store's source fields after the ILOSTAT id.
NEW_COLUMNS = ("code", "label", "ilostat_id", *FIELDS)
CATALOGUE_COLUMNS = ("code", *FIELDS)
FIELD_LABELS = {
    "table": "Table", "title": "Title", "source": "Source used", "basis": "Migrant definition (basis)",
    "currency": "Currency of wages (ISO 4217)", "notes": "Notes", "label": "New source",
    "ilostat_id": "ILOSTAT source id, if known (e.g. BA:453)", "name": "Name of the source",
    "type": "Type of source", "agency": "Agency responsible", "periodicity": "Periodicity",
    "coverage": "Geographic and population coverage", "migrant_definition": "Migrant definition (BIR/CIT)",
    "reference_period": "Reference period", "classifications": "Classification versions", "code": "Code",
}


def table_code(table: Table) -> str:
    return f"T{table.number:02d}"


def bases(table: Table) -> tuple[str, ...]:
    """The migrant bases a table can be reported on, from its ILOSTAT mappings (module C: ``_Z``)."""
    return tuple(sorted({m.fixed["BASIS"] for m in table.ilostat if "BASIS" in m.fixed}))


@dataclass(frozen=True)
class MetadataLayout:
    tables: tuple[Table, ...]

    title_row: int = 1
    howto_row: int = 2
    tables_section_row: int = 4

    @property
    def tables_header_row(self) -> int:
        return self.tables_section_row + 1

    def table_row(self, i: int) -> int:
        return self.tables_header_row + 1 + i

    @property
    def new_section_row(self) -> int:
        return self.table_row(len(self.tables)) + 1

    @property
    def new_header_row(self) -> int:
        return self.new_section_row + 1

    def new_row(self, i: int) -> int:
        return self.new_header_row + 1 + i

    @property
    def catalogue_section_row(self) -> int:
        return self.new_row(len(NEW_SOURCES)) + 1

    @property
    def catalogue_header_row(self) -> int:
        return self.catalogue_section_row + 1

    @staticmethod
    def table_col(name: str) -> int:
        return TABLE_COLUMNS.index(name) + 1

    @staticmethod
    def new_col(name: str) -> int:
        return NEW_COLUMNS.index(name) + 1


def metadata_layout(s: Structure | None = None) -> MetadataLayout:
    s = s or structure()
    return MetadataLayout(tuple(s.tables[n] for n in sorted(s.tables)))
