"""One public observation as the API shows it: codes and labels by dimension, value, flags, notes, unit."""
from __future__ import annotations

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
