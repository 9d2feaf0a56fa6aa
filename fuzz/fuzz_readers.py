"""Coverage-guided fuzzing (atheris, libFuzzer) of the file readers.

The first byte of each input picks the target (ILOSTAT CSV, SDMX-CSV, questionnaire, format
detection, UN DESA CSV or UN DESA workbook); the rest is the file. A reader may yield observations
(UN DESA: context values) or raise ``ReadError``;
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
    from ilms.collect.undesa import parse_file as parse_undesa
    readers()                                  # imports every reader module, instrumented

#: None: detect the format; "undesa-xlsx": the UN DESA reader on a workbook (the same reader, by suffix)
TARGETS = ("ilostat-csv", "ilo-sdmx-csv", "questionnaire", None, "undesa-ims", "undesa-xlsx")
#: the file's name (its suffix matters; a UN DESA file names its edition, else it is refused at once)
NAME = {"questionnaire": "input.xlsx", "undesa-ims": "undesa_ims2019_input.csv",
        "undesa-xlsx": "UN_MigrantStock_2019_input.xlsx"}
UNDESA = ("undesa-ims", "undesa-xlsx")
WORK = Path(tempfile.mkdtemp(prefix="ilms-fuzz-"))


def one_input(data: bytes) -> None:
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    path = WORK / NAME.get(target, "input.csv")
    path.write_bytes(data[1:])
    try:
        if target in UNDESA:
            for value in parse_undesa(path).values:
                if not (value.value >= 0 and 1800 <= value.year <= 2200):
                    raise AssertionError(f"a value the reader should have refused: {value!r}")
            return
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
