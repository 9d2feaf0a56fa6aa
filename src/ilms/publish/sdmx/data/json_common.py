"""What the SDMX-JSON data writers share: value indexes built while streaming, JSON text helpers.

SDMX-JSON keys series and observations by positions in the structure's value lists. The
writers stream the data sets first and write the structure last (JSON object members have no
order), so the value lists are the values met, in the order met: memory grows with the number
of distinct codes and notes, never with the number of observations.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from ....observation import Observation
from ....tables import TIME_DIMENSION
from .layout import Layout, number, sdmx_time
from .rows import ATTRIBUTE_FIELDS, AttributeTexts, row_series

#: at most this many distinct attribute tuples are cached per data set; then the cache starts again
CACHE_LIMIT = 50_000


def js(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Index:
    """Positions of the values of one component, in order of first appearance."""

    def __init__(self):
        self.positions: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        pos = self.positions.get(value)
        if pos is None:
            pos = self.positions[value] = len(self.positions)
        return pos

    def values(self) -> list[str]:
        return list(self.positions)


class Indexes:
    def __init__(self, layout: Layout):
        self.layout = layout
        self.dims = {d: Index() for d in layout.all_dimensions}
        self.attrs = {a: Index() for a in layout.attributes}
        self._attribute_cache: dict[tuple, str] = {}

    def key(self, dims: Iterable[str], values: Iterable[str]) -> str:
        return ":".join(str(self.dims[d](v)) for d, v in zip(dims, values))

    def obs_array(self, obs: Observation, measure_value: bool) -> str:
        attrs = self.attribute_text(self.layout.attribute_tuple(obs))
        if measure_value:
            v = self.layout.value(obs)
            return "[" + ("null" if v is None else v) + ("," + attrs if attrs else "") + "]"
        return "[" + attrs + "]"

    def attribute_text(self, values: tuple) -> str:
        """The attribute positions of an observation's array, joined; built once per distinct tuple
        (the first time assigns the positions, in the order the reference would)."""
        cache = self._attribute_cache
        text = cache.get(values)
        if text is None:
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
            text = cache[values] = ",".join("null" if v is None else str(self.attrs[a](v))
                                            for a, v in zip(self.layout.attributes, values))
        return text


def data_set_body(layout: Layout, idx: Indexes, observations: Iterable[Observation]) -> Iterator[str]:
    """``"series":{...}`` or (AllDimensions) ``"observations":{...}``, streamed."""
    measure = layout.with_value
    if layout.flat:
        yield '"observations":{'
        first = True
        for obs in observations:
            key = idx.key(layout.all_dimensions, (*obs.key, sdmx_time(obs.time)))
            body = idx.obs_array(obs, measure) if layout.with_observations else "[]"
            yield ("" if first else ",") + f'"{key}":{body}'
            first = False
        yield "}"
        return
    if layout.dimension_at_observation == TIME_DIMENSION and hasattr(observations, "row_batches"):
        yield from _row_series(layout, idx, observations.row_batches())
        return
    yield '"series":{'
    first = True
    dao = layout.dimension_at_observation
    by_time = dao == TIME_DIMENSION
    positions: dict[str, int] = {}          # period -> its position (the index never forgets one)
    for key, group in layout.series(observations):
        skey = idx.key(layout.series_dimensions, key)
        head = ("" if first else ",") + f'"{skey}":{{"attributes":[]'
        first = False
        if not layout.with_observations:
            yield head + "}\n"
            continue
        parts = []
        for obs in group:
            at = positions.get(obs.time) if by_time else None
            if at is None:
                at = idx.dims[dao](layout.observation_key(obs))
                if by_time:
                    positions[obs.time] = at
            parts.append(f'"{at}":{idx.obs_array(obs, measure)}')
        yield head + ',"observations":{' + ",".join(parts) + "}}\n"
    yield "}"


def _row_series(layout: Layout, idx: Indexes, batches: Iterable[list[tuple]]) -> Iterator[str]:
    """``data_set_body``'s series by period (the default) from a read's driver tuples
    (``store.read.public_rows``), the same bytes and positions: no ``Observation`` per row. A
    period's ``"position":[`` is made once per period, an attribute tuple's positions once per
    distinct tuple (``rows.AttributeTexts``, through ``Indexes``), so each is placed in its index
    when first met, as the reference places it; per row only the value is formatted
    (tests/publish/sdmx/test_rows_fast_path.py compares the two)."""
    measure = layout.with_value
    dims = layout.series_dimensions
    periods = idx.dims[TIME_DIMENSION]
    opened: dict[str, str] = {}             # period -> '"position":['

    def closing(values: tuple) -> str:
        """The end of an observation's array: after the value, the attribute positions."""
        text = idx.attribute_text(values)
        return (("," + text if text else "") if measure else text) + "]"
    ends = AttributeTexts(layout, closing, CACHE_LIMIT)
    yield '"series":{'
    first = True
    for key, rows in row_series(batches):
        head = ("" if first else ",") + f'"{idx.key(dims, key.split("."))}":{{"attributes":[]'
        first = False
        if not layout.with_observations:
            yield head + "}\n"
            continue
        parts = []
        for row in rows:
            start = opened.get(row[1])
            if start is None:
                if len(opened) >= CACHE_LIMIT:
                    opened.clear()
                start = opened[row[1]] = f'"{periods(sdmx_time(row[1]))}":['
            end = ends[row[ATTRIBUTE_FIELDS]]
            if measure:
                v = row[2]
                v = None if v is None else number(v)
                parts.append(start + ("null" if v is None else v) + end)
            else:
                parts.append(start + end)
        yield head + ',"observations":{' + ",".join(parts) + "}}\n"
    yield "}"


def dimension_values(layout: Layout, dim: str, index: Index) -> list[dict]:
    return [{"id": v, "name": layout.code_name(dim, v)} for v in index.values()]


def data_set_fields(ds) -> str:
    """``"action"``, ``"validFrom"``, ``"validTo"`` of a data set, each followed by a comma."""
    from .xmlparts import xml_datetime
    out = [f'"action":"{ds.action or "Information"}",']
    if ds.valid_from:
        out.append(f'"validFrom":"{xml_datetime(ds.valid_from)}",')
    if ds.valid_to:
        out.append(f'"validTo":"{xml_datetime(ds.valid_to)}",')
    return "".join(out)
