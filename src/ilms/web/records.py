"""One public observation as the API shows it: codes and labels by dimension, value, flags, notes, unit."""
from __future__ import annotations

import json
import math
from typing import Iterable, Iterator, Mapping

from ..observation import Observation
from ..tables import Table


class Labeller:
    """Labels of a table's codes; the open SOURCE list takes its names from the source catalogue."""

    def __init__(self, table: Table, source_names: Mapping[str, str]):
        self.table = table
        self.source_names = source_names
        self._cache: dict[tuple[str, str], str] = {}

    def label(self, dim: str, code: str) -> str:
        found = self._cache.get((dim, code))
        if found is None:
            if dim == "SOURCE":
                found = self.source_names.get(code, code)
            else:
                found = self.table.dimension(dim).codelist.label(code)
            self._cache[(dim, code)] = found
        return found


def record(obs: Observation, table: Table, labeller: Labeller) -> dict:
    value = obs.value
    if value is not None and not math.isfinite(value):
        value = None
    key = table.key_dict(obs.key)
    return {
        "key": key,
        "labels": {d: labeller.label(d, c) for d, c in key.items()},
        "time": obs.time,
        "value": value,
        "confidential": bool(obs.confidential),
        "status": obs.status,
        "notes": {"classif": obs.note_classif, "indicator": obs.note_indicator,
                  "source": obs.note_source, "comment": obs.comment},
        "unit": table.unit.unit_measure,
        "unit_mult": obs.unit_mult or table.unit.unit_mult,
        "currency": obs.currency,
    }


def records(observations: Iterable[Observation], table: Table, labeller: Labeller) -> Iterator[dict]:
    for obs in observations:
        yield record(obs, table, labeller)


#: at most this many distinct series, periods or attribute tuples are cached per response; then the
#: cache starts again (memory stays bounded whatever the data)
CACHE_LIMIT = 50_000


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _value_text(value) -> str:
    """``record``'s value as ``json.dumps`` writes it (a non-finite number is null)."""
    if value is None or not math.isfinite(value):
        return "null"
    return float.__repr__(value) if type(value) is float else _dumps(value)


def record_lines(observations: Iterable[Observation], table: Table, labeller: Labeller) -> Iterator[str]:
    """Each observation's ``record`` as the JSON text ``json.dumps(record(...), ensure_ascii=False,
    allow_nan=False)`` writes, the same bytes, built from parts: the key and labels once per series,
    the period once per period, the flags, notes and unit once per distinct combination; only the
    value per observation (tests/store/test_read_fast_path.py compares the two)."""
    unit = _dumps(table.unit.unit_measure)
    default_mult = table.unit.unit_mult
    times: dict[str, str] = {}
    tails: dict[tuple, str] = {}
    last_key, head = None, ""
    for obs in observations:
        if obs.key != last_key:
            last_key = obs.key
            key = table.key_dict(obs.key)
            head = ('{"key": ' + _dumps(key) + ', "labels": '
                    + _dumps({d: labeller.label(d, c) for d, c in key.items()}) + ', "time": ')
        time = times.get(obs.time)
        if time is None:
            if len(times) >= CACHE_LIMIT:
                times.clear()
            time = times[obs.time] = _dumps(obs.time) + ', "value": '
        flags = (bool(obs.confidential), obs.status, obs.note_classif, obs.note_indicator, obs.note_source,
                 obs.comment, obs.unit_mult or default_mult, obs.currency)
        tail = tails.get(flags)
        if tail is None:
            if len(tails) >= CACHE_LIMIT:
                tails.clear()
            confidential, status, classif, indicator, source, comment, unit_mult, currency = flags
            tail = tails[flags] = (
                ', "confidential": ' + _dumps(confidential) + ', "status": ' + _dumps(status) + ', "notes": '
                + _dumps({"classif": classif, "indicator": indicator, "source": source, "comment": comment})
                + ', "unit": ' + unit + ', "unit_mult": ' + _dumps(unit_mult) + ', "currency": '
                + _dumps(currency) + "}")
        yield head + time + _value_text(obs.value) + tail
