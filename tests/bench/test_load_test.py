"""Smoke test of bench/load_test.py: a small database on SQLite, 80 requests of the whole mix
against a real ``ilms serve``, zero errors (the figures of the real run are in docs/benchmarks.md)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_load_test_runs_the_mix_without_errors(tmp_path):
    out = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "load_test.py"), "--small", "--requests", "80",
                           "--max-seconds", "60", "--concurrency", "4", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    got = json.loads(out.read_text())
    assert got["errors"] == 0 and got["requests"] == 80
    assert set(got["by_kind"]) == {"page", "api-meta", "api-data", "sdmx-structure", "sdmx-data", "download"}
    assert got["all"]["p50_ms"] <= got["all"]["p95_ms"] <= got["all"]["p99_ms"]
