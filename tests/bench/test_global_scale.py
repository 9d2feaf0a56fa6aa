"""Smoke test of bench/global_scale.py at a tiny scale (one country, tables 1 and 8; 25,920
observations in three releases): the whole suite runs end to end on SQLite -- and on PostgreSQL
when ILMS_TEST_POSTGRES_URL is set -- and its numbers are consistent. Tens of seconds per backend.

Smaller than the 1 % run of docs/benchmarks.md (3 countries, all tables, ~234,000 observations,
a few minutes per backend): that one is too slow for the test suite.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str, backend: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(ROOT / "bench" / "global_scale.py"), *args]
    if backend:
        cmd += ["--backend", backend]
    if os.environ.get("ILMS_TEST_POSTGRES_URL"):
        cmd += ["--pg-url", os.environ["ILMS_TEST_POSTGRES_URL"]]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def run(tmp_path: Path, backend: str) -> dict:
    out = tmp_path / "global.json"
    done = bench("--scale", "0.004", "--tables", "1,8", "--runs", "1", "--timeout", "60", "--out", str(tmp_path),
                 "--json", str(out), backend=backend)
    assert "| SDMX-CSV 2.0 | whole |" in done.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["global.json"]       # its working folder is gone
    return json.loads(out.read_text())


def check_loads(meta: dict, res: dict) -> None:
    loads = res["loads"]
    assert [r["kind"] for r in loads] == ["first load", "revision", "revision"]
    assert sum(r["added"] for r in loads) == meta["planned"] == res["observations"]
    assert loads[0]["changed"] == 0 and loads[1]["changed"] > 0 and loads[2]["changed"] > 0
    assert all(r["cpu_seconds"] > 0 and r["obs_per_cpu_s"] > 0 for r in loads)


def check(got: dict, backend: str, questionnaire: bool = True) -> None:
    meta, (res,) = got["meta"], got["results"]
    assert res["backend"] == backend and meta["countries"] == 1
    check_loads(meta, res)
    if questionnaire:
        q = res["questionnaire"]
        assert "error" not in q, q
        assert q["first load"]["added"] > 0 and q["revision"]["unchanged"] == q["first load"]["rows"]
    floor = res["floor"]
    whole, slice_, year = floor["whole"]["floor"]["n"], floor["slice"]["floor"]["n"], floor["year"]["floor"]["n"]
    assert whole == slice_ == 210 * 4 * 30 and year == 210 * 4             # one country: the slice is the table
    assert floor["slice, old release"]["floor"]["n"] == 210 * 4 * 20       # bench-r1 held 1995-2014
    for r in res["served"]:
        assert r["obs"] == floor[r["query"]]["floor"]["n"] and r["bytes"] > 0 and r["ratio_to_floor"] > 0
        if r["format"] in ("v2-csv20", "api-csv"):
            assert r["lines"] - 1 == r["obs"]                                 # a header and a line per observation
    h = res["history"]
    assert all("error" not in r for r in h.values()), h
    latest, old = h["slice, latest release (bench-r3)"], h["slice, old release (bench-r1)"]
    assert old["lines"] == 210 * 4 * 20 + 1 < latest["lines"] == 210 * 4 * 30 + 1
    as_of = next(r for k, r in h.items() if k.startswith("slice, as_of="))
    assert as_of["lines"] == 210 * 4 * 25 + 1                                  # between bench-r2 and bench-r3
    ts = res["typical_slices"]                                   # one country x all years of tables 1 and 8
    assert [r["table"] for r in ts["per_table"]] == [1, 8]
    assert ts["per_table"][0]["obs"] == whole
    for r in ts["per_table"]:
        assert r["obs"] == r["floor"]["n"] > 0 and r["sdmx_csv"]["lines"] - 1 == r["obs"] and r["ratio_to_floor"] > 0
    assert ts["median_floor"] > 0 and ts["median_sdmx_csv"] > 0
    if backend == "sqlite" and questionnaire:
        assert all(r.get("ours_sdmx_csv_over_datasette", 0) > 0 for r in res["datasette"].values()), res["datasette"]


def test_global_scale_benchmark_runs_on_sqlite(tmp_path):
    check(run(tmp_path, "sqlite"), "sqlite")


@pytest.mark.skipif(not os.environ.get("ILMS_TEST_POSTGRES_URL"), reason="PostgreSQL not configured")
def test_global_scale_benchmark_runs_on_postgresql(tmp_path):
    check(run(tmp_path, "postgresql"), "postgresql")


def phases(tmp_path: Path, backend: str) -> None:
    """Loaded once (--phase load), measured twice later (--phase query --reuse): the databases stay,
    the query phase's JSON carries the load's figures, --phase report merges the phases' files,
    --phase drop removes everything."""
    kept = tmp_path / "kept"
    bench("--phase", "load", "--scale", "0.004", "--tables", "1,8", "--out", str(kept),
          "--json", str(tmp_path / "load.json"), backend=backend)
    manifest = json.loads((kept / "global-scale-load.json").read_text())
    assert list(manifest["meta"]["databases"]) == [backend] and manifest["meta"]["phase"] == "load"
    (res,) = manifest["results"]
    check_loads(manifest["meta"], res)
    assert "floor" not in res
    assert json.loads((tmp_path / "load.json").read_text()) == manifest
    if backend == "sqlite":
        assert (kept / "sqlite" / "serve.sqlite").is_file()
    before = sorted(p.name for p in kept.iterdir())
    for i in (1, 2):                                             # the database is reused, not consumed
        done = bench("--phase", "query", "--reuse", str(kept), "--runs", "1", "--timeout", "60",
                     "--no-datasette", "--no-questionnaire", "--json", str(tmp_path / f"query{i}.json"))
        assert "| SDMX-CSV 2.0 | whole |" in done.stdout and "Typical slices" in done.stdout
        got = json.loads((tmp_path / f"query{i}.json").read_text())
        check(got, backend, questionnaire=False)
        assert got["results"][0]["loads"] == res["loads"]
        assert [m["phase"] for m in got["meta"]["phases"]] == ["load", "query"]
        up = got["results"][0]["schema_upgrade"]                 # brought up to date first (here: already)
        assert up["from"] == up["to"] is not None and "Schema of the reused database" in done.stdout
        assert sorted(p.name for p in kept.iterdir()) == before  # its temporary folder is gone
    done = bench("--phase", "report", "--merge", str(tmp_path / "load.json"), str(tmp_path / "query1.json"),
                 "--json", str(tmp_path / "merged.json"))
    merged = json.loads((tmp_path / "merged.json").read_text())
    assert merged["results"] == json.loads((tmp_path / "query1.json").read_text())["results"]
    assert "ILOSTAT CSV, bench-r1 (first load)" in done.stdout and "Typical slices" in done.stdout
    bench("--phase", "drop", "--reuse", str(kept))
    assert not kept.exists()


def test_global_scale_phases_on_sqlite(tmp_path):
    phases(tmp_path, "sqlite")


@pytest.mark.skipif(not os.environ.get("ILMS_TEST_POSTGRES_URL"), reason="PostgreSQL not configured")
def test_global_scale_phases_on_postgresql(tmp_path):
    phases(tmp_path, "postgresql")
