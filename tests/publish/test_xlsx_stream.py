"""The streaming XLSX writer against the one it replaced (openpyxl's write-only mode): the same
sheets and cells (value and type, as openpyxl reads them back) on random data; the same bytes for
the same rows and time; every time stamp inside the given one."""
from __future__ import annotations

import datetime as dt
import random
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from ilms.publish.tabular import sheet_title, write_xlsx, xlsx_cell
from ilms.publish.xlsx_stream import column_letters

ALPHABET = "ab Z09.,;:'\"&<>=+-@\t\r\n\x07\x1f_x0041_éß–—中🙂"
WHEN = dt.datetime(2026, 3, 14, 15, 9, 27, tzinfo=dt.timezone.utc)


def reference_xlsx(path, sheets) -> None:
    """What ``write_xlsx`` wrote before: openpyxl's write-only workbook, every cell through ``xlsx_cell``."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title(name, taken))
        if header is not None:
            sheet.append([xlsx_cell(h) for h in header])
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
    workbook.save(path)


def random_value(rng: random.Random):
    kind = rng.randrange(9)
    if kind == 0:
        return None
    if kind == 1:
        return rng.randint(-10**12, 10**12)
    if kind == 2:
        return rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-8, 8)
    if kind == 3:
        return Decimal(f"{rng.uniform(-1e5, 1e5):.{rng.randint(0, 6)}f}")
    if kind == 4:
        return rng.choice([True, False, 0, -0.0, 1e-300, 2**53 + 1])
    if kind == 5:
        return rng.choice(["Thailand", "Viet Nam", "", " lead", "trail ", "true", "-", "=", "'x"])
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30)))


def random_sheets(rng: random.Random) -> list:
    sheets = []
    for s in range(rng.randint(1, 3)):
        width = rng.randint(1, 30)
        header = None if rng.random() < 0.3 else [f"COL{i}" for i in range(width)]
        rows = [[random_value(rng) for _ in range(rng.randint(0, width))] for _ in range(rng.randint(0, 60))]
        sheets.append((rng.choice(["Data", "Notes", "a/b:c", "x" * 40]), header, rows))
    return sheets


def cells(path) -> dict:
    workbook = load_workbook(path)
    out = {title: [[(c.value, c.data_type) for c in row] for row in workbook[title].iter_rows()]
           for title in workbook.sheetnames}
    workbook.close()
    return out


@pytest.mark.parametrize("seed", range(25))
def test_the_same_cells_as_openpyxl_wrote(tmp_path, seed):
    sheets = random_sheets(random.Random(seed))
    reference_xlsx(tmp_path / "old.xlsx", sheets)
    counts = write_xlsx(tmp_path / "new.xlsx", sheets, modified=WHEN)
    assert cells(tmp_path / "new.xlsx") == cells(tmp_path / "old.xlsx")
    assert list(counts.values()) == [len(rows) for _, _, rows in sheets]
    read_only = load_workbook(tmp_path / "new.xlsx", read_only=True)
    assert read_only.sheetnames == list(counts)
    read_only.close()


def test_same_rows_and_time_same_bytes_stamped_with_that_time(tmp_path):
    sheets = random_sheets(random.Random(99))
    write_xlsx(tmp_path / "a.xlsx", sheets, modified=WHEN)
    write_xlsx(tmp_path / "b.xlsx", sheets, modified=WHEN)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 3, 14, 15, 9, 26)}
        assert archive.read("docProps/core.xml").decode().count("2026-03-14T15:09:27Z") == 2
    properties = load_workbook(tmp_path / "a.xlsx").properties
    assert properties.created == properties.modified == WHEN.replace(tzinfo=None)


def test_an_empty_workbook_has_one_empty_sheet(tmp_path):
    assert write_xlsx(tmp_path / "e.xlsx", [], modified=WHEN) == {}
    assert load_workbook(tmp_path / "e.xlsx").sheetnames == ["Sheet"]


def test_column_letters():
    letters = column_letters(16384)
    assert letters[:3] == ["A", "B", "C"] and letters[25:28] == ["Z", "AA", "AB"]
    assert letters[701:703] == ["ZZ", "AAA"] and letters[-1] == "XFD"


def test_text_that_becomes_a_formula_once_cleaned_gets_the_apostrophe():
    assert xlsx_cell("\x07=1+1") == "'=1+1"
    assert xlsx_cell("bell\x07") == "bell"
    assert xlsx_cell(True) == "true" and xlsx_cell(-1.5) == -1.5 and xlsx_cell(None) is None


def test_a_sheet_past_the_zip64_threshold_still_opens(tmp_path, monkeypatch):
    from ilms.publish import xlsx_stream
    monkeypatch.setattr(xlsx_stream, "_ZIP64_FROM", 0)          # every sheet "large": zip64 headers
    sheets = random_sheets(random.Random(7))
    write_xlsx(tmp_path / "z.xlsx", sheets, modified=WHEN)
    reference_xlsx(tmp_path / "old.xlsx", sheets)
    assert cells(tmp_path / "z.xlsx") == cells(tmp_path / "old.xlsx")
