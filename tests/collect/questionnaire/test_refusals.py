"""Malformed questionnaires are refused with the file, the sheet and the cell, and loading one
leaves the database as it was."""
from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest

from ilms.collect.load import LoadRefused, load_file
from ilms.collect.questionnaire import build, read_questionnaire
from ilms.collect.questionnaire.writer import save
from ilms.collect.registry import ReadError, detect
from ilms.store import sources

from .compound import encrypted_workbook, legacy_workbook
from .helpers import COUNTRY, YEAR, find_cells, free_rows, put, obs
from ...store.helpers import counts

def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return counts(conn)


T05_CELL = frozenset({"SEX": "SEX_T", "ECO": "ECO_ISIC4_C", "MIG": "MIG_STATUS_MIGRANT"}.items())


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A questionnaire with one valid value (T05) and its source, to be damaged by each test."""
    path = tmp_path_factory.mktemp("tpl") / "template.xlsx"
    wb, _ = build(COUNTRY, YEAR, catalogue=[{"code": "BA_453"}])
    save(wb, path)
    wb = openpyxl.load_workbook(path)
    wb["T05"][find_cells(wb["T05"], 5)[T05_CELL]["VALUE"]] = 301.5
    wb["Metadata"]["D10"], wb["Metadata"]["E10"] = "BA_453", "BIR"
    wb.save(path)
    assert len(list(read_questionnaire(path).observations())) == 1
    return path


@pytest.fixture
def damaged(template, tmp_path):
    """damaged(edit) -> path of a copy of the template after ``edit(workbook)``."""
    def make(edit, name="THA_2024.xlsx"):
        path = tmp_path / name
        wb = openpyxl.load_workbook(template)
        edit(wb)
        wb.save(path)
        return path
    return make


def refused(path, *needles, **kw):
    with pytest.raises(ReadError) as err:
        read_questionnaire(path, **kw)
    message = str(err.value)
    for needle in (path.name, *needles):
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


def t05(wb, block="VALUE"):
    return find_cells(wb["T05"], 5)[T05_CELL][block]


def test_wrong_template_version(damaged):
    def edit(wb):
        wb["_ilms"]["B2"] = "0"
    refused(damaged(edit), "_ilms!B2", "template version '0'", "fresh questionnaire")


def test_outdated_declarations(damaged):
    def edit(wb):
        wb["_ilms"]["B6"] = "sha256:0123"
    refused(damaged(edit), "_ilms!B6", "outdated")


def test_not_a_questionnaire(damaged):
    refused(damaged(lambda wb: wb.remove(wb["_ilms"])), "not an ILMS questionnaire", "_ilms")


def test_renamed_sheet(damaged):
    def edit(wb):
        wb["T05"].title = "Employment"
    refused(damaged(edit), "T05!A1", "missing (renamed or removed?)", "Employment")


def test_removed_sheet(damaged):
    refused(damaged(lambda wb: wb.remove(wb["T07"])), "T07!A1", "sheet T07 is missing")


def test_unknown_country_added_in_a_free_row(damaged):
    def edit(wb):
        ws = wb["T03"]
        row = free_rows(ws)[0]
        ws.cell(row, 2, "ATL - Atlantis")
        ws.cell(row, 3, 5.0)
    refused(damaged(edit), "T03!B17", "'ATL - Atlantis' is not a country of the list")


def test_listed_country_added_twice(damaged):
    def edit(wb):
        wb["T03"].cell(free_rows(wb["T03"])[1], 2, "MMR - Myanmar")
    refused(damaged(edit), "T03!B18", "MMR is already in the table, in B12")


def test_value_in_a_free_row_without_a_country(damaged):
    def edit(wb):
        wb["T03"].cell(free_rows(wb["T03"])[0], 4, 1.0)
    refused(damaged(edit), "T03!B17", "D17 has an entry but its row has no country")


@pytest.mark.parametrize("text", ["n/a", "1,234.5", "12 (est.)"])
def test_text_in_a_number_cell(damaged, text):
    cell = {}

    def edit(wb):
        cell["ref"] = t05(wb)
        wb["T05"][cell["ref"]] = text
    path = damaged(edit)
    refused(path, f"T05!{cell['ref']}", f"{text!r} is not a number")


def test_negative_value_and_unknown_flag(damaged):
    def negative(wb):
        wb["T05"][t05(wb)] = -1
    refused(damaged(negative, "neg.xlsx"), "T05!", "is negative")

    def flag(wb):
        wb["T05"][t05(wb, "FLAG")] = "Q"
    refused(damaged(flag, "flag.xlsx"), "T05!", "flag 'Q' is not a code of CL_OBS_STATUS")


def test_merged_cells(damaged):
    def edit(wb):
        wb["T05"].merge_cells("C10:D10")
    refused(damaged(edit), "T05!C10:D10", "merged cells")


def test_inserted_row_moves_the_hidden_codes(damaged):
    def edit(wb):
        wb["T05"].insert_rows(12)
    refused(damaged(edit), "T05!A12", "should be 'ECO_ISIC4_B'", "inserted, deleted, moved or sorted")


def test_deleted_column_moves_the_hidden_codes(damaged):
    def edit(wb):
        wb["T05"].delete_cols(4)
    refused(damaged(edit), "T05!D5", "should be 'SEX_T', found 'SEX_M'")


def test_sorted_rows_are_detected(damaged):
    def edit(wb):
        ws = wb["T05"]
        for col in range(1, ws.max_column + 1):        # swap rows 11 and 12 whole, hidden codes included
            a, b = ws.cell(11, col), ws.cell(12, col)
            a.value, b.value = b.value, a.value
    refused(damaged(edit), "T05!A11", "should be 'ECO_ISIC4_A'")


def test_a_table_with_values_needs_its_source(damaged):
    def edit(wb):
        wb["Metadata"]["D10"] = None
    refused(damaged(edit), "Metadata!D10", "table 5 has values but no source")


def test_a_source_outside_the_catalogue(damaged):
    def edit(wb):
        wb["Metadata"]["D10"] = "BA_999"
    refused(damaged(edit), "Metadata!D10", "'BA_999' is not in the catalogue")


def test_encrypted_workbook(tmp_path):
    path = tmp_path / "THA_2024.xlsx"
    path.write_bytes(encrypted_workbook())
    refused(path, "the workbook is password-protected")
    assert detect(path).name == "questionnaire"        # claimed, so that the message is this one


def test_legacy_xls(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(legacy_workbook())
    refused(path, "Excel 97-2003")


def test_corrupt_workbooks(template, tmp_path):
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(template.read_bytes()[:20000])
    refused(truncated, "not an .xlsx workbook")
    damaged_part = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(damaged_part, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b"<broken" if info.filename == "xl/workbook.xml" else data)
    refused(damaged_part, "corrupt")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    refused(text, "not an .xlsx workbook")


def test_size_limit(template, tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    shutil.copy(template, path)
    refused(path, "over the limit of 0.01 MB", max_bytes=10_000)
    monkeypatch.setenv("ILMS_QUESTIONNAIRE_MAX_MB", "0.02")
    refused(path, "over the limit of 0.02 MB", "ILMS_LIMIT_UPLOAD_BYTES")     # the legacy name is still read


def test_a_refused_questionnaire_leaves_the_database_unchanged(engine, damaged, template):
    """Load through the registry (format detected): refused whole, nothing written."""
    with engine.begin() as conn:
        put(conn, [obs(5, {"SEX": "SEX_T", "ECO": "ECO_ISIC4_A", "MIG": "MIG_STATUS_TOTAL"}, 7.0)])
    before = row_counts(engine)

    def late_error(wb):      # a good value on T05, an error on the last sheet
        wb["T17"]["C8"] = "twelve"
    for path, where in ((damaged(late_error), "T17!C8"), (damaged(lambda wb: wb.remove(wb["T12"]), "gone.xlsx"), "T12!A1")):
        with pytest.raises(LoadRefused) as err:
            load_file(engine, path, by="pytest")
        assert path.name in str(err.value) and where in str(err.value)
        assert row_counts(engine) == before
    result = load_file(engine, template, by="pytest")        # the undamaged one loads
    assert result.format == "questionnaire" and result.summary.added == 1
    with engine.connect() as conn:
        assert [s["code"] for s in sources.catalogue(conn, COUNTRY)] == ["BA_453"]


@pytest.mark.parametrize("variable", ["ILMS_LIMIT_QUESTIONNAIRE_CELLS", "ILMS_QUESTIONNAIRE_MAX_CELLS"])
def test_cell_limit_from_the_one_setting(template, tmp_path, monkeypatch, variable):
    path = tmp_path / "cells.xlsx"
    shutil.copy(template, path)
    read_questionnaire(path)                                   # the default limit: read
    monkeypatch.setenv(variable, "100")
    refused(path, "the workbook holds more than 100 cells", "ILMS_LIMIT_QUESTIONNAIRE_CELLS")
