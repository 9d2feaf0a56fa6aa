"""Output formats of the data route, registered by name (``format=json|csv``).

Each format turns the response metadata and a stream of public observations into a stream of
bytes; nothing is collected in memory and nothing is cut off. CSV is the project's tidy CSV
(``publish.tidy``), the same layout as ``ilms export --format csv`` and the bulk downloads.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator, Mapping

from ..observation import Observation
from ..publish import tidy
from ..publish.tabular import write_csv
from ..tables import Table
from .models import DataMeta
from .records import Labeller, record_lines


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    #: (table, meta, observations, source names by code, rows per chunk) -> bytes
    render: Callable[[Table, DataMeta, Iterable[Observation], Mapping[str, str], int], Iterator[bytes]]


def _chunked(lines: Iterable[str], size: int) -> Iterator[bytes]:
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= size:
            yield "".join(buf).encode("utf-8")
            buf.clear()
    if buf:
        yield "".join(buf).encode("utf-8")


def json_body(table: Table, meta: DataMeta, observations: Iterable[Observation], source_names: Mapping[str, str],
              chunk_rows: int) -> Iterator[bytes]:
    """``{"meta": ..., "observations": [...], "count": N}``, written as the rows arrive."""
    count = 0
    rows = record_lines(observations, table, Labeller(table, source_names))

    def lines():
        nonlocal count
        yield '{"meta": ' + meta.model_dump_json() + ', "observations": ['
        for row in rows:
            yield ("\n" if count == 0 else ",\n") + row
            count += 1
        yield f'\n], "count": {count}}}\n'

    return _chunked(lines(), chunk_rows)


def csv_body(table: Table, meta: DataMeta, observations: Iterable[Observation], source_names: Mapping[str, str],
             chunk_rows: int) -> Iterator[bytes]:
    """Tidy CSV, the bytes of the project's one CSV writer (``publish.tabular.write_csv``:
    formula-safe cells): the header through it, the rows as ``tidy.cell_rows`` (cells already
    formula-safe) through the same ``csv.writer`` dialect; the metadata go in response headers
    (``X-ILMS-*``)."""
    buf = io.StringIO()
    write_csv(buf, tidy.header(table.number), [])
    writer = csv.writer(buf, lineterminator="\n")
    for chunk in _batches(tidy.cell_rows(table.number, observations, source_names), chunk_rows):
        writer.writerows(chunk)
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()
    if buf.tell():                      # no rows: the header alone
        yield buf.getvalue().encode("utf-8")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", "application/json", "json", json_body),
    Format("csv", "text/csv; charset=utf-8", "csv", csv_body),
)}
