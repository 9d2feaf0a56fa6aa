"""The source-quality map and gap analysis on a small release worked out by hand."""
from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ilms.analysis import quality
from ilms.analysis.vintage import AnalysisError
from ilms.cli import main
from ilms.store import sources
from ilms.tables import structure
from ilms.web import create_app

from .fixtures import cell, load, t1


def _release(engine):
    obs = [cell(15, "PHL", "XA_1", "_Z", ("TOTAL",), v, year=y, sex=s)
           for y in ("2018", "2019", "2020") for s, v in (("SEX_T", 10), ("SEX_M", 6), ("SEX_F", 4))]
    obs += [cell(14, "PHL", "XA_1", "_Z", ("TOTAL",), 9, year="2018", sex=s) for s in ("SEX_T", "SEX_M", "SEX_F")]
    # THA: table 1 from an LFS in 2018 (one required cell of 630) and a redesigned LFS in 2020
    obs += [t1("THA", "BA_1", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL", 100, year="2018"),
            t1("THA", "BA_2", "BIR", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL", 101, year="2020"),
            t1("MYS", "BA_3", "CIT", "LMS_STATUS_TOTAL", "MIG_STATUS_TOTAL", 50, year="2020")]
    with engine.begin() as conn:
        sources.upsert(conn, "XA_1", "PHL", name="Overseas employment registry", periodicity="Annual",
                       migrant_definition="not applicable")
        sources.upsert(conn, "BA_1", "THA", name="Labour Force Survey")
        sources.upsert(conn, "BA_2", "THA", name="Labour Force Survey (redesigned)")
    load(engine, obs)


def test_map_scores_breaks_comparability_and_gaps(engine):
    _release(engine)
    with engine.connect() as conn:
        qmap = quality.for_release(conn)
    assert (qmap.first_year, qmap.last_year) == (2018, 2020)
    rows = {(r.country, r.table): r for r in qmap.rows}
    t15 = rows[("PHL", 15)]
    # table 15 requires SEX_T/M/F x TOTAL = 3 cells: all present in each of the 3 years
    assert t15.completeness == 1.0 and t15.years == [2018, 2019, 2020] and not t15.gap
    assert t15.source_names == ["Overseas employment registry"] and t15.periodicity == ["Annual"]
    t14 = rows[("PHL", 14)]
    assert t14.completeness == pytest.approx(1 / 3, abs=1e-4)       # 1 of 3 years
    assert t14.gap == "not reported since 2019" and t14.could_fill[0].startswith("XA_1 (Overseas")
    tha = rows[("THA", 1)]
    needed = 3 * 7 * 5 * 2     # SEX x AGE (total + 6 ten-year bands) x LMS (5 statuses) x MIG (total, migrants)
    assert structure().table(1).required_cells() == needed
    assert tha.completeness == pytest.approx(round(2 / needed / 3, 4))
    assert tha.breaks == ["2020: BA_1 -> BA_2"] and tha.missing_years == [2019]
    assert "MYS" in tha.comparability and "citizenship" in tha.comparability
    assert rows[("THA", 2)].gap == "not reported" and rows[("THA", 2)].could_fill == \
        ["BA_1 (Labour Force Survey)", "BA_2 (Labour Force Survey (redesigned))"]
    assert not rows[("IDN", 1)].reported and rows[("IDN", 1)].could_fill == []


def test_cli_writes_each_format_and_refuses_bad_input(engine, env_database, tmp_path):
    _release(engine)
    runner = CliRunner()
    for name in ("q.csv", "q.xlsx", "q.html"):
        result = runner.invoke(main, ["quality", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    with open(tmp_path / "q.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 17 * 11 and {r["GAP"] for r in rows if r["COUNTRY"] == "PHL" and r["TABLE"] == "14"} == \
        {"not reported since 2019"}
    book = load_workbook(tmp_path / "q.xlsx", read_only=True)
    assert book.sheetnames == ["Quality map", "Gaps", "About"]
    assert "Overseas employment registry" in (tmp_path / "q.html").read_text("utf-8")
    for args, message in ((["--release", "nope"], "no such release"), (["--region", "MARS"], "no such region")):
        result = runner.invoke(main, ["quality", *args, "-o", str(tmp_path / "bad.csv")])
        assert result.exit_code == 1 and message in result.output
    assert not (tmp_path / "bad.csv").exists()


def test_empty_database_is_a_clear_error(engine):
    with engine.connect() as conn:
        with pytest.raises(AnalysisError, match="no release has been published"):
            quality.for_release(conn)


def test_region_without_data(engine, tmp_path, monkeypatch):
    _release(engine)
    (tmp_path / "far.yaml").write_text("id: FAR\nname: Far away\nmembers:\n  ISL: {joined: 1990-01-01}\n", "utf-8")
    monkeypatch.setenv("ILMS_REGIONS_DIR", str(tmp_path))
    from ilms.tables import loader
    loader.structure.cache_clear()
    try:
        with engine.connect() as conn:
            with pytest.raises(AnalysisError, match="no data for the members of FAR"):
                quality.for_release(conn, region="FAR")
    finally:
        loader.structure.cache_clear()


def test_api(engine):
    _release(engine)
    client = TestClient(create_app(engine))
    doc = client.get("/api/v1/quality", params={"country": "PHL"}).json()
    assert doc["release"] == "r1" and {r["country"] for r in doc["rows"]} == {"PHL"}
    assert {r["table"]: r["completeness"] for r in doc["rows"]}[15] == 1.0
    r = client.get("/api/v1/quality", params={"country": "FRA"})
    assert r.status_code == 400 and r.json()["parameter"] == "country"
    assert client.get("/api/v1/quality", params={"release": "x"}).status_code == 404
