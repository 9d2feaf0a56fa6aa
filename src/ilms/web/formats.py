"""Output formats of the data route, registered by name (``format=json|csv``).

Each format turns the response metadata and a stream of records (``records.record``) into a
stream of bytes; nothing is collected in memory and nothing is cut off.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator

from ..publish.tabular import write_csv
from ..tables import Table
from .models import DataMeta


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    render: Callable[[Table, DataMeta, Iterable[dict], int], Iterator[bytes]]


def _chunked(lines: Iterable[str], size: int) -> Iterator[bytes]:
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= size:
            yield "".join(buf).encode("utf-8")
            buf.clear()
    if buf:
        yield "".join(buf).encode("utf-8")


def json_body(table: Table, meta: DataMeta, rows: Iterable[dict], chunk_rows: int) -> Iterator[bytes]:
    """``{"meta": ..., "observations": [...], "count": N}``, written as the rows arrive."""
    count = 0

    def lines():
        nonlocal count
        yield '{"meta": ' + meta.model_dump_json() + ', "observations": ['
        for row in rows:
            yield ("\n" if count == 0 else ",\n") + json.dumps(row, ensure_ascii=False, allow_nan=False)
            count += 1
        yield f'\n], "count": {count}}}\n'

    return _chunked(lines(), chunk_rows)


def csv_columns(table: Table) -> list[str]:
    columns = []
    for dim in table.key_order:
        columns += [dim, f"{dim}_LABEL"]
    return columns + ["TIME_PERIOD", "OBS_VALUE", "CONFIDENTIAL", "OBS_STATUS", "NOTE_CLASSIF",
                      "NOTE_INDICATOR", "NOTE_SOURCE", "COMMENT", "UNIT_MEASURE", "UNIT_MULT", "CURRENCY"]


def csv_row(row: dict) -> list:
    cells = []
    for dim, code in row["key"].items():
        cells += [code, row["labels"][dim]]
    notes = row["notes"]
    return cells + [row["time"], row["value"], row["confidential"], row["status"],
                    notes["classif"], notes["indicator"], notes["source"], notes["comment"],
                    row["unit"], row["unit_mult"], row["currency"]]


def csv_body(table: Table, meta: DataMeta, rows: Iterable[dict], chunk_rows: int) -> Iterator[bytes]:
    """CSV with a header row, through the project's one CSV writer (``publish.tabular.write_csv``:
    formula-safe cells, numbers at full precision); the metadata go in response headers (``X-ILMS-*``)."""
    buf = io.StringIO()
    header = csv_columns(table)
    for chunk in _batches((csv_row(r) for r in rows), chunk_rows):
        write_csv(buf, header, chunk)
        header = None
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()
    if header is not None:              # no rows: the header alone
        write_csv(buf, header, [])
        yield buf.getvalue().encode("utf-8")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", "application/json", "json", json_body),
    Format("csv", "text/csv; charset=utf-8", "csv", csv_body),
)}
