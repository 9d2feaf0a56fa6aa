"""The written workbook: its sheets, a data cell for every required cell, protection, drop-downs,
comments and the version stamp."""
from __future__ import annotations

import itertools

import openpyxl
import pytest

from ilms.collect.questionnaire import build
from ilms.collect.questionnaire.layout import FREE_ROWS, default_partners
from ilms.collect.questionnaire.version import TEMPLATE_VERSION, fingerprint
from ilms.collect.questionnaire.writer import QuestionnaireError, save
from ilms.tables import structure

from .helpers import COUNTRY, YEAR, find_cells, free_rows

TABLE_SHEETS = [f"T{n:02d}" for n in range(1, 18)]


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "THA_2024.xlsx"
    wb, _ = build(COUNTRY, YEAR, catalogue=[{"code": "BA_453", "name": "Labour Force Survey", "type": "BA"}])
    save(wb, path)
    return openpyxl.load_workbook(path)


def test_sheets_instructions_metadata_17_tables_and_hidden_stamp(blank):
    visible = [ws.title for ws in blank.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Instructions", "Metadata", *TABLE_SHEETS]
    assert blank["_ilms"].sheet_state == "hidden"
    stamp = {row[0].value: row[1].value for row in blank["_ilms"].iter_rows(min_row=2, max_col=2)}
    assert stamp["template_version"] == TEMPLATE_VERSION
    assert (stamp["country"], stamp["year"]) == (COUNTRY, YEAR)
    assert stamp["structure_fingerprint"] == fingerprint() and stamp["generated_at"]
    assert blank.security.lockStructure


def test_every_required_cell_of_every_table_has_an_unlocked_number_cell_with_flag_and_note(blank):
    for table in structure().tables.values():
        ws = blank[f"T{table.number:02d}"]
        cells = find_cells(ws, table.number)
        dims = list(table.required)
        decimal_ranges = [dv.sqref for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
        assert len(decimal_ranges) == 1 and all(dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
                                                for dv in ws.data_validations.dataValidation if dv.type == "decimal")
        for codes in itertools.product(*(table.required[d] for d in dims)):
            key = frozenset(zip(dims, codes))
            assert key in cells, f"table {table.number}: no cell for {dict(key)}"
            found = cells[key]
            assert set(found) == {"VALUE", "FLAG", "NOTE"}
            value = ws[found["VALUE"]]
            assert not value.protection.locked and value.number_format.startswith("#,##0.")
            assert found["VALUE"] in decimal_ranges[0]
            assert not ws[found["FLAG"]].protection.locked and not ws[found["NOTE"]].protection.locked
        assert ws.protection.sheet and not ws.protection.password   # protected, no password
        assert ws.column_dimensions["A"].hidden


def test_rows_as_statisticians_read_them(blank):
    t05 = find_cells(blank["T05"], 5)
    rows = sorted({int(v["VALUE"][1:]) for v in t05.values()})
    labels = [blank["T05"].cell(r, 2).value for r in rows]
    assert labels[0] == "Total" and labels[1].startswith("A. Agriculture") and labels[-1].startswith("X.")
    t01 = blank["T01"]
    lms = [t01.cell(r, 4).value for r in range(10, 15)]
    assert lms == ["Working-age population", "Labour force", "Employed", "Unemployed", "Outside the labour force"]
    t03 = blank["T03"]
    codes = [t03.cell(r, 1).value for r in range(8, t03.max_row + 1) if t03.cell(r, 1).value]
    partners = default_partners(COUNTRY, YEAR)
    assert codes == [*partners, *["+"] * FREE_ROWS, "X", "TOTAL"] and COUNTRY not in partners
    assert [t03.cell(t03.max_row - i, 2).value for i in (1, 0)] == ["Other countries", "Total"]


def test_drop_downs_for_flags_partner_countries_and_sources(blank):
    t03 = blank["T03"]
    rows = free_rows(t03)
    lists = {dv.type + ":" + dv.formula1: dv for dv in t03.data_validations.dataValidation}
    flag = next(dv for key, dv in lists.items() if key.startswith("list:\"A,"))
    assert set(flag.formula1.strip('"').split(",")) == {c.id for c in structure().codelists["CL_OBS_STATUS"]}
    partner = next(dv for key, dv in lists.items() if "_lists" in key)
    assert all(f"B{r}" in partner.sqref for r in rows) and not t03[f"B{rows[0]}"].protection.locked
    entries = [c.value for c in blank["_lists"]["A"][1:] if c.value]
    assert "VNM - Viet Nam" in entries and "CHN - China" in entries and not any(e.startswith("TOTAL") for e in entries)
    sources = [c.value for c in blank["_lists"]["B"][1:] if c.value]
    assert sources == ["BA_453", "NEW1", "NEW2", "NEW3"]
    meta = blank["Metadata"]
    assert any("_lists'!$B" in dv.formula1 and "D6" in dv.sqref for dv in meta.data_validations.dataValidation)
    assert meta["E18"].value == "_Z"                     # module C: no migrant basis to pick


def test_comments_carry_definitions_and_instructions_cover_the_rules(blank):
    t05 = blank["T05"]
    assert "ISIC" in t05["B1"].comment.text or "economic activity" in t05["B1"].comment.text.lower()
    flags_title = next(c for row in t05.iter_rows(max_row=10) for c in row if str(c.value).startswith("Flags"))
    assert "C Confidential" in flags_title.comment.text
    text = " ".join(str(c.value) for row in blank["Instructions"].iter_rows() for c in row if c.value)
    for needed in ("International migrant worker", "20th International Conference of Labour Statisticians",
                   "15 years and over", "Thousands of persons", "local currency per month", "confidential",
                   "Adding a partner country", "Notes"):
        assert needed in text, needed


def test_fingerprint_follows_the_declarations(monkeypatch):
    s = structure()
    before = fingerprint(s)
    table = s.tables[5]
    monkeypatch.setitem(s.tables, 5, type(table)(**{**table.__dict__, "title": table.title + " (revised)"}))
    assert fingerprint(s) != before


def test_unknown_country_is_refused():
    with pytest.raises(QuestionnaireError, match="unknown country 'XYZ'"):
        build("XYZ", YEAR)
