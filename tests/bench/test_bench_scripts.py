"""Smoke test of bench/serve.py: a tiny database on SQLite, two formats, one run (a few seconds).

The benchmark itself is not a test (its numbers are in docs/benchmarks.md); this only checks that
the script still builds, serves, measures and cleans up against the current code.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_serve_benchmark_runs_with_a_tiny_table(tmp_path):
    out = tmp_path / "serve.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "serve.py"), "--backend", "sqlite", "--no-demo", "--big", "770",
         "--runs", "1", "--formats", "api-csv,v2-csv20", "--max-seconds", "60", "--timeout", "30",
         "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(out.read_text())
    assert got["alone"]["whole"]["rows"] == 770 and got["alone"]["country"]["rows"] == 70
    served = {(r["format"], r["query"]): r for r in got["served"]}
    assert set(served) == {(f, q) for f in ("api-csv", "v2-csv20") for q in ("country", "whole")}
    for r in served.values():
        assert "warning" not in r and "error" not in r and r["bytes"] > 0 and r["rss_peak_kb"] > 0
    assert "| JSON API, CSV | whole |" in done.stdout
