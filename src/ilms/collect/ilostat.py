"""Reader of ILOSTAT's bulk-download CSV (plain or gzipped).

Columns: ``ref_area, source, indicator, sex, classif1[, classif2], time, obs_value, obs_status,
note_classif, note_indicator, note_source``; ``classif2`` only for two-classification indicators;
``*.label`` columns and any other extra column are ignored. Header names are matched without
regard to case.

* Every code is checked against the codelists; a bad one is refused with file, line, column and code.
* A row whose indicator is not an ILMS indicator is refused, unless ``skip_unknown_indicators``:
  then it is skipped and counted in the read log (bulk files "by country" hold every indicator).
* An empty ``obs_value`` is accepted only with ``obs_status`` C: a confidential cell whose value
  ILOSTAT withheld. A value with status C is a confidential value (stored, never published).
* Note codes are kept verbatim; decimals are taken from the text of the value.
* Provenance of each observation: ``FILE:LINE``.

Two ways to read, with the same checks, the same errors and the same observations:

* ``read``: one ``Observation`` per row (the reference path, and what callers that want
  observations use);
* ``read_batches``: batches of plain tuples in ``Observation``'s field order (``RowBatch``), for the
  load (``collect.load`` -> ``store.write.write_rows``). Every code column is checked once per
  distinct text (a file repeats the same few hundred codes), not once per row; a row the fast
  checks do not accept outright goes through ``to_observation``, so a bad row gets exactly the
  reference error.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Iterator, Mapping

from ..observation import Observation, decimals_of
from ..tables import structure
from .ilostat_mapping import COLUMNS, CodeError, check_status, check_time, key_of
from .registry import ReadError, ReadLog, csv_records, open_text, register_reader

#: rows per ``RowBatch`` (as many as ``store.write`` takes per batch: the same order of errors)
BATCH = 2000

REQUIRED = ("ref_area", "source", "indicator", "sex", "classif1", "time", "obs_value")


#: characters no text of a statistical file holds (C0 controls but tab, line feed, carriage return)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_observation(fields: Mapping[str, str], provenance: str) -> Observation:
    """An ILOSTAT row (stripped texts by column name) as an Observation; raises ``CodeError``."""
    for column, text in fields.items():
        bad = CONTROL.search(text)
        if bad:
            raise CodeError(column, f"holds the control character U+{ord(bad.group()):04X}, which no text "
                                    "has (a binary file, or a damaged one?)")
    table, key = key_of(fields["indicator"].upper(), fields["ref_area"].upper(), fields["source"],
                        fields["sex"].upper(), fields["classif1"], fields.get("classif2", ""))
    time = check_time(fields["time"])
    status = check_status(fields.get("obs_status", ""))
    text = fields["obs_value"]
    if text:
        try:
            value = float(text)
        except ValueError:
            raise CodeError("obs_value", f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise CodeError("obs_value", f"{text!r} is not a finite number")
        decimals = decimals_of(text)
    elif status == "C":
        value, decimals = None, None
    else:
        raise CodeError("obs_value", "is empty; only a confidential cell (obs_status C) may have no value")
    return Observation(
        table=table.number, key=key, time=time, value=value, status=status,
        confidential=status == "C", note_classif=fields.get("note_classif") or None,
        note_indicator=fields.get("note_indicator") or None, note_source=fields.get("note_source") or None,
        decimals=decimals, provenance=provenance)


def _header(path: Path, names: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, name in enumerate(names):
        name = name.strip().lower()
        if name and not name.endswith(".label") and name not in columns:
            columns[name] = i
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ReadError(path, "line 1", f"missing column(s) {', '.join(missing)}; an ILOSTAT file has "
                                        "ref_area, source, indicator, sex, classif1[, classif2], time, obs_value, ...")
    return columns


@register_reader("ilostat-csv")
class IlostatCsv:
    """ILOSTAT bulk-download CSV (ref_area, source, indicator, sex, classif1, ...)"""

    def sniff(self, path: Path, head: bytes) -> bool:
        first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
        if not first:
            return False
        names = {n.strip().strip('"').lower() for n in first[0].split(",")}
        return {"ref_area", "indicator", "obs_value"} <= names

    def read(self, path: Path, *, log: ReadLog | None = None, skip_unknown_indicators: bool = False,
             **_options) -> Iterator[Observation]:
        path = Path(path)
        name = path.name
        s = structure()
        with open_text(path) as text:
            records, _, wanted = _columns(path, text)
            for line, row in records:
                if not any(cell.strip() for cell in row):
                    continue
                fields = {c: (row[i].strip() if i is not None and i < len(row) else "") for c, i in wanted}
                if skip_unknown_indicators and s.indicator(fields["indicator"]) is None:
                    if log is not None:
                        log.skip(f"not an ILMS indicator: {fields['indicator'] or '(empty)'}")
                    continue
                try:
                    yield to_observation(fields, f"{name}:{line}")
                except CodeError as exc:
                    raise ReadError(path, f"line {line}", str(exc)) from None

    def read_batches(self, path: Path, *, log: ReadLog | None = None, skip_unknown_indicators: bool = False,
                     **_options) -> Iterator[RowBatch]:
        """The rows of ``read`` as batches of tuples (``RowBatch``): the load's fast path."""
        return _read_batches(Path(path), log=log, skip_unknown_indicators=skip_unknown_indicators)


@dataclass
class RowBatch:
    """Rows of a file, each a tuple in ``Observation``'s field order (table, key, time, value, status,
    confidential, note_classif, note_indicator, note_source, comment, unit_mult, currency, decimals,
    provenance); ``error``: the file's error that came right after these rows (the consumer handles
    the rows read before it as the reference path would, then raises it)."""
    rows: list[tuple] = field(default_factory=list)
    error: Exception | None = None


_SKIP = object()          # a cached key of an indicator that is skipped (skip_unknown_indicators)


class _Memo(dict):
    """``memo[raw]``: ``fn(raw)``, computed on the first look-up of ``raw`` and kept (a hit is a
    plain dict look-up)."""
    __slots__ = ("fn",)

    def __init__(self, fn, initial=()):
        super().__init__(initial)
        self.fn = fn

    def __missing__(self, raw):
        value = self[raw] = self.fn(raw)
        return value


class _Codes:
    """The checks of ``to_observation`` on the code columns, once per distinct raw text; ``None``:
    not accepted here (the row goes through ``to_observation`` for its exact error)."""

    def __init__(self, skip_unknown_indicators: bool, log: ReadLog | None):
        self.keys: dict[tuple, object] = {}
        self.times = _Memo(self.time)
        self.statuses = _Memo(self.status)
        self.notes = _Memo(self.note, {"": (None,)})
        self.skip = skip_unknown_indicators
        self.log = log

    def key(self, raw: tuple) -> object:
        """``(table_no, key)``, ``_SKIP``, or None (a bad code)."""
        stripped = tuple(t.strip() for t in raw)
        indicator, ref_area, source, sex, c1, c2 = stripped
        if self.skip and structure().indicator(indicator) is None:
            return _SKIP
        if any(CONTROL.search(t) for t in stripped):
            return None
        try:
            table, key = key_of(indicator.upper(), ref_area.upper(), source, sex.upper(), c1, c2)
        except CodeError:
            return None
        return (table.number, key)

    def time(self, raw: str) -> str | None:
        try:
            text = raw.strip()
            return None if CONTROL.search(text) else check_time(text)
        except CodeError:
            return None

    def status(self, raw: str) -> tuple | None:
        try:
            text = raw.strip()
            return None if CONTROL.search(text) else (check_status(text),)
        except CodeError:
            return None

    def note(self, raw: str) -> tuple | None:
        text = raw.strip()
        return None if CONTROL.search(text) else (text or None,)


def _columns(path: Path, text) -> tuple[Iterator, list[str], list[tuple[str, int | None]]]:
    """The records after the header, the header's names, and the ILOSTAT columns with where each
    is (None: absent), once per file, not per row."""
    records = csv_records(text, path)
    try:
        _, names = next(records)
    except StopIteration:
        raise ReadError(path, None, "the file is empty") from None
    columns = _header(path, names)
    return records, names, [(c, columns.get(c)) for c in COLUMNS]


def _read_batches(path: Path, *, log: ReadLog | None = None, skip_unknown_indicators: bool = False,
                  size: int = BATCH) -> Iterator[RowBatch]:
    name = path.name
    codes = _Codes(skip_unknown_indicators, log)
    with open_text(path) as text:
        records, names, wanted = _columns(path, text)
        width = len(names)
        # absent columns read a padding cell past the row's end; rows of another width take the
        # generic path (as in ``read``: a missing cell is empty)
        pad = [""] * (1 + sum(1 for _, i in wanted if i is None))
        spare = iter(range(width, width + len(pad)))
        cells = itemgetter(*[i if i is not None else next(spare) for _, i in wanted])
        keys, times, statuses, notes = codes.keys, codes.times, codes.statuses, codes.notes
        batch = RowBatch()
        rows = batch.rows
        isfinite = math.isfinite
        try:
            for line, row in records:
                if len(row) == width:
                    row += pad
                    (ref_area, source, indicator, sex, c1, c2, time, value, status, nc, ni, ns) = cells(row)
                else:
                    (ref_area, source, indicator, sex, c1, c2, time, value, status, nc, ni, ns) = (
                        row[i] if i is not None and i < len(row) else "" for _, i in wanted)
                raw_key = (indicator, ref_area, source, sex, c1, c2)
                found = keys.get(raw_key)
                if found is None:
                    if not any(cell.strip() for cell in row):
                        continue
                    found = keys[raw_key] = codes.key(raw_key)
                if found is _SKIP:
                    if log is not None:
                        log.skip(f"not an ILMS indicator: {indicator.strip() or '(empty)'}")
                    continue
                t, st = times[time], statuses[status]
                n1, n2, n3 = notes[nc], notes[ni], notes[ns]
                v = value.strip()
                number = decimals = None
                ok = found is not None and t is not None and st is not None and n1 is not None \
                    and n2 is not None and n3 is not None
                if ok:
                    if v:
                        try:
                            number = float(v)               # a text float() takes holds no control character
                        except ValueError:
                            ok = False
                        else:
                            ok = isfinite(number)
                            decimals = 0 if ("." not in v or "e" in v or "E" in v) else len(v) - v.index(".") - 1
                    else:
                        ok = st[0] == "C"
                if not ok:
                    # the reference conversion names the column (and raises, as this row is refused)
                    fields = {c: (row[i].strip() if i is not None and i < len(row) else "") for c, i in wanted}
                    try:
                        o = to_observation(fields, f"{name}:{line}")
                    except CodeError as exc:
                        raise ReadError(path, f"line {line}", str(exc)) from None
                    rows.append((o.table, o.key, o.time, o.value, o.status, o.confidential, o.note_classif,
                                 o.note_indicator, o.note_source, o.comment, o.unit_mult, o.currency, o.decimals,
                                 o.provenance))          # what the reference made of a row the fast checks doubted
                else:
                    rows.append((found[0], found[1], t, number, st[0], st[0] == "C", n1[0], n2[0], n3[0], None,
                                 None, None, decimals, f"{name}:{line}"))
                if len(rows) >= size:
                    yield batch
                    batch = RowBatch()
                    rows = batch.rows
        except ReadError as exc:
            batch.error = exc
            yield batch
            return
    if rows:
        yield batch
