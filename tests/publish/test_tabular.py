"""The tabular writer: CSV (plain, gzip, streams) and XLSX, formula-safe, atomic."""
from __future__ import annotations

import csv
import gzip
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ilms.publish.tabular import safe_text, sheet_title, write_csv, write_xlsx

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", [-1.5, 0, -3, Decimal("-2.50"), 1e-9])
def test_numbers_stay_numbers(value):
    assert safe_text(value) is value


def test_plain_text_none_and_booleans():
    assert safe_text("Thailand") == "Thailand"
    assert safe_text("a=b") == "a=b"
    assert safe_text(None) is None
    assert safe_text(True) == "true"


def test_csv_neutralises_text_but_not_numbers(tmp_path):
    path = tmp_path / "out.csv"
    n = write_csv(path, ["name", "value"], [["=cmd()", -1.5], ["-5", Decimal("2.50")], ["ok", 12.0], [None, None]])
    assert n == 4
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    assert rows == [["name", "value"], ["'=cmd()", "-1.5"], ["'-5", "2.50"], ["ok", "12"], ["", ""]]


def test_csv_gzip_by_file_name_and_by_flag(tmp_path):
    rows = [["a", 1], ["b", 2.25]]
    write_csv(tmp_path / "out.csv.gz", ["k", "v"], rows)
    with gzip.open(tmp_path / "out.csv.gz", "rt", encoding="utf-8") as f:
        assert f.read() == "k,v\na,1\nb,2.25\n"
    write_csv(tmp_path / "forced.bin", ["k", "v"], rows, gzip=True)
    assert (tmp_path / "forced.bin").read_bytes()[:2] == b"\x1f\x8b"
    write_csv(tmp_path / "plain.csv.gz", ["k", "v"], rows, gzip=False)
    assert (tmp_path / "plain.csv.gz").read_text(encoding="utf-8").startswith("k,v")


def test_csv_to_text_and_binary_streams():
    text = io.StringIO()
    write_csv(text, ["x"], [["@a"]])
    assert text.getvalue() == "x\n'@a\n"
    binary = io.BytesIO()
    write_csv(binary, ["x"], [["é"]])
    assert binary.getvalue().decode("utf-8") == "x\né\n"
    zipped = io.BytesIO()
    write_csv(zipped, ["x"], [[1]], gzip=True)
    assert gzip.decompress(zipped.getvalue()) == b"x\n1\n"


def test_csv_streams_rows_lazily(tmp_path):
    def many():
        for i in range(100_000):
            yield [i, "row"]
    assert write_csv(tmp_path / "big.csv", ["i", "t"], many()) == 100_000
    assert sum(1 for _ in (tmp_path / "big.csv").open()) == 100_001


def test_a_failure_leaves_no_file_behind(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("previous\n")

    def broken():
        yield ["fine"]
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError):
        write_csv(path, ["h"], broken())
    assert path.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_xlsx_sheets_formulas_neutralised_numbers_kept(tmp_path):
    path = tmp_path / "out.xlsx"
    counts = write_xlsx(path, [
        ("Table 15", ["text", "value"], [["=1+1", -1.5], ["+x", Decimal("2.5")], ["bell\x07", 3]]),
        ("a/b:c", ["only"], iter([["x"]])),
    ])
    assert counts == {"Table 15": 3, "a_b_c": 1}
    wb = load_workbook(path)
    assert wb.sheetnames == ["Table 15", "a_b_c"]
    ws = wb["Table 15"]
    assert [c.value for c in ws[2]] == ["'=1+1", -1.5]
    assert ws["A2"].data_type == "s" and ws["B2"].data_type == "n"
    assert ws["B3"].value == 2.5
    assert ws["A4"].value == "bell"


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    long = "x" * 40
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second
