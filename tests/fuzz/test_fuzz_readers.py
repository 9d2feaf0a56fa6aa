"""A bounded run of the coverage-guided fuzzer of the file readers (fuzz/fuzz_readers.py): a few
seconds from the corpus kept in the repository; any crash or hang fails the test, with the input."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "fuzz" / "fuzz_readers.py"
SEEDS = ROOT / "fuzz" / "corpus" / "readers"


def test_bounded_fuzzing_of_the_readers_finds_nothing(tmp_path):
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)               # libFuzzer adds to its corpus: never to the repository's
    done = subprocess.run(
        [sys.executable, str(HARNESS), str(corpus), f"-dict={ROOT / 'fuzz' / 'readers.dict'}",
         "-max_total_time=5", "-timeout=10", "-rss_limit_mb=1024", "-seed=1", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=120)
    found = sorted(p.name for p in tmp_path.glob("crash-*")) + sorted(p.name for p in tmp_path.glob("timeout-*"))
    assert done.returncode == 0 and not found, done.stderr[-3000:]
    assert "Done" in done.stderr and " runs in " in done.stderr
