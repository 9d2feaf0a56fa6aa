"""Where everything sits on a table sheet, computed from the table's declaration.

Writer and reader share this one computation: the writer puts codes, labels and cells where
the layout says; the reader recomputes the same layout and refuses a sheet whose hidden codes
are not where the layout puts them.

A table sheet (see docs/questionnaire.md for a picture)::

    row 1        title                      row 2  unit            row 3  how to fill in
    rows 4..     hidden code rows: the block kind (VALUE / FLAG / NOTE), then one row per
                 column dimension (SEX, then MIG when another dimension takes the rows)
    next rows    visible headers: block titles, one label row per column dimension; the last
                 one also names the row dimensions
    data rows    one per combination of the row dimensions' codes

    columns      hidden code columns (one per row dimension), label columns (one per row
                 dimension), the VALUE block, a spacer, the FLAG block, a spacer, the NOTE block
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

from openpyxl.utils import get_column_letter

from ...tables import Structure, Table, structure

#: Dimensions laid across the columns, in this order, when another dimension can take the rows.
COLUMN_DIMENSIONS = ("SEX", "MIG")
#: The blocks of a table sheet, left to right: what each column of a block holds.
BLOCKS = ("VALUE", "FLAG", "NOTE")
#: Marker in a hidden code column of a free row: the code is picked in the label column.
FREE = "+"
#: Marker in the hidden code column of the block-kind row.
BLOCK_MARKER = "#BLOCK"
#: Empty rows offered below the listed partner countries (more when prefilled data needs them).
FREE_ROWS = 10
#: Codes of a partner dimension that close the list, in this order.
PARTNER_CLOSING = ("X", "TOTAL")

TITLE_ROW, UNIT_ROW, HOWTO_ROW, FIRST_CODE_ROW = 1, 2, 3, 4


def sheet_name(table: Table) -> str:
    return f"T{table.number:02d}"


def hierarchical_order(codes: tuple[str, ...], codelist_id: str, s: Structure) -> tuple[str, ...]:
    """``codes`` depth first through the hierarchy that covers exactly them (parents before
    children: total, labour force, employed, unemployed, outside the labour force); else as declared."""
    wanted = set(codes)
    for h in s.hierarchies_for(codelist_id):
        if set(h.codes()) != wanted:
            continue
        roots = [c for c in h.codes() if not any(c in kids for kids in h.sums.values() if kids != "*")]
        out: list[str] = []

        def visit(code: str) -> None:
            if code in out:
                return
            out.append(code)
            for child in h.sums.get(code, ()):
                if child != "*":
                    visit(child)

        for root in roots:
            visit(root)
        return tuple(out)
    return tuple(codes)


@dataclass(frozen=True)
class RowSpec:
    """What the data rows of a table hold: listed code combinations and free rows."""

    listed: tuple[tuple[str, ...], ...]        # code per row dimension, top to bottom, before free rows
    closing: tuple[tuple[str, ...], ...] = ()  # rows after the free rows (other countries, total)
    free: int = 0                              # rows where a code of the free dimension is picked


def _partner_rows(dim: str, table: Table, s: Structure, listed: tuple[str, ...], free: int) -> RowSpec:
    return RowSpec(tuple((c,) for c in listed), tuple((c,) for c in PARTNER_CLOSING), free)


def _classified_rows(dims: tuple[str, ...], table: Table, s: Structure) -> RowSpec:
    per_dim = [hierarchical_order(table.required[d], table.dimension(d).codelist.id, s) for d in dims]
    return RowSpec(tuple(itertools.product(*per_dim)))


#: Codelists whose rows are open: the workbook lists some codes and offers rows to pick others.
OPEN_ROW_CODELISTS: dict[str, Callable[..., RowSpec]] = {"CL_PARTNER": _partner_rows}


def default_partners(country: str, year: int, s: Structure | None = None) -> tuple[str, ...]:
    """Partner countries listed by default: the default region's members that year, but the country."""
    s = s or structure()
    return tuple(c for c in s.default_region.members_in(year) if c != country)


@dataclass(frozen=True)
class SheetLayout:
    table: Table
    row_dims: tuple[str, ...]
    col_dims: tuple[str, ...]
    rows: tuple[tuple[str, ...] | None, ...]   # None: a free row (code picked in the label column)
    cols: tuple[tuple[str, ...], ...]          # codes per column dimension, left to right
    free_dim: str | None = None                # the open row dimension whose codes are picked in free rows

    @property
    def sheet(self) -> str:
        return sheet_name(self.table)

    # ---- rows
    @property
    def block_row(self) -> int:
        """Hidden row holding the block kind of each column."""
        return FIRST_CODE_ROW

    def code_row(self, i: int) -> int:
        """Hidden row holding the codes of column dimension ``i``."""
        return FIRST_CODE_ROW + 1 + i

    @property
    def block_title_row(self) -> int:
        """Visible row with the block titles (Values, Flags, Notes)."""
        return self.code_row(len(self.col_dims))

    def label_row(self, i: int) -> int:
        """Visible row with the labels of column dimension ``i``."""
        return self.block_title_row + 1 + i

    @property
    def header_row(self) -> int:
        """The last header row: it also names the row dimensions."""
        return self.label_row(len(self.col_dims) - 1)

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def data_row(self, r: int) -> int:
        return self.first_data_row + r

    @property
    def last_row(self) -> int:
        return self.first_data_row + len(self.rows) - 1

    # ---- columns
    def code_col(self, j: int) -> int:
        return 1 + j

    def label_col(self, j: int) -> int:
        return 1 + len(self.row_dims) + j

    def block_start(self, block: str) -> int:
        first = 1 + 2 * len(self.row_dims)
        return first + BLOCKS.index(block) * (len(self.cols) + 1)

    def col(self, block: str, c: int) -> int:
        return self.block_start(block) + c

    @property
    def last_col(self) -> int:
        return self.col(BLOCKS[-1], len(self.cols) - 1)

    def cell(self, block: str, r: int, c: int) -> str:
        return f"{get_column_letter(self.col(block, c))}{self.data_row(r)}"

    def key(self, row_codes: tuple[str, ...], c: int) -> dict[str, str]:
        """Codes of the table's own dimensions and SEX for data row ``row_codes`` and column ``c``."""
        return {**dict(zip(self.row_dims, row_codes)), **dict(zip(self.col_dims, self.cols[c]))}


def layout(table: Table, *, partners: tuple[str, ...] = (), free: int = FREE_ROWS,
           s: Structure | None = None) -> SheetLayout:
    """The layout of ``table``'s sheet; ``partners`` and ``free`` only matter for open rows."""
    s = s or structure()
    dims = ("SEX", *(d.id for d in table.own_dimensions))
    across = tuple(d for d in COLUMN_DIMENSIONS if d in dims)
    if len(across) == len(dims):          # nothing left for the rows: the last one takes them
        across = across[:-1]
    row_dims = tuple(d for d in dims if d not in across)
    open_dims = [d for d in row_dims if table.dimension(d).codelist.id in OPEN_ROW_CODELISTS]
    free_dim = open_dims[0] if open_dims else None
    if open_dims:
        if len(row_dims) != 1:
            raise ValueError(f"table {table.number}: an open row dimension must be the only row dimension")
        spec = OPEN_ROW_CODELISTS[table.dimension(open_dims[0]).codelist.id](
            open_dims[0], table, s, partners, free)
    else:
        spec = _classified_rows(row_dims, table, s)
    rows = (*spec.listed, *([None] * spec.free), *spec.closing)
    cols = tuple(itertools.product(*[hierarchical_order(table.required[d], table.dimension(d).codelist.id, s)
                                     for d in across]))
    return SheetLayout(table, row_dims, across, tuple(rows), cols, free_dim)
