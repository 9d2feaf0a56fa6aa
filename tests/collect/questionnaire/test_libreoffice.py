"""The workbook opens cleanly in LibreOffice: converted headless to ODS and back to XLSX, it is
still a valid questionnaire with every value; converted to CSV, every sheet keeps its values."""
from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from ilms.collect.questionnaire import read_questionnaire, write_questionnaire

from ...conftest import IN_CI
from .helpers import COUNTRY, YEAR, cells_of, put, sample

TIMEOUT = 180


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if not found:
        if IN_CI:
            pytest.fail("LibreOffice (libreoffice/soffice) is missing under CI: scripts/system-packages.sh installs it")
        pytest.skip("LibreOffice (libreoffice/soffice) is not installed: the conversion test is skipped")
    return found


def convert(soffice: str, source: Path, target: str, outdir: Path, profile: Path, produces: str | None = None) -> Path:
    """One headless conversion with its own profile; the whole process group is killed on timeout.
    Returns the file produced (``produces``: its name when it is not SOURCE_STEM.EXT)."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir), str(source)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"LibreOffice did not convert {source.name} to {target} within {TIMEOUT} s")
    produced = outdir / (produces or f"{source.stem}.{target.split(':')[0]}")
    assert proc.returncode == 0 and produced.exists(), out.decode(errors="replace")
    return produced


@pytest.fixture
def prefilled(sqlite_engine, tmp_path) -> Path:
    with sqlite_engine.begin() as conn:
        put(conn, sample())
    path = tmp_path / "THA_2024.xlsx"
    with sqlite_engine.connect() as conn:
        write_questionnaire(path, conn, COUNTRY, YEAR, prefill=True)
    return path


def test_libreoffice_round_trip_keeps_the_questionnaire_valid(soffice, prefilled, tmp_path):
    expected = cells_of(read_questionnaire(prefilled).observations())
    assert len(expected) == len(sample()) - 1
    profile = tmp_path / "lo-profile"
    ods = convert(soffice, prefilled, "ods", tmp_path / "ods", profile)
    back = convert(soffice, ods, "xlsx", tmp_path / "xlsx", profile)
    q = read_questionnaire(back)
    assert cells_of(q.observations()) == expected
    assert q.metadata.tables[8].currency == "THB"


def test_libreoffice_csv_of_every_sheet_keeps_every_value(soffice, prefilled, tmp_path):
    # filter options: comma, double quote, UTF-8, from line 1, ..., export all sheets (-1): one file per sheet
    target = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
    convert(soffice, prefilled, target, tmp_path / "csv", tmp_path / "lo-profile", produces="THA_2024-T01.csv")
    files = {p.stem.rsplit("-", 1)[-1]: p for p in (tmp_path / "csv").glob("*.csv")}
    assert {"Instructions", "Metadata", *(f"T{n:02d}" for n in range(1, 18))} <= set(files)
    for o in read_questionnaire(prefilled).observations():
        sheet, cell = o.provenance.split("!")[1:]
        rows = list(csv.reader(files[sheet].open(encoding="utf-8")))
        letter, row = coordinate_from_string(cell)
        text = rows[row - 1][column_index_from_string(letter) - 1]
        assert float(text.replace(",", "")) == pytest.approx(o.value, abs=0.0005), (sheet, cell, text)
