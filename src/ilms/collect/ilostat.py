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
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterator, Mapping

from ..observation import Observation, decimals_of
from ..tables import structure
from .ilostat_mapping import COLUMNS, CodeError, check_status, check_time, key_of
from .registry import ReadError, ReadLog, csv_records, open_text, register_reader

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
            records = csv_records(text, path)
            try:
                _, names = next(records)
            except StopIteration:
                raise ReadError(path, None, "the file is empty") from None
            columns = _header(path, names)
            # the ILOSTAT columns and where each is (None: absent), once per file, not per row
            wanted = [(c, columns.get(c)) for c in COLUMNS]
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
