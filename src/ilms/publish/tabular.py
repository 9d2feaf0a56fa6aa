"""The one way CSV and XLSX leave the system: streamed, formula-safe, written whole or not at all.

* ``write_csv(path_or_stream, header, rows, gzip=None)`` streams rows to a CSV file (gzip when the
  file name ends in ``.gz`` or ``gzip=True``) or to an open stream.
* ``write_xlsx(path, sheets)`` streams a workbook (``publish.xlsx_stream``), one sheet per
  ``(name, header, rows)``.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) gets a leading apostrophe (``safe_text``). Numbers (int, float, Decimal) are
never touched: -1.5 given as a float stays the number -1.5. Files are written to a temporary name
beside the target and renamed into place at the end, so a failure leaves no half-written file.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip as gzip_module
import io
import itertools
import math
import os
import re
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

from . import xlsx_stream

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TYPES = (int, float, Decimal)
#: Characters XML 1.0 (hence XLSX) cannot hold.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")

Row = Sequence[Any]


def safe_text(value: Any) -> Any:
    """A cell value a spreadsheet will not execute: formula-like text gets a leading apostrophe.

    ``None`` and numbers are returned unchanged; booleans become "true"/"false"; anything else
    becomes text.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NUMBER_TYPES):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_field(text: str) -> str:
    """``safe_text`` for writers whose values are all text already (SDMX-CSV): a formula-like text
    gets the apostrophe; a number written as text (``-1.5``, ``-0``) is left alone."""
    if not text.startswith(FORMULA_STARTS):
        return text
    try:
        float(text)
        return text
    except ValueError:
        return "'" + text


def format_number(value: int | float | Decimal) -> str:
    """A number as CSV text: integers and integral floats without ".0", others at full precision."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write the number {value!r}")
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def csv_cell(value: Any) -> str:
    if type(value) is str and not value.startswith(FORMULA_STARTS):    # the common case, fast
        return value
    if value is None:
        return ""
    value = safe_text(value)
    if value is None:
        return ""
    if isinstance(value, NUMBER_TYPES):
        return format_number(value)
    return value


def _is_gzip(path: str | os.PathLike, flag: bool | None) -> bool:
    return flag if flag is not None else str(path).lower().endswith(".gz")


@contextmanager
def _atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block succeeds, removed if not."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_rows(text: IO[str], header: Row | None, rows: Iterable[Row], cells: bool = False) -> int:
    writer = csv.writer(text, lineterminator="\n")
    if header is not None:
        writer.writerow([csv_cell(h) for h in header])
    n = 0
    write, str_, starts = writer.writerow, str, FORMULA_STARTS
    if cells:
        for row in rows:
            write(row)
            n += 1
        return n
    for row in rows:
        # csv_cell, its common case (plain text) inline: one call per cell saved
        write([v if type(v) is str_ and not v.startswith(starts) else "" if v is None else csv_cell(v) for v in row])
        n += 1
    return n


def write_csv(path_or_stream: str | os.PathLike | IO, header: Row | None, rows: Iterable[Row],
              gzip: bool | None = None, cells: bool = False) -> int:
    """Stream ``rows`` as UTF-8 CSV; returns the number of data rows written. ``cells``: the rows'
    values are ``csv_cell``'s text already (``tidy.cell_rows``), written as they are.

    A path is written atomically (gzip when its name ends in ``.gz`` unless ``gzip`` says
    otherwise). A stream is written in place: a text stream as is, a binary stream as UTF-8
    (gzip-compressed when ``gzip=True``).
    """
    if hasattr(path_or_stream, "write"):
        stream = path_or_stream
        text_stream = isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding")
        if text_stream and not gzip:
            return _write_rows(stream, header, rows, cells)
        if text_stream:
            raise ValueError("gzip output needs a binary stream")
        if gzip:
            with gzip_module.GzipFile(fileobj=stream, mode="wb") as zipped, \
                    io.TextIOWrapper(zipped, encoding="utf-8", newline="") as text:
                return _write_rows(text, header, rows, cells)
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        try:
            return _write_rows(text, header, rows, cells)
        finally:
            text.flush()
            text.detach()
    with _atomic_path(path_or_stream) as tmp:
        if _is_gzip(path_or_stream, gzip):
            with gzip_module.open(tmp, "wt", encoding="utf-8", newline="") as text:
                return _write_rows(text, header, rows, cells)
        with open(tmp, "w", encoding="utf-8", newline="") as text:
            return _write_rows(text, header, rows, cells)


def xlsx_cell(value: Any) -> Any:
    """``safe_text`` of the text XML can hold: the characters it cannot are dropped first, so text
    that starts as a formula once they are gone ("\x07=1+1") gets its apostrophe too."""
    if value is None or isinstance(value, (bool, *NUMBER_TYPES)):
        return safe_text(value)
    return safe_text(_XML_ILLEGAL.sub("", str(value)))


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet title: at most 31 characters, none of []:*?/\\."""
    base = _SHEET_ILLEGAL.sub("_", str(name)).strip("'") or "Sheet"
    title, n = base[:31], 1
    while title.lower() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def write_xlsx(path: str | os.PathLike, sheets: Iterable[tuple[str, Row | None, Iterable[Row]]], *,
               modified: dt.datetime | None = None) -> dict[str, int]:
    """Write a workbook, one sheet per ``(name, header, rows)``, streaming rows (``publish.xlsx_stream``).

    Every time stamp inside is ``modified`` (default: now), so the same rows and time give the same
    bytes. Returns the number of data rows written per sheet title.
    """
    when = (modified or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    headers: dict[str, bool] = {}
    taken: set[str] = set()

    def titled():
        for name, header, rows in sheets:
            title = sheet_title(name, taken)
            headers[title] = header is not None
            yield title, rows if header is None else itertools.chain([header], rows)
        if not headers:
            yield "Sheet", ()

    with _atomic_path(path) as tmp:
        counts = xlsx_stream.write(tmp, titled(), when, xlsx_cell)
    return {title: n - headers[title] for title, n in counts.items() if title in headers}
