"""Tidy CSV of one table: one row per observation, every code with its label beside it.

Columns: for each dimension of the table ``DIM`` and ``DIM_LABEL`` (the SOURCE label is the
source's name in the catalogue), TIME_PERIOD, OBS_VALUE, UNIT_MEASURE, UNIT_MULT, CURRENCY (wage
tables only), OBS_STATUS, OBS_STATUS_LABEL, CONFIDENTIAL, NOTE_CLASSIF, NOTE_INDICATOR,
NOTE_SOURCE, COMMENT. Give it public observations: a confidential value has no OBS_VALUE.
"""
from __future__ import annotations

import os
from typing import IO, Iterable, Iterator, Mapping

from ..observation import Observation
from ..tables import structure
from .ilostat import rounded, value_cell
from .tabular import csv_cell, write_csv

TAIL = ("TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "OBS_STATUS_LABEL",
        "CONFIDENTIAL", "NOTE_CLASSIF", "NOTE_INDICATOR", "NOTE_SOURCE", "COMMENT")


def header(table_no: int) -> list[str]:
    table = structure().table(table_no)
    out: list[str] = []
    for dim in table.key_order:
        out += [dim, f"{dim}_LABEL"]
    tail = list(TAIL)
    if table.unit.currency_required:
        tail.insert(tail.index("UNIT_MULT") + 1, "CURRENCY")
    return out + tail


def rows(table_no: int, observations: Iterable[Observation],
         source_names: Mapping[str, str] | None = None) -> Iterator[list]:
    table = structure().table(table_no)
    status_list = structure().codelists["CL_OBS_STATUS"]
    names = source_names or {}
    with_currency = table.unit.currency_required
    for obs in observations:
        if obs.table != table_no:
            raise ValueError(f"a tidy file holds one table: got an observation of table {obs.table} in table {table_no}")
        row: list = []
        for dim, code in zip(table.dimensions, obs.key):
            label = names.get(code, code) if dim.id == "SOURCE" else dim.codelist.label(code)
            row += [code, label]
        row += [obs.time, value_cell(obs), table.unit.unit_measure, obs.unit_mult or table.unit.unit_mult]
        if with_currency:
            row.append(obs.currency)
        row += [obs.status, status_list.label(obs.status) if obs.status else None,
                "true" if obs.confidential else "false",
                obs.note_classif, obs.note_indicator, obs.note_source, obs.comment]
        yield row


#: at most this many distinct series, periods or attribute combinations are cached per call; then
#: the cache starts again (memory stays bounded whatever the data)
CACHE_LIMIT = 50_000


def cell_rows(table_no: int, observations: Iterable[Observation],
              source_names: Mapping[str, str] | None = None) -> Iterator[list[str]]:
    """``rows`` with every cell already as ``tabular.csv_cell`` writes it (formula-safe text), for
    a ``csv.writer`` as is: the same bytes as ``write_csv(..., rows(...))``, built from parts --
    codes and labels once per series, the period once per period, unit, flags and notes once per
    distinct combination; only the value per observation (tests/store/test_read_fast_path.py
    and tests/publish/test_bulk_fast_rows.py compare the two). ``observations`` may offer the
    driver's tuples (``store.read.PublicRead``'s ``row_batches``: public rows of this table, masked
    by the database): then no ``Observation`` is made per row."""
    table = structure().table(table_no)
    status_list = structure().codelists["CL_OBS_STATUS"]
    names = source_names or {}
    with_currency = table.unit.currency_required
    unit_measure, default_mult = csv_cell(table.unit.unit_measure), table.unit.unit_mult
    batches = observations.row_batches() if hasattr(observations, "row_batches") else \
        _as_rows(table_no, observations)
    times: dict[str, str] = {}
    tails: dict[tuple, list[str]] = {}
    last_key, head = None, []
    for batch in batches:
        for row in batch:
            if row[0] != last_key:
                last_key, head = row[0], []
                for dim, code in zip(table.dimensions, last_key.split(".")):
                    label = names.get(code, code) if dim.id == "SOURCE" else dim.codelist.label(code)
                    head += [csv_cell(code), csv_cell(label)]
            time = times.get(row[1])
            if time is None:
                if len(times) >= CACHE_LIMIT:
                    times.clear()
                time = times[row[1]] = csv_cell(row[1])
            flags = row[3:11]
            tail = tails.get(flags)
            if tail is None:
                if len(tails) >= CACHE_LIMIT:
                    tails.clear()
                status, confidential, *notes, unit_mult, currency = flags
                cells = [unit_measure, csv_cell(unit_mult or default_mult)] + \
                    ([csv_cell(currency)] if with_currency else [])
                cells += [csv_cell(status), csv_cell(status_list.label(status) if status else None),
                          "true" if confidential else "false", *(csv_cell(n) for n in notes)]
                tail = tails[flags] = cells
            yield head + [time, csv_cell(rounded(row[2], row[11]))] + tail


def _as_rows(table_no: int, observations: Iterable[Observation]) -> Iterator[list[tuple]]:
    """Observations as ``store.read.public_rows``' tuples (``ROW_FIELDS``), one per batch."""
    for obs in observations:
        if obs.table != table_no:
            raise ValueError(f"a tidy file holds one table: got an observation of table {obs.table} in table {table_no}")
        yield [(".".join(obs.key), obs.time, obs.value, obs.status, obs.confidential, obs.note_classif,
                obs.note_indicator, obs.note_source, obs.comment, obs.unit_mult, obs.currency, obs.decimals)]


def write(path_or_stream: str | os.PathLike | IO, table_no: int, observations: Iterable[Observation],
          source_names: Mapping[str, str] | None = None, gzip: bool | None = None) -> int:
    """Write ``observations`` (streamed; or a read offering ``row_batches``) as the tidy CSV of table
    ``table_no``; returns the number of rows. Through ``cell_rows``: the bytes of ``rows``."""
    return write_csv(path_or_stream, header(table_no), cell_rows(table_no, observations, source_names), gzip=gzip,
                     cells=True)
