"""Smoke test of bench/disclosure.py --scale: global_scale's dataset, tiny (one country, table 9,
one year), with confidential cells flagged; the suppression and the audit run and pass. Figures
are not tested (they are in docs/benchmarks.md), only that the script works with the current code."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_scale_run_flags_suppresses_audits_and_cleans_up(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "disclosure.py"), "--scale", "0.004", "--tables", "9", "--years", "1",
         "--confidential", "0.02"],
        capture_output=True, text=True, timeout=600, cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    line = done.stdout.strip().splitlines()[-1]
    found = re.search(r"scale 0.004 \(sqlite\): ([\d,]+) observations, (\d+) confidential, (\d+) secondary", line)
    assert found, line
    n_obs, primary, secondary = int(found[1].replace(",", "")), int(found[2]), int(found[3])
    assert n_obs > 0 and 0 < primary < n_obs and secondary > 0
    assert "PASSED" in line and f"({primary} proofs" in line
    assert list(tmp_path.iterdir()) == []                  # the scratch database is deleted
