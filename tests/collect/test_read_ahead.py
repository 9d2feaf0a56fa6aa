"""A file read ahead in a child process (``collect.read_ahead``) gives the load what the reader
gives it in process: the same batches in the same order, the same error after them (a bad row, a
file without the required columns), the same skipped rows; a load through it stores exactly what
the reference path stores, and a bad row leaves nothing written."""
from __future__ import annotations

import csv
import random
from contextlib import closing
from pathlib import Path

import pytest

from ilms.collect import read_ahead as ahead
from ilms.collect.ilostat import _read_batches
from ilms.collect.registry import ReadError, ReadLog
from ilms.publish import ilostat as ilostat_csv

from .test_ilostat_fast_path import BAD, rounds
from .test_ilostat_fast_path import test_a_bad_row_gets_the_reference_error_and_nothing_is_written as bad_row_test
from .test_ilostat_fast_path import test_fast_path_stores_exactly_what_the_reference_path_stores as fast_path_test


def _file(tmp_path: Path, seed: int, spoil=None) -> Path:
    """A random ILOSTAT file of table 8 (a row of it spoilt by ``spoil``), ending with a row of an unknown indicator."""
    path = tmp_path / f"t08-{seed}.csv"
    ilostat_csv.write(path, rounds(random.Random(seed))[1][8], tables=[8])
    parsed = list(csv.reader(path.read_text().splitlines()))
    other = list(parsed[3])
    other[2] = "EMP_XXX_NB"
    parsed.append(other)
    if spoil is not None:
        at = 1 + len(parsed) * 2 // 3
        row = parsed[at][:5] + [""] + parsed[at][5:]        # BAD indexes the columns with classif2
        spoil(row)
        parsed[at] = row[:5] + row[6:]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(parsed)
    return path


def _drain(batches) -> tuple[list, str | None]:
    """The batches' rows, and the error they end with (after them, or raised)."""
    rows: list = []
    try:
        for batch in batches:
            rows.append(batch.rows)
            if batch.error is not None:
                return rows, f"{type(batch.error).__name__}: {batch.error}"
    except Exception as exc:  # noqa: BLE001 -- compared
        return rows, f"{type(exc).__name__}: {exc}"
    return rows, None


@pytest.mark.parametrize("what", [None, *sorted(BAD)])
@pytest.mark.parametrize("skip", [False, True])
def test_the_batches_read_ahead_are_those_read_in_process(tmp_path, what, skip):
    path = _file(tmp_path, 11, BAD.get(what))
    logs = [ReadLog(), ReadLog()]

    def batches(log):
        return _read_batches(path, log=log, skip_unknown_indicators=skip, size=2)
    here = _drain(batches(logs[0]))
    with closing(ahead.read_ahead(batches, logs[1])) as read:
        there = _drain(read)
    assert there == here
    assert len(here[0]) > 3
    assert logs[1].skipped == logs[0].skipped
    refused = not skip or what not in (None, "an unknown indicator")      # skipped, not refused, with skip
    assert (here[1] is not None) == refused, here[1]


def test_an_error_before_the_first_batch_is_raised_in_the_parent(tmp_path):
    path = tmp_path / "no-value.csv"
    path.write_text("ref_area,source,indicator,sex,classif1,time\nFRA,BA:1,X,SEX_T,X,2010\n")
    with pytest.raises(ReadError) as exc:
        with closing(ahead.read_ahead(lambda log: _read_batches(path, log=log), None)) as read:
            list(read)
    assert str(exc.value).startswith("no-value.csv, line 1: missing column(s) obs_value")


def test_a_parent_that_stops_early_ends_the_child(tmp_path, monkeypatch):
    path = tmp_path / "t01.csv"
    ilostat_csv.write(path, rounds(random.Random(12))[1][1], tables=[1])    # ~20 kB of batches of one row
    monkeypatch.setattr(ahead, "PIPE_BYTES", 4096)          # the child waits on a full pipe: still there
    batches = ahead.read_ahead(lambda log: _read_batches(path, log=log, size=1), None)
    next(batches)
    children = ahead.multiprocessing.active_children()
    assert [c.name for c in children] == ["ilms-read-ahead"]
    batches.close()
    assert not children[0].is_alive() and not ahead.multiprocessing.active_children()


def test_only_a_large_file_of_a_process_without_threads_is_read_ahead_when_asked(tmp_path, monkeypatch):
    path = _file(tmp_path, 13)
    monkeypatch.setattr(ahead, "MIN_BYTES", 0)
    monkeypatch.delenv(ahead.ENV, raising=False)
    assert not ahead.worth_reading_ahead(path)                       # off by default
    monkeypatch.setenv(ahead.ENV, "1")
    assert ahead.worth_reading_ahead(path)
    monkeypatch.setattr(ahead, "MIN_BYTES", 1 << 20)
    assert not ahead.worth_reading_ahead(path)                       # a small file
    monkeypatch.setattr(ahead, "MIN_BYTES", 0)
    assert not ahead.worth_reading_ahead(tmp_path / "missing.csv")
    monkeypatch.setattr(ahead.threading, "active_count", lambda: 2)
    assert not ahead.worth_reading_ahead(path)


@pytest.fixture
def read_everything_ahead(monkeypatch):
    monkeypatch.setenv(ahead.ENV, "1")
    monkeypatch.setattr(ahead, "MIN_BYTES", 0)


def test_a_load_read_ahead_stores_exactly_what_the_reference_path_stores(templates, backend, tmp_path,
                                                                         read_everything_ahead):
    fast_path_test(templates, backend, tmp_path, seed=4)


@pytest.mark.parametrize("what", ["a bad period", "an unknown indicator", "a cell given twice"])
def test_a_bad_row_read_ahead_gets_the_reference_error_and_nothing_is_written(templates, backend, tmp_path, what,
                                                                              read_everything_ahead):
    bad_row_test(templates, backend, tmp_path, what)
