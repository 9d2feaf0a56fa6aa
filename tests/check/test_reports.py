"""Reports: terminal verdict, HTML, JSON (validated against its schema), annotated workbook,
questionnaire locations, the generated rule catalogue, and `ilms check` exit statuses."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ilms.check import check_observations, html, terminal
from ilms.check.catalogue import markdown
from ilms.check.location import locate
from ilms.cli import main
from ilms.collect.questionnaire import write_questionnaire
from ilms.collect.questionnaire.layout import default_partners, layout
from ilms.collect.questionnaire.metadata_layout import METADATA_SHEET, metadata_layout
from ilms.store import sources
from ilms.tables import structure

from .helpers import hold, obs, sexes
from .realdata import real_observations

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((resources.files("ilms.check") / "report.schema.json").read_text(encoding="utf-8"))
KHM_2010 = {"SEX_T": 72.728, "SEX_M": 133.269, "SEX_F": 60.541}


def validate(doc: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(doc)


@pytest.fixture
def questionnaire(tmp_path, sqlite_engine):
    """A KHM 2010 questionnaire with table 13 filled (cells C28:E28 of sheet T13)."""
    def make(values: dict[str, float], name="khm_2010.xlsx") -> Path:
        path = tmp_path / name
        with sqlite_engine.begin() as conn:
            sources.upsert(conn, "XA_1", "KHM", name="Overseas register")
            write_questionnaire(path, conn, "KHM", 2010)
        wb = load_workbook(path)
        M = metadata_layout()
        row = M.table_row([t.number for t in M.tables].index(13))
        wb[METADATA_SHEET].cell(row, M.table_col("source")).value = "XA:1"
        L = layout(structure().table(13), partners=default_partners("KHM", 2010))
        r = L.rows.index(("TOTAL",))
        for c, (sex,) in enumerate(L.cols):
            wb[L.sheet][L.cell("VALUE", r, c)] = values[sex]
        wb.save(path)
        return path
    return make


def test_json_report_of_the_real_extracts_validates(shared_dir):
    report = check_observations(real_observations(shared_dir))
    doc = json.loads(json.dumps(report.as_dict()))
    validate(doc)
    assert doc["verdict"]["errors"] == report.errors > 0
    khm = next(f for f in doc["findings"] if f["ref_area"] == "KHM" and f["rule"] == "sum.total")
    assert khm["reported"]["value"] == 72.728 and khm["expected"]["value"] == pytest.approx(193.81)
    assert khm["cells"][0]["location"]["file"] == "ilostat_ddf_mna_tpop_sex_crs_nb_asean.csv"
    assert khm["cells"][0]["location"]["line"] >= 2


def test_schema_rejects_a_malformed_report():
    doc = check_observations(sexes(13, 3.0, 1.0, 1.0, RESIDENCE="THA")).as_dict()
    doc["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)


def test_terminal_verdict_first():
    failed = terminal.render(check_observations(sexes(13, 3.0, 1.0, 1.0, RESIDENCE="TOTAL")))
    assert failed.splitlines()[1].strip() == "1 error, 0 warnings"
    assert "Table 13: Stock of nationals abroad" in failed and "[sum.total]" in failed
    passed = terminal.render(check_observations(sexes(13, 3.0, 1.0, 2.0, RESIDENCE="TOTAL")))
    assert passed.splitlines()[1].strip() == "PASSED"


def test_html_report_is_accessible():
    report = check_observations(sexes(13, 3.0, 1.0, 1.0, RESIDENCE="THA") + [obs(13, 2.0, sex="SEX_Q", RESIDENCE="X")])
    page = html.render(report)
    assert '<html lang="en">' in page and "<h1>" in page and "<h2>Table 13:" in page
    assert "<caption>" in page and 'scope="col"' in page
    assert "Verdict: 2 errors" in page
    assert ">Error</td>" in page                              # severity in words, not colour only
    assert "test.csv, line" in page


def test_questionnaire_findings_are_located_in_questionnaire_terms(questionnaire):
    from ilms.check import check_file
    report = check_file(questionnaire(KHM_2010))
    assert report.context == "questionnaire" and report.refused
    (f,) = [f for f in report.findings if f.rule == "sum.total"]
    loc = locate(f.cells[0])
    assert (loc.sheet, loc.cell, loc.table) == ("T13", "C28", 13)
    assert loc.row_label == "Total" and loc.column_label == "Total (2010)"
    assert "sheet T13, cell C28" in terminal.render(report)


def test_annotated_workbook(questionnaire, tmp_path):
    from ilms.check import check_file
    from ilms.check.annotate import annotate
    path = questionnaire(KHM_2010)
    report = check_file(path)
    target = tmp_path / "annotated.xlsx"
    assert annotate(report, path, target) == 3
    ws = load_workbook(target)["T13"]
    assert "ERROR [sum.total]" in ws["C28"].comment.text
    assert ws["C28"].fill.fgColor.rgb.endswith("FFB3B3")
    assert ws["C27"].comment is None


def test_cli_exit_statuses(questionnaire, tmp_path, monkeypatch):
    monkeypatch.delenv("ILMS_DATABASE_URL", raising=False)
    monkeypatch.setenv("ILMS_DATA_DIR", str(tmp_path / "nodb"))
    runner = CliRunner()
    bad = questionnaire(KHM_2010)
    out = tmp_path / "r"
    result = runner.invoke(main, ["check", str(bad), "--json", f"{out}.json", "--html", f"{out}.html",
                                  "--annotated", f"{out}.xlsx"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[1].strip() == "1 error, 0 warnings"
    validate(json.loads(Path(f"{out}.json").read_text()))
    assert Path(f"{out}.html").read_text().count("<caption>") == 1
    assert load_workbook(f"{out}.xlsx")["T13"]["E28"].comment is not None
    good = questionnaire({"SEX_T": 193.81, "SEX_M": 133.269, "SEX_F": 60.541}, name="good.xlsx")
    result = runner.invoke(main, ["check", str(good)])
    assert result.exit_code == 0 and result.output.splitlines()[1].strip() == "PASSED"
    garbage = tmp_path / "garbage.csv"
    garbage.write_text("not,an,ilms\nfile,at,all\n")
    result = runner.invoke(main, ["check", str(garbage)])
    assert result.exit_code == 2 and "CANNOT READ: garbage.csv" in result.output


def test_cli_diff_against_the_store(env_database, tmp_path):
    from ilms.store.db import make_engine
    engine = make_engine(env_database)
    with engine.begin() as conn:
        hold(conn, [obs(13, 10.0, area="KHM", source="XA_1", time="2010", sex=s, RESIDENCE="THA")
                    for s in ("SEX_M", "SEX_F", "SEX_T")])
    engine.dispose()
    csv = tmp_path / "resubmission.csv"
    csv.write_text("ref_area,source,indicator,sex,classif1,time,obs_value\n"
                   "KHM,XA:1,MNA_TPOP_SEX_CRS_NB,SEX_M,CRS_RES_THA,2010,10\n"
                   "KHM,XA:1,MNA_TPOP_SEX_CRS_NB,SEX_F,CRS_RES_THA,2010,12\n"
                   "KHM,XA:1,MNA_TPOP_SEX_CRS_NB,SEX_F,CRS_RES_MYS,2010,1\n")
    result = CliRunner().invoke(main, ["check", str(csv), "--diff", "--json", str(tmp_path / "d.json")])
    assert result.exit_code == 0, result.output
    assert "1 added, 1 changed, 1 removed, 1 unchanged" in result.output, result.output
    doc = json.loads((tmp_path / "d.json").read_text())
    validate(doc)
    (changed,) = doc["diff"]["changed"]
    assert (changed["key"]["SEX"], changed["old"], changed["new"]) == ("SEX_F", 10.0, 12.0)
    assert doc["diff"]["removed"][0]["key"]["SEX"] == "SEX_T"


def test_rule_catalogue_doc_is_generated_from_the_registry():
    committed = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    assert committed == markdown(), "docs/validation.md is stale: regenerate it with ilms.check.catalogue.write()"
    for rule_id in ("sum.total", "cross.employment_outflow", "mirror.nationals_abroad", "time.series_break"):
        assert f"### {rule_id}" in committed
