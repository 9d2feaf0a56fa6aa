"""Writer of ILOSTAT's bulk-download CSV layout for any selection of observations.

The same columns the ILOSTAT reader takes (``ilms.collect.ilostat``), so an export loads back
unchanged. ``classif2`` is present when any of the tables written has a two-classification
indicator (unknown tables: always). Give it public observations (``store.read`` with
``public=True``): a confidential value is written with an empty ``obs_value`` and ``obs_status`` C.
Values keep the decimals they were reported with.
"""
from __future__ import annotations

import os
from decimal import Decimal
from typing import IO, Iterable, Iterator

from ..collect.ilostat_mapping import COLUMNS, has_classif2, ilostat_key
from ..observation import Observation
from .tabular import write_csv


def header(tables: Iterable[int] | None = None) -> tuple[str, ...]:
    if tables is None or has_classif2(tables):
        return COLUMNS
    return tuple(c for c in COLUMNS if c != "classif2")


def value_cell(obs: Observation) -> float | Decimal | None:
    return rounded(obs.value, obs.decimals)


def rounded(value: float | None, decimals: int | None) -> float | Decimal | None:
    """A value with the decimals it was reported with (as a Decimal), else as it is."""
    if value is None:
        return None
    if decimals is not None and 0 <= decimals <= 15:
        return Decimal(f"{value:.{decimals}f}")
    return value


def rows(observations: Iterable[Observation], columns: tuple[str, ...] = COLUMNS) -> Iterator[list]:
    with_classif2 = "classif2" in columns
    for obs in observations:
        k = ilostat_key(obs.table, obs.key)
        if k.classif2 and not with_classif2:
            raise ValueError(f"table {obs.table} needs the classif2 column")
        status = "C" if obs.confidential else (obs.status or "")
        row = [k.ref_area, k.source, k.indicator, k.sex, k.classif1]
        if with_classif2:
            row.append(k.classif2)
        row += [obs.time, value_cell(obs), status, obs.note_classif, obs.note_indicator, obs.note_source]
        yield row


def write(path_or_stream: str | os.PathLike | IO, observations: Iterable[Observation],
          tables: Iterable[int] | None = None, gzip: bool | None = None) -> int:
    """Write ``observations`` (streamed) as ILOSTAT CSV; returns the number of rows."""
    columns = header(list(tables) if tables is not None else None)
    return write_csv(path_or_stream, columns, rows(observations, columns), gzip=gzip)
