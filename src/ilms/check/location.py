"""Where a cell is, in the terms of what was sent: a questionnaire's sheet, table, row, column and
cell reference (provenance ``FILE!SHEET!CELL``), or a file and line (``file:line``)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..tables import structure
from .findings import Cell

#: Dimensions a questionnaire lays across its columns (SEX, then MIG when another dimension takes the rows).
COLUMN_DIMENSIONS = ("SEX", "MIG")
_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+)$")


@dataclass(frozen=True)
class Location:
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    table: int | None = None
    row_label: str | None = None
    column_label: str | None = None
    held: bool = False                  # a value already in the database, not in the file

    def text(self) -> str:
        if self.held:
            return "in the database"
        if self.sheet:
            return (f"sheet {self.sheet}, cell {self.cell} (row \u201c{self.row_label}\u201d, "
                    f"column \u201c{self.column_label}\u201d)")
        if self.line is not None:
            return f"{self.file}, line {self.line}"
        return self.file or "(no location)"

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}


def _labels(cell: Cell) -> tuple[str, str]:
    """(row label, column label) of a cell as a questionnaire shows it."""
    try:
        table = structure().table(cell.table)
    except KeyError:
        return "", cell.time
    own = [d.id for d in table.own_dimensions]
    columns = [d for d in COLUMN_DIMENSIONS if d == "SEX" or (d in own and len(own) > 1)]
    rows = [d for d in own if d not in columns]

    def label(dim):
        code = cell.key.get(dim)
        return table.dimension(dim).codelist.label(code) if code else ""
    row = " / ".join(label(d) for d in rows) or "Total"
    column = " / ".join(label(d) for d in columns) + f" ({cell.time})"
    return row, column


def locate(cell: Cell) -> Location:
    row, column = _labels(cell)
    prov = cell.provenance
    if cell.held or not prov:
        return Location(table=cell.table, row_label=row, column_label=column, held=cell.held)
    if prov.count("!") >= 2:
        file, sheet, ref = prov.rsplit("!", 2)
        return Location(file=file, sheet=sheet, cell=ref, table=cell.table, row_label=row, column_label=column)
    m = _LINE.match(prov)
    if m:
        return Location(file=m["file"], line=int(m["line"]), table=cell.table, row_label=row, column_label=column)
    return Location(file=prov, table=cell.table, row_label=row, column_label=column)
