"""Coverage-guided fuzzing (atheris, libFuzzer) of the file readers.

The first byte of each input picks the target (ILOSTAT CSV, SDMX-CSV, questionnaire, or format
detection); the rest is the file. A reader may yield observations or raise ``ReadError``;
anything else (another exception, a hang caught by ``-timeout``) is a finding, saved by libFuzzer
as ``crash-*`` / ``timeout-*`` under ``-artifact_prefix``.

    .venv/bin/python fuzz/fuzz_readers.py fuzz/corpus/readers -max_total_time=3600 \\
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix=/tmp/ilms-fuzz/

A bounded run is part of the test suite (tests/fuzz). ``-dict=fuzz/readers.dict`` helps it find
codes and column names sooner.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["ilms.collect"]):
    from ilms.collect.registry import ReadError, detect, get_reader, readers
    readers()                                  # imports every reader module, instrumented

TARGETS = ("ilostat-csv", "ilo-sdmx-csv", "questionnaire", None)     # None: detect the format
SUFFIX = {"questionnaire": ".xlsx"}
WORK = Path(tempfile.mkdtemp(prefix="ilms-fuzz-"))


def one_input(data: bytes) -> None:
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    path = WORK / f"input{SUFFIX.get(target, '.csv')}"
    path.write_bytes(data[1:])
    try:
        reader = get_reader(target) if target else detect(path)
        for obs in reader.read(path):
            if obs.provenance is None or not obs.provenance.startswith(path.name):
                raise AssertionError(f"an observation without its provenance: {obs!r}")
    except ReadError:
        pass


def main(argv: list[str]) -> None:
    os.environ.setdefault("ILMS_QUESTIONNAIRE_MAX_MB", "2")
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
