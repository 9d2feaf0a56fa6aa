"""The body shared by the structure-specific SDMX-ML writers (2.1, 3.0, 3.1).

Components are XML attributes named by their ids: the series dimensions on ``Series`` (every
dimension on ``Obs`` when ``dimensionAtObservation=AllDimensions``), the dimension at
observation (the time period by default), ``OBS_VALUE`` and the attributes on ``Obs``. A confidential value has no ``OBS_VALUE``; its ``OBS_CONF`` is ``C``.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ....observation import Observation
from ..artefacts import MEASURE
from ....tables import TIME_DIMENSION
from .layout import Layout, number, sdmx_time
from .rows import ATTRIBUTE_FIELDS, AttributeTexts, row_series
from .xmlparts import attr

#: at most this many distinct periods or attribute tuples are cached per data set; then it starts again
CACHE_LIMIT = 50_000


def _pairs(pairs) -> str:
    return "".join(f' {k}="{attr(v)}"' for k, v in pairs)


def _obs(layout: Layout, obs: Observation, key_pairs) -> str:
    parts = [key_pairs]
    if layout.with_observations or layout.flat:
        value = layout.value(obs) if layout.with_observations else None
        if value is not None:
            parts.append(f' {MEASURE}="{value}"')
        parts.append(_pairs(layout.attribute_values(obs)))
    return f"<Obs{''.join(parts)}/>"


def body(layout: Layout, observations: Iterable[Observation]) -> Iterator[str]:
    """Series and observations, streamed."""
    if layout.flat:
        for obs in observations:
            key = _pairs(zip(layout.all_dimensions, (*obs.key, sdmx_time(obs.time))))
            yield _obs(layout, obs, key) + "\n"
        return
    dao = layout.dimension_at_observation
    if layout.with_observations and dao == TIME_DIMENSION:
        if hasattr(observations, "row_batches"):
            yield from _row_time_series(layout, observations.row_batches())
        else:
            yield from _time_series(layout, observations)
        return
    for key, group in layout.series(observations):
        head = f"<Series{_pairs(zip(layout.series_dimensions, key))}"
        if not layout.with_observations:
            yield head + "/>\n"
            continue
        yield head + ">"
        for obs in group:
            yield _obs(layout, obs, f' {dao}="{attr(layout.observation_key(obs))}"')
        yield "</Series>\n"


def _period_start(period: str) -> str:
    """An ``Obs`` element up to its period."""
    return f'<Obs {TIME_DIMENSION}="{attr(sdmx_time(period))}"'


def _obs_end(layout: Layout, values: tuple) -> str:
    """The end of an ``Obs`` element, after its value: the attributes that have a value."""
    return _pairs((k, v) for k, v in zip(layout.attributes, values) if v is not None) + "/>"


class _SeriesStart:
    """``<Series`` and the XML attributes of a series key: each dimension's ``id="code"`` is made
    once per code (series share their codes; at most ``CACHE_LIMIT`` kept per dimension)."""

    def __init__(self, dimensions: tuple[str, ...]):
        self.made = [(d, {}) for d in dimensions]

    def __call__(self, key) -> str:
        parts = ["<Series"]
        for (dim, made), code in zip(self.made, key):
            text = made.get(code)
            if text is None:
                if len(made) >= CACHE_LIMIT:
                    made.clear()
                text = made[code] = f' {dim}="{attr(code)}"'
            parts.append(text)
        return "".join(parts)


def _time_series(layout: Layout, observations: Iterable[Observation]) -> Iterator[str]:
    """``body`` for series by period (the default), the same bytes: each period's and each distinct
    attribute tuple's XML attributes are written once (observations share few), only the value per
    observation."""
    times: dict[str, str] = {}
    attribute_texts: dict[tuple, str] = {}
    attributes_of = layout.attribute_tuple
    series_start = _SeriesStart(layout.series_dimensions)
    for key, group in layout.series(observations):
        parts = [series_start(key) + ">"]
        for obs in group:
            t = times.get(obs.time)
            if t is None:
                if len(times) >= CACHE_LIMIT:
                    times.clear()
                t = times[obs.time] = _period_start(obs.time)
            values = attributes_of(obs)
            a = attribute_texts.get(values)
            if a is None:
                if len(attribute_texts) >= CACHE_LIMIT:
                    attribute_texts.clear()
                a = attribute_texts[values] = _obs_end(layout, values)
            value = layout.value(obs)
            parts.append(t + a if value is None else f'{t} {MEASURE}="{value}"{a}')
        parts.append("</Series>\n")
        yield "".join(parts)


def _row_time_series(layout: Layout, batches: Iterable[list[tuple]]) -> Iterator[str]:
    """``_time_series`` from a read's driver tuples (``store.read.public_rows``), the same bytes: no
    ``Observation`` per row; an attribute tuple's XML attributes are made once per distinct tuple
    (``rows.AttributeTexts``) (tests/publish/sdmx/test_rows_fast_path.py compares the two)."""
    times: dict[str, str] = {}
    ends = AttributeTexts(layout, lambda values: _obs_end(layout, values), CACHE_LIMIT)
    series_start, with_value = _SeriesStart(layout.series_dimensions), layout.with_value
    for key, rows in row_series(batches):
        parts = [series_start(key.split(".")) + ">"]
        for row in rows:
            t = times.get(row[1])
            if t is None:
                if len(times) >= CACHE_LIMIT:
                    times.clear()
                t = times[row[1]] = _period_start(row[1])
            a = ends[row[ATTRIBUTE_FIELDS]]
            v = row[2]
            value = number(v) if with_value and v is not None else None
            parts.append(t + a if value is None else f'{t} {MEASURE}="{value}"{a}')
        parts.append("</Series>\n")
        yield "".join(parts)
