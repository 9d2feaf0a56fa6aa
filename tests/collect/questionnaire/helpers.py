"""Builders for questionnaire tests: data put through the store, cells found by their hidden codes."""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from ilms.observation import Observation
from ilms.store import sources, write
from ilms.tables import structure

COUNTRY, YEAR = "THA", 2024


def obs(table: int, codes: dict[str, str], value: float | None, *, source="BA_453", basis=None, time=str(YEAR),
        **kw) -> Observation:
    """An observation of ``table`` for THA; ``codes`` gives SEX and the table's own dimensions."""
    t = structure().table(table)
    if basis is None:
        basis = "_Z" if t.module == "C" else "BIR"
    key = {"REF_AREA": COUNTRY, "SOURCE": source, "BASIS": basis, **codes}
    return Observation(table, t.key_tuple(key), time, value, unit_mult=t.unit.unit_mult, **kw)


def sample() -> list[Observation]:
    """A few cells across the layouts: two row dimensions, a partner table with a country that
    is not listed, wages with a currency, module C, flags, notes and a confidential value."""
    return [
        obs(1, {"SEX": "SEX_T", "AGE": "AGE_10YRBANDS_Y25-34", "LMS": "LMS_STATUS_EMP", "MIG": "MIG_STATUS_MIGRANT"},
            812.345, status="E", comment="LFS annual average"),
        obs(1, {"SEX": "SEX_F", "AGE": "AGE_10YRBANDS_TOTAL", "LMS": "LMS_STATUS_TOTAL", "MIG": "MIG_STATUS_TOTAL"},
            29876.5),
        obs(3, {"SEX": "SEX_M", "ORIGIN": "MMR"}, 1020.0),
        obs(3, {"SEX": "SEX_M", "ORIGIN": "CHN"}, 12.25, status="P"),
        obs(3, {"SEX": "SEX_T", "ORIGIN": "TOTAL"}, 2400.0),
        obs(5, {"SEX": "SEX_T", "ECO": "ECO_ISIC4_C", "MIG": "MIG_STATUS_MIGRANT"}, 301.002, status="B"),
        obs(8, {"SEX": "SEX_F", "MIG": "MIG_STATUS_MIGRANT"}, 9850.5, currency="THB"),
        obs(13, {"SEX": "SEX_T", "RESIDENCE": "JPN"}, 45.1, source="XA_12"),
        obs(16, {"SEX": "SEX_T", "ECO": "ECO_ISIC4_A"}, 3.0, source="XA_12", status="C", confidential=True),
    ]


def put(conn, observations, by="pytest") -> None:
    sources.ensure(conn, {o.source: o.ref_area for o in observations})
    write.write(conn, observations, kind="load", by=by)


def find_cells(ws, table: int) -> dict[frozenset, dict[str, str]]:
    """Every data cell of a table sheet, found by reading the hidden codes only (independently of
    the package's layout code): {frozenset of (dimension, code)}: {"VALUE": "E12", "FLAG": ..., "NOTE": ...}."""
    t = structure().table(table)
    dims = {"SEX", *(d.id for d in t.own_dimensions)}
    block_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "#BLOCK")
    col_rows = {}
    r = block_row + 1
    while ws.cell(r, 1).value in dims:
        col_rows[ws.cell(r, 1).value] = r
        r += 1
    header = next(r for r in range(block_row, 40) if ws.cell(r, 1).value in dims and r not in col_rows.values())
    row_cols = {}
    j = 1
    while ws.cell(header, j).value in dims:
        row_cols[ws.cell(header, j).value] = j
        j += 1
    out: dict[frozenset, dict[str, str]] = {}
    for row in range(header + 1, ws.max_row + 1):
        row_key = {d: ws.cell(row, j).value for d, j in row_cols.items()}
        if not all(row_key.values()) or "+" in row_key.values():
            continue
        for col in range(1, ws.max_column + 1):
            block = ws.cell(block_row, col).value
            if block not in ("VALUE", "FLAG", "NOTE"):
                continue
            key = frozenset({**row_key, **{d: ws.cell(r, col).value for d, r in col_rows.items()}}.items())
            out.setdefault(key, {})[block] = f"{get_column_letter(col)}{row}"
    return out


def free_rows(ws) -> list[int]:
    """Rows where a partner country can be picked (hidden code '+')."""
    return [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "+"]


def cells_of(observations) -> dict:
    return {o.cell(): o.payload() for o in observations}
