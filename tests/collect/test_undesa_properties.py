"""Property-based tests of the UN DESA International Migrant Stock reader (``ilms.collect.undesa``):
whatever the cells, CSV or workbook, it gives values or a ``ReadError`` naming the file (and the
line, sheet or cell), never another exception, never a hang; a load of any such file into either
database is stored or refused whole (``LoadRefused``), never a database error."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ilms.collect.load import LoadRefused, load_file
from ilms.collect.registry import ReadError, detect
from ilms.collect.undesa import LONG_HEADER, parse_file

from ..store.durability import dump
from .test_reader_properties import damaged_copy, nasty_text

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

LONG_ROWS = [["2019", "Thailand", "764", "THA", "Myanmar", "MMR", "F", "1,200"],
             ["2019", "Thailand", "764", "", "Cambodia", "", "M", "800"],
             ["2019", "Malaysia", "458", "MYS", "Total", "", "F", ".."]]
TITLE = "International Migrant Stock 2019 (POP/DB/MIG/Stock/Rev.2019)"
TOTALS_HEADER = ["Sort order", "Major area, region, country or area of destination", "Notes", "Code",
                 "Type of data (a)", "International migrant stock at mid-year (both sexes)", None,
                 "International migrant stock at mid-year (male)", None,
                 "International migrant stock at mid-year (female)", None]
TOTALS_ROWS = [[None, None, None, None, None, 2015, 2019, 2015, 2019, 2015, 2019],
               [1, "Thailand", None, 764, "B R", "1,000", 1200, 500, 600, 500, 600],
               [2, "UN development groups", None, None, None, "..", "..", "..", "..", "..", ".."],
               [3, "High-income countries", "e", 1503, None, 800, 900, 400, "..", 400, 450]]
OD_HEADER = ["Year", "Sort order", "Major area, region, country or area of destination", "Notes", "Code",
             "Type of data (a)", "Total", "Other North", "Other South", "Myanmar", "Cambodia", "China"]
OD_ROWS = [[2019, 1, "Thailand", None, 764, "B R", 100, None, 1, 60, 20, 5],
           [2019, 2, "Malaysia", None, 458, "B R", 50, None, None, 10, None, ".."]]

cell_value = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                       st.sampled_from([1899, 2019.5, 10**20, 32768, "Table 2", "Code", "Year", "Total",
                                        "Major area, region, country or area of destination", "999999", "0"]),
                       nasty_text.filter(lambda t: "\x00" not in t and all(ord(c) >= 32 or c in "\t\n\r" for c in t)))


def _only_read_errors(path: Path) -> None:
    try:
        parsed = parse_file(path)
    except ReadError as exc:
        assert str(exc).startswith(path.name), str(exc)
        return
    for v in parsed.values:
        assert v.value >= 0 and 1800 <= v.year <= 2200 and v.sex in ("SEX_T", "SEX_M", "SEX_F")
        assert len(v.destination) <= 12 and len(v.origin) <= 12


def _csv_text(rows: list[list], line_end: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end).writerows(rows)
    return out.getvalue()


@st.composite
def edited_rows(draw, rows: list[list], width: int):
    """``rows`` with some cells replaced (or appended) by nasty values, some rows dropped or doubled."""
    rows = [list(r) for r in rows]
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(rows) - 1))
        if draw(st.booleans()):
            rows.insert(i, list(rows[i]))
        elif len(rows) > 2:
            del rows[i]
    for _ in range(draw(st.integers(1, 5))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, width))
        value = draw(cell_value)
        if c < len(rows[r]):
            rows[r][c] = value
        else:
            rows[r].append(value)
    return rows


@FAST
@given(rows=edited_rows(LONG_ROWS, 8), line_end=st.sampled_from(["\n", "\r\n", "\r"]))
def test_long_csv_gives_values_or_a_named_refusal(rows, line_end, tmp_path):
    path = tmp_path / "undesa_ims2019_od.csv"
    path.write_text(_csv_text([LONG_HEADER, *rows], line_end), encoding="utf-8")
    assert detect(path).name == "undesa-ims"
    _only_read_errors(path)


@FAST
@given(rows=edited_rows([[None, None, TITLE], TOTALS_HEADER, *TOTALS_ROWS], 11),
       line_end=st.sampled_from(["\n", "\r\n"]))
def test_totals_csv_gives_values_or_a_named_refusal(rows, line_end, tmp_path):
    path = tmp_path / "undesa_ims2019_totals.csv"
    path.write_text(_csv_text(rows, line_end), encoding="utf-8")
    _only_read_errors(path)


@FAST
@given(prefix=st.sampled_from([b"", ",".join(LONG_HEADER).encode() + b"\n", b"\xef\xbb\xbf",
                               b'x\n"Sort order","Major area, region, country or area of destination",Notes,Code\n']),
       body=st.binary(max_size=1500))
def test_any_bytes_after_a_undesa_start_are_read_or_refused(prefix, body, tmp_path):
    path = tmp_path / "undesa_ims2019_x.csv"
    path.write_bytes(prefix + body)
    _only_read_errors(path)


def _workbook(path: Path, layout: str, edits, far: tuple[int, int] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = [("Table 1", [[None, None, TITLE], TOTALS_HEADER, *TOTALS_ROWS])] if layout == "totals" else \
        [(f"Table {n}", [[f"Table {n}. International migrant stock ({TITLE})"], OD_HEADER, *OD_ROWS]) for n in (1, 2, 3)]
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for r in rows:
            sheet.append(r)
    for sheet_no, row, col, value in edits:
        sheet = book.worksheets[sheet_no % len(book.worksheets)]
        try:
            sheet.cell(row, col).value = value
        except (ValueError, TypeError):          # openpyxl refuses some texts itself (illegal characters)
            pass
    if far:
        book.worksheets[0].cell(*far).value = "far"
    book.save(path)
    return path


edits = st.lists(st.tuples(st.integers(0, 2), st.integers(1, 8), st.integers(1, 14), cell_value), min_size=1,
                 max_size=6)


@pytest.mark.parametrize("layout", ["totals", "origin_destination"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=edits, far=st.one_of(st.none(), st.tuples(st.sampled_from([9, 1000, 1_048_576]),
                                                        st.sampled_from([12, 300, 16_384]))))
def test_workbook_gives_values_or_a_named_refusal(layout, edits, far, tmp_path):
    path = _workbook(tmp_path / "UN_MigrantStock_2019.xlsx", layout, edits, far)
    _only_read_errors(path)


@SLOW
@given(part=st.integers(0, 30), cut=st.integers(0, 3000), junk=st.binary(min_size=1, max_size=64))
def test_workbook_with_a_damaged_part_is_refused_or_read(part, cut, junk, tmp_path):
    good = _workbook(tmp_path / "good.xlsx", "origin_destination", [])
    _only_read_errors(damaged_copy(good, tmp_path / "UN_MigrantStock_2019.xlsx", part, cut, junk))


@SLOW
@given(rows=edited_rows(LONG_ROWS, 8))
def test_a_load_of_any_such_file_is_stored_or_refused_whole(rows, engine, tmp_path):
    """Through ``ilms load``'s path into the database, on both backends: the values' codes, years
    and names fit the columns, or the file is refused and nothing changes."""
    path = tmp_path / "undesa_ims2019_od.csv"
    path.write_text(_csv_text([LONG_HEADER, *rows], "\n"), encoding="utf-8")
    before = dump(engine)
    try:
        load_file(engine, path, by="pytest")
    except LoadRefused as exc:
        assert path.name in str(exc)
        assert dump(engine) == before
