"""Readers by format. Each format registers itself; ``detect`` picks the reader of a file.

A reader is a class decorated with ``@register_reader("name")`` that has

* ``sniff(self, path, head: bytes) -> bool``: does this file look like my format? ``head`` is the
  first bytes of the file, already decompressed when the file is gzipped;
* ``read(self, path, *, log: ReadLog | None = None, **options) -> Iterator[Observation]``:
  the observations, codes checked; bad input raises ``ReadError`` naming the file and the line or
  cell. What a reader deliberately leaves out (an option such as skipping unknown indicators) it
  counts in ``log``.

Reader modules live in the ``ilms.collect`` package; they are imported on first use, so a new
format is a new module and nothing else.
"""
from __future__ import annotations

import csv
import gzip
import importlib
import io
import pkgutil
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, Protocol

from ..observation import Observation

HEAD_BYTES = 8192
GZIP_MAGIC = b"\x1f\x8b"


class ReadError(ValueError):
    """Input a reader refuses; ``str()`` names the file and the line or cell."""

    def __init__(self, file: str | Path, location: str | None, message: str):
        self.file = Path(file).name if isinstance(file, Path) else str(file)
        self.location = location
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}, {self.location}" if self.location else self.file
        return f"{where}: {self.message}"


@dataclass
class ReadLog:
    """What a reader left out on purpose, by reason (e.g. "unknown indicator MST_X")."""
    skipped: Counter = field(default_factory=Counter)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] += n

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())


class Reader(Protocol):
    name: str
    description: str

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, *, log: ReadLog | None = None, **options) -> Iterator[Observation]: ...


_READERS: dict[str, Reader] = {}
_discovered = False


def register_reader(name: str):
    """Class decorator: register an instance of the class as the reader of format ``name``."""
    def decorate(cls):
        if name in _READERS and type(_READERS[name]) is not cls:
            raise ValueError(f"a reader named {name!r} is registered already ({type(_READERS[name]).__qualname__})")
        instance = cls()
        instance.name = name
        instance.description = getattr(cls, "description", "") or (cls.__doc__ or "").strip().split("\n")[0]
        _READERS[name] = instance
        return cls
    return decorate


def _discover() -> None:
    """Import every module of ``ilms.collect`` once, so that every reader has registered."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    package = importlib.import_module(__package__)
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{__package__}."):
        importlib.import_module(info.name)


def readers() -> dict[str, Reader]:
    _discover()
    return dict(_READERS)


def get_reader(name: str) -> Reader:
    found = readers().get(name)
    if found is None:
        raise KeyError(f"no reader for format {name!r}; known formats: {', '.join(sorted(_READERS))}")
    return found


def is_gzip(path: str | Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


def open_binary(path: str | Path) -> IO[bytes]:
    """The file's bytes, decompressed transparently when it is gzipped."""
    return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")


def open_text(path: str | Path) -> IO[str]:
    """The file as UTF-8 text (a byte-order mark is dropped), gzip transparently, for csv.reader."""
    return io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", newline="")


def not_utf8(path: str | Path, exc: UnicodeDecodeError) -> ReadError:
    """The refusal of a text file that is not UTF-8, naming the line of its first bad byte."""
    hint = "save it as UTF-8 (Excel: \"CSV UTF-8\"; LibreOffice: character set Unicode (UTF-8))"
    try:
        with open_binary(path) as f:
            for n, raw in enumerate(f, 1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as bad:
                    return ReadError(path, f"line {n}", f"byte 0x{raw[bad.start]:02x} at column {bad.start + 1} "
                                                        f"is not UTF-8 text: {hint}")
    except (OSError, EOFError):
        pass
    return ReadError(path, None, f"not UTF-8 text ({exc.reason}): {hint}")


def csv_records(text: IO[str], path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of each CSV record of ``text`` (read from ``path``); a record that cannot
    be read (not UTF-8, a field over the csv module's limit, a NUL byte...) is a ``ReadError``
    naming its line."""
    rows = csv.reader(text)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise not_utf8(path, exc) from None
        except csv.Error as exc:
            raise ReadError(path, f"line {rows.line_num}", f"not a readable CSV record: {exc}") from None
        except (OSError, EOFError, zlib.error) as exc:      # a damaged or truncated gzip file
            raise ReadError(path, f"line {rows.line_num + 1}", f"the compressed file is damaged ({exc})") from None
        yield rows.line_num, row


def head(path: str | Path, size: int = HEAD_BYTES) -> bytes:
    try:
        with open_binary(path) as f:
            return f.read(size)
    except (OSError, EOFError) as exc:
        raise ReadError(path, None, f"cannot read the file: {exc}") from None


def detect(path: str | Path) -> Reader:
    """The reader of the file's format (the first registered reader whose ``sniff`` says yes)."""
    path = Path(path)
    if not path.is_file():
        raise ReadError(path, None, "no such file")
    start = head(path)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(path, None, "a UTF-16 text file: save it as UTF-8 (Excel: \"CSV UTF-8\")")
    for reader in readers().values():
        if reader.sniff(path, start):
            return reader
    raise ReadError(path, None, "format not recognised; known formats: "
                    + "; ".join(f"{r.name} ({r.description})" for r in _READERS.values()))


def read(path: str | Path, format: str | None = None, *, log: ReadLog | None = None,
         **options) -> Iterator[Observation]:
    """Observations of a file in the given format, or in the detected one."""
    reader = get_reader(format) if format else detect(path)
    return reader.read(Path(path), log=log, **options)
