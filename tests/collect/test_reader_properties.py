"""Property-based tests of the file readers: whatever the bytes, a reader yields observations or
raises a ``ReadError`` that names the file (never another exception, never a hang)."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ilms.collect.registry import ReadError, detect, get_reader

from .hostile.corpus import HEADER, ROW_1, ROW_2, SDMX_HEADER, SDMX_ROW, questionnaire_template

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

#: texts that reach the corners: codes of other codelists, numbers in odd spellings, formulas,
#: control characters, quotes, separators and line ends inside cells, very long cells
nasty_text = st.one_of(
    st.sampled_from(["", " ", "SEX_T", "ECO_ISIC4_A", "CBR_BIR_FOREIGN", "_Z", "_T", "TOTAL", "BA:453", "BA_453",
                     "X:1", "2020", "2020Q1", "2020M13", "2020-01", "99999", "-0", "1e309", "NaN", "inf", "-1",
                     "1,5", "1_000", "0x10", "=1+1", "@SUM(A1)", "+1", "\ufeff1", "１２", "٣", "C", "ZZ", "\x00"]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
)


def _mutated_rows(header: str, rows: list[str]) -> st.SearchStrategy[str]:
    """CSV text: valid rows with some cells replaced by nasty texts, written with csv quoting."""
    width = len(header.split(","))
    base = [next(csv.reader([r])) for r in rows]

    @st.composite
    def build(draw):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
        writer.writerow(header.split(","))
        for _ in range(draw(st.integers(1, 4))):
            row = list(draw(st.sampled_from(base)))
            for _ in range(draw(st.integers(0, 3))):
                i = draw(st.integers(0, width))
                value = draw(nasty_text)
                if i < len(row):
                    row[i] = value
                else:
                    row.append(value)
            writer.writerow(row)
        return out.getvalue()
    return build()


def damaged_copy(source: Path, path: Path, part: int, cut: int, junk: bytes) -> Path:
    """A copy of the zip file ``source`` at ``path`` with ``junk`` written over one of its parts
    (number ``part``, modulo their count) at byte ``cut``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        infos = src.infolist()
        damaged = infos[part % len(infos)].filename
        for info in infos:
            data = src.read(info)
            if info.filename == damaged:
                data = data[:cut] + junk + data[cut + len(junk):]
            dst.writestr(info.filename, data)
    return path


def _only_read_errors(path: Path, format: str | None = None) -> None:
    try:
        reader = get_reader(format) if format else detect(path)
        for obs in reader.read(path):
            assert obs.provenance and obs.provenance.startswith(path.name)
    except ReadError as exc:
        assert path.name in str(exc)


@FAST
@given(text=_mutated_rows(HEADER, [ROW_1, ROW_2]))
def test_ilostat_csv_reader_never_fails_otherwise(text, tmp_path):
    path = tmp_path / "prop.csv"
    path.write_text(text, encoding="utf-8")
    _only_read_errors(path, "ilostat-csv")


@FAST
@given(text=_mutated_rows(SDMX_HEADER, [SDMX_ROW]))
def test_sdmx_csv_reader_never_fails_otherwise(text, tmp_path):
    path = tmp_path / "prop.csv"
    path.write_text(text, encoding="utf-8")
    _only_read_errors(path, "ilo-sdmx-csv")


@FAST
@given(prefix=st.sampled_from([b"", HEADER.encode() + b"\n", SDMX_HEADER.encode() + b"\n", b"PK\x03\x04",
                               b"\x1f\x8b", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]),
       body=st.binary(max_size=2000))
def test_any_bytes_are_detected_or_refused(prefix, body, tmp_path):
    path = tmp_path / "prop.xlsx"
    path.write_bytes(prefix + body)
    _only_read_errors(path)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return questionnaire_template(tmp_path_factory.mktemp("qprop"))


cell_value = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                       nasty_text.filter(lambda t: "\x00" not in t and all(ord(c) >= 32 or c in "\t\n\r" for c in t)))


@SLOW
@given(edits=st.lists(st.tuples(st.sampled_from(["T05", "T03", "T15", "Metadata", "_ilms"]),
                                st.integers(1, 30), st.integers(1, 12), cell_value), min_size=1, max_size=6))
def test_questionnaire_reader_never_fails_otherwise(edits, template, tmp_path):
    wb = openpyxl.load_workbook(template)
    for sheet, row, col, value in edits:
        try:
            wb[sheet].cell(row, col).value = value
        except (ValueError, TypeError):          # openpyxl refuses some texts itself (illegal characters)
            pass
    path = tmp_path / "THA_2024.xlsx"
    wb.save(path)
    _only_read_errors(path, "questionnaire")


@SLOW
@given(part=st.integers(0, 60), cut=st.integers(0, 4000), junk=st.binary(min_size=1, max_size=64))
def test_questionnaire_with_a_damaged_part_is_refused_or_read(part, cut, junk, template, tmp_path):
    path = damaged_copy(template, tmp_path / "THA_2024.xlsx", part, cut, junk)
    _only_read_errors(path, "questionnaire")
