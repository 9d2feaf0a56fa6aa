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


def run(tmp_path: Path, backend: str) -> dict:
    out = tmp_path / "global.json"
    cmd = [sys.executable, str(ROOT / "bench" / "global_scale.py"), "--scale", "0.004", "--tables", "1,8",
           "--backend", backend, "--runs", "1", "--timeout", "60", "--out", str(tmp_path), "--json", str(out)]
    if backend == "postgresql":
        cmd += ["--pg-url", os.environ["ILMS_TEST_POSTGRES_URL"]]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| SDMX-CSV 2.0 | whole |" in done.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["global.json"]       # its working folder is gone
    return json.loads(out.read_text())


def check(got: dict, backend: str) -> None:
    meta, (res,) = got["meta"], got["results"]
    assert res["backend"] == backend and meta["countries"] == 1
    loads = res["loads"]
    assert [r["kind"] for r in loads] == ["first load", "revision", "revision"]
    assert sum(r["added"] for r in loads) == meta["planned"] == res["observations"]
    assert loads[0]["changed"] == 0 and loads[1]["changed"] > 0 and loads[2]["changed"] > 0
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
    if backend == "sqlite":
        assert all(r.get("ours_sdmx_csv_over_datasette", 0) > 0 for r in res["datasette"].values()), res["datasette"]


def test_global_scale_benchmark_runs_on_sqlite(tmp_path):
    check(run(tmp_path, "sqlite"), "sqlite")


@pytest.mark.skipif(not os.environ.get("ILMS_TEST_POSTGRES_URL"), reason="PostgreSQL not configured")
def test_global_scale_benchmark_runs_on_postgresql(tmp_path):
    check(run(tmp_path, "postgresql"), "postgresql")
