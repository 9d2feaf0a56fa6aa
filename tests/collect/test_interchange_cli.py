"""``ilms load``, ``ilms export`` and ``ilms fetch ilostat`` end to end through the CLI, on both backends."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import time

from click.testing import CliRunner
from sqlalchemy import func, select

from ilms.cli import main
from ilms.observation import Observation
from ilms.store import write
from ilms.store.db import make_engine
from ilms.store.schema import observation

from .ddf import convert, ddf_rows, write_bulk
from .test_fetch import IloStub

T15 = "ilostat_ddf_mna_oemp_sex_cds_nb_asean.csv"
T17 = "ilostat_ddf_mna_oemp_sex_ocu_nb_idn.csv"


def n_observations(url) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(observation)).scalar()
    finally:
        engine.dispose()


def test_load_reports_counts_and_a_second_load_changes_nothing(env_database, shared_dir, tmp_path):
    path = convert(shared_dir, T17, tmp_path)
    r = CliRunner()
    first = r.invoke(main, ["load", str(path), "--by", "curator", "--reason", "ILOSTAT 2025"])
    assert first.exit_code == 0, first.output
    assert f"{path.name}: 209 added, 0 changed, 0 unchanged" in first.stdout
    assert "new sources (placeholders): XA_901" in first.stdout
    again = r.invoke(main, ["load", str(path)])
    assert again.exit_code == 0 and "0 added, 0 changed, 209 unchanged" in again.stdout


def test_load_stops_at_the_first_refused_file(env_database, shared_dir, tmp_path):
    good = convert(shared_dir, T17, tmp_path)
    rows = list(ddf_rows(shared_dir / "realdata" / T15))
    rows[99]["sex"] = "SEX_Z"
    bad = write_bulk(tmp_path / "bad15.csv", rows, with_classif2=False)
    later = tmp_path / "later.csv"
    later.write_text(good.read_text())
    result = CliRunner().invoke(main, ["load", str(good), str(bad), str(later)])
    assert result.exit_code == 1
    assert "bad15.csv, line 101: column sex: code 'SEX_Z' is not in CL_SEX" in result.stderr
    assert f"loaded before it: {good}" in result.stderr
    assert f"not attempted: {later}" in result.stderr
    assert n_observations(env_database) == 209


def test_load_of_a_missing_or_unknown_file_fails_clearly(env_database, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(main, ["load", str(odd)])
    assert result.exit_code == 1 and "odd.csv: format not recognised" in result.stderr


def _export(args) -> tuple[int, str, list[dict]]:
    result = CliRunner().invoke(main, ["export", *args, "-o", "-"])
    return result.exit_code, result.stderr, list(csv.DictReader(io.StringIO(result.stdout)))


def test_export_defaults_to_the_latest_published_release(env_database, shared_dir, tmp_path):
    r = CliRunner()
    assert r.invoke(main, ["load", str(convert(shared_dir, T15, tmp_path))]).exit_code == 0
    code, err, rows = _export(["--table", "15", "--country", "PHL", "--year", "2014:2024"])
    assert code == 0 and "current data (no release has been published)" in err
    assert {r["ref_area"] for r in rows} == {"PHL"} and min(r["time"] for r in rows) == "2014"
    phl_2014 = next(r for r in rows if (r["sex"], r["classif1"], r["time"]) == ("SEX_T", "CDS_DES_TOTAL", "2014"))
    assert phl_2014["obs_value"] == "1430.842" and phl_2014["source"] == "XA:906"

    assert r.invoke(main, ["release", "create", "2025-1"]).exit_code == 0
    assert r.invoke(main, ["release", "publish", "2025-1"]).exit_code == 0
    time.sleep(0.05)
    between = dt.datetime.now(dt.timezone.utc).isoformat()
    time.sleep(0.05)
    engine = make_engine(env_database)
    with engine.begin() as conn:          # a revision and a confidential cell after the release
        write.write(conn, [Observation(15, ("PHL", "XA_906", "_Z", "SEX_T", "TOTAL"), "2014", 1500.0),
                           Observation(15, ("PHL", "XA_906", "_Z", "SEX_T", "SAU"), "2030", 9.0, status="C",
                                       confidential=True)], kind="correction", by="curator")
    engine.dispose()

    code, err, released = _export(["--table", "15", "--country", "PHL"])
    assert "latest published release 2025-1" in err
    assert next(r for r in released if r["classif1"] == "CDS_DES_TOTAL" and r["sex"] == "SEX_T"
                and r["time"] == "2014")["obs_value"] == "1430.842"
    code, err, current = _export(["--table", "15", "--country", "PHL", "--as-of", "2999-01-01T00:00:00"])
    assert code == 0 and len(current) == len(released) + 1
    hidden = next(r for r in current if r["time"] == "2030")
    assert hidden["obs_value"] == "" and hidden["obs_status"] == "C"
    code, err, as_of = _export(["--table", "15", "--country", "PHL", "--as-of", between])
    assert code == 0 and len(as_of) == len(released)
    code, err, _ = _export(["--table", "15", "--release", "nope"])
    assert code == 2 and "no release named 'nope'" in err


def test_export_tidy_csv_with_labels_to_a_gzip_file(env_database, shared_dir, tmp_path):
    r = CliRunner()
    r.invoke(main, ["load", str(convert(shared_dir, T15, tmp_path))])
    r.invoke(main, ["source", "set", "XA_906", "--country", "PHL", "--name", "=POEA deployment records"])
    out = tmp_path / "t15.csv.gz"
    result = r.invoke(main, ["export", "--table", "15", "--format", "csv", "--country", "PHL", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with gzip.open(out, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:4] == ["REF_AREA", "REF_AREA_LABEL", "SOURCE", "SOURCE_LABEL"]
    row = next(r for r in rows if r["DESTINATION"] == "SAU" and r["SEX"] == "SEX_T")
    assert row["REF_AREA_LABEL"] == "Philippines" and row["DESTINATION_LABEL"] == "Saudi Arabia"
    assert row["SOURCE_LABEL"] == "'=POEA deployment records"          # formula neutralised
    assert (row["UNIT_MEASURE"], row["UNIT_MULT"], row["CONFIDENTIAL"]) == ("PS", "3", "false")
    assert f"wrote {len(rows)} observations" in result.stderr


def test_fetch_ilostat_command(env_database):
    stub = IloStub()
    try:
        r = CliRunner()
        refused = r.invoke(main, ["fetch", "ilostat", "--country", "THA", "--table", "15", "--base-url", stub.base_url])
        assert refused.exit_code == 1 and "column SOURCE" in refused.stderr and "nothing was loaded" in refused.stderr
        ok = r.invoke(main, ["fetch", "ilostat", "--country", "THA", "--table", "15", "--base-url", stub.base_url,
                             "--source", "XA:77", "--by", "curator"])
        assert ok.exit_code == 0, ok.output
        assert "30 added, 0 changed, 0 unchanged" in ok.stdout
        assert n_observations(env_database) == 30
    finally:
        stub.close()
