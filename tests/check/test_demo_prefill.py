"""Findings a focal point can act on, with the real demonstration data: a prefilled questionnaire
sent back unchanged checks with no error (confidential cells included), a breakdown the table does
not require is not "incomplete", findings on changed cells are separated from those already in
the data held, and a resubmission shows what it fixed -- in the JSON, HTML and annotated reports.

Bounded: a sample of countries and years (each with the year before, for the checks over time).
The full run over every demo country and year is ``bench/check_demo_prefill.py`` (docs/accounts.md
gives its figures).
"""
from __future__ import annotations

import dataclasses
import json
from importlib import resources

import jsonschema
import openpyxl
import pytest

from ilms.check import check_file, check_observations, html
from ilms.check.annotate import annotate
from ilms.collect import submissions
from ilms.collect.questionnaire.reader import read_questionnaire
from ilms.collect.questionnaire.writer import write_questionnaire
from ilms.demo.catalogue import entry
from ilms.demo.dataset import observations
from ilms.demo.plan import sources
from ilms.store import releases, sources as catalogue, write

SEED = 1
# THA 2020: table 9 holds a confidential cell (women from India) that the prefill withholds
SAMPLE = [("THA", 2020), ("LAO", 2024)]
SCHEMA = json.loads((resources.files("ilms.check") / "report.schema.json").read_text(encoding="utf-8"))


def load_demo_sample(engine, country: str, years: set[int]) -> None:
    """The demo dataset's sources of one country, cut to ``years``, loaded and published."""
    plan = [dataclasses.replace(s, years=tuple(y for y in s.years if y in years))
            for s in sources(SEED) if s.country == country]
    plan = [s for s in plan if s.years]
    with engine.begin() as conn:
        for s in plan:
            catalogue.upsert(conn, s.code, s.country, **entry(s, SEED))
        write.write(conn, observations(SEED, plan), kind="demo", by="test")
        releases.create(conn, "sample", by="test", synthetic=True)
        releases.publish(conn, "sample", by="test")


def _validate(doc: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(doc)


@pytest.mark.parametrize("country,year", SAMPLE)
def test_unchanged_prefilled_questionnaire_has_no_error(engine, tmp_path, country, year):
    load_demo_sample(engine, country, {year - 1, year})
    path = tmp_path / f"{country}_{year}.xlsx"
    with engine.connect() as conn:
        write_questionnaire(path, conn, country, year, prefill=True)
        report = check_file(path, conn=conn)
    errors = [f.message for f in report.findings if f.severity == "error"]
    assert errors == [], errors[:3]
    # no "incomplete" breakdown for a component the table does not require (non-migrants)
    assert not [f for f in report.findings if f.rule == "sum.incomplete_breakdown"], \
        [f.message for f in report.findings if f.rule == "sum.incomplete_breakdown"][:3]
    # nothing is changed, so every finding is already in the data held
    assert report.changed_cells == frozenset() and report.on_changes == []
    doc = report.as_dict()
    _validate(doc)
    assert doc["scope"] == {"baseline": True, "changed": 0, "pre_existing": len(report.findings)}
    if (country, year) == ("THA", 2020):
        _confidential_cell_is_withheld_not_summed(engine, path)


def _confidential_cell_is_withheld_not_summed(engine, path):
    withheld = read_questionnaire(path).withheld()
    assert any(o.table == 9 and o.key[3] == "SEX_F" and o.key[4] == "IND" for o in withheld)
    assert all(o.value is None and o.confidential for o in withheld)
    with engine.connect() as conn:
        # without knowing the withheld cell, the total of women in table 9 would not add up
        blind = check_observations(read_questionnaire(path).observations(), context="questionnaire", conn=conn)
        report = check_file(path, conn=conn, with_diff=True)
    assert any(f.rule == "sum.total" and f.table == 9 for f in blind.findings)
    assert report.errors == 0
    # the withheld cells are kept as they are, not removed
    removed = {(c.table, c.key, c.time) for c in report.diff.removed}
    assert not removed & {(o.table, o.key, o.time) for o in withheld}
    assert report.diff.changed == [] and report.diff.added == []


def _cell(path, table, sex, partner):
    for obs in read_questionnaire(path).observations():
        if obs.table == table and obs.key[3] == sex and obs.key[4] == partner:
            _file, sheet, cell = obs.provenance.split("!")
            return sheet, cell, obs.value
    raise AssertionError("cell not in the questionnaire")


def test_changed_cells_first_then_pre_existing_and_resubmission_shows_fixes(engine, tmp_path):
    load_demo_sample(engine, "THA", {2019, 2020})
    path = tmp_path / "THA_2020.xlsx"
    with engine.connect() as conn:
        write_questionnaire(path, conn, "THA", 2020, prefill=True)
    sheet, ref, value = _cell(path, 9, "SEX_F", "KHM")
    wb = openpyxl.load_workbook(path)
    wb[sheet][ref].value = value + 50
    wrong = tmp_path / "THA_2020_wrong.xlsx"
    wb.save(wrong)
    with engine.begin() as conn:
        first = submissions.submit(conn, wrong, by="focal.point")
    report = first.report
    assert report.errors >= 2
    changed = report.on_changes
    assert changed and all(f in changed for f in report.findings if f.severity == "error")
    assert any(f"{sheet}!{ref}" in (c.provenance or "") for f in changed for c in f.cells)
    pre = report.pre_existing
    assert pre and not any(f"{sheet}!{ref}" in (c.provenance or "") for f in pre for c in f.cells)
    doc = report.as_dict()
    _validate(doc)
    assert {f["scope"] for f in doc["findings"] if f["severity"] == "error"} == {"changed"}
    assert doc["scope"]["changed"] == len(changed) and doc["scope"]["pre_existing"] == len(pre)
    assert doc["fixed"] == {"previous_submission": None, "findings": []}
    page = html.render(report)
    assert page.index('id="changed"') < page.index('id="pre-existing"')
    assert f"Already in the data held: {len(pre)} finding" in page and "<details>" in page
    # the annotated workbook marks the changed cell first, pre-existing ones as such
    marked = tmp_path / "marked.xlsx"
    annotate(report, wrong, marked)
    comments = {c.coordinate: c.comment.text for c in openpyxl.load_workbook(marked)[sheet]._cells.values()
                if c.comment}
    assert "ERROR [sum.total]" in comments[ref] and "already in the data held" not in comments[ref].split("\n")[0]
    any_pre = next(c for f in pre for c in f.cells if c.provenance)
    _f, pre_sheet, pre_ref = any_pre.provenance.split("!")
    assert "(already in the data held)" in openpyxl.load_workbook(marked)[pre_sheet][pre_ref].comment.text

    # the resubmission (the fixed file) shows what it fixed
    with engine.begin() as conn:
        second = submissions.submit(conn, path, by="focal.point")
    again = second.report
    assert again.errors == 0 and again.previous == first.id
    fixed_rules = {f["rule"] for f in again.fixed}
    assert {"sum.total", "sum.part_exceeds_total"} <= fixed_rules
    assert all(f["scope"] == "changed" for f in again.fixed)
    doc = again.as_dict()
    _validate(doc)
    assert doc["fixed"]["previous_submission"] == first.id and len(doc["fixed"]["findings"]) == len(again.fixed)
    assert f"Fixed since submission #{first.id}" in html.render(again)
    marked = tmp_path / "fixed.xlsx"
    annotate(again, path, marked)
    assert f"FIXED since submission #{first.id} [sum.total]" in openpyxl.load_workbook(marked)[sheet][ref].comment.text
