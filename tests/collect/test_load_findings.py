"""Published data is loaded as published: validation findings are recorded, never a refusal."""
from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from ilms.cli import main
from ilms.collect.load import load_file
from ilms.store.db import make_engine
from ilms.store.schema import changeset

from .ddf import convert


def test_real_table_15_loads_with_its_genuine_inconsistencies_recorded(engine, shared_dir, tmp_path):
    path = convert(shared_dir, "ilostat_ddf_mna_oemp_sex_cds_nb_asean.csv", tmp_path)
    result = load_file(engine, path, by="curator")
    assert result.summary.added > 1000                     # loaded despite the errors
    report = result.report
    assert report.context == "published" and not report.refused and report.errors >= 2
    lao_2023 = [f for f in report.findings if f.severity == "error" and f.ref_area == "LAO" and f.time == "2023"]
    assert lao_2023, "LAO 2023 destinations vs total must be found"
    with engine.connect() as conn:
        stored = conn.execute(select(changeset.c.report).where(changeset.c.id == result.summary.changeset_id)).scalar()
    assert json.loads(stored)["verdict"]["errors"] == report.errors


def test_cli_load_prints_the_verdict_and_writes_the_report(env_database, shared_dir, tmp_path):
    path = convert(shared_dir, "ilostat_ddf_mna_tpop_sex_crs_nb_asean.csv", tmp_path)
    out = CliRunner().invoke(main, ["load", str(path), "--report", str(tmp_path / "r.json")])
    assert out.exit_code == 0, out.output
    assert "checked:" in out.output and "error" in out.output      # KHM 2010: F + M != T
    assert json.loads((tmp_path / "r.json").read_text())["verdict"]["errors"] >= 1
    quiet = CliRunner().invoke(main, ["load", str(path), "--no-check"])
    assert quiet.exit_code == 0 and "checked:" not in quiet.output and "0 added" in quiet.output
