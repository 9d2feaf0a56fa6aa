"""The body shared by the structure-specific SDMX-ML writers (2.1, 3.0, 3.1).

Components are XML attributes named by their ids: the series dimensions on ``Series`` (every
dimension on ``Obs`` when ``dimensionAtObservation=AllDimensions``), the dimension at
observation (the time period by default), ``OBS_VALUE`` and the attributes on ``Obs``. A confidential value has no ``OBS_VALUE``; its ``OBS_CONF`` is ``C``.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ....observation import Observation
from ..artefacts import MEASURE
from .layout import Layout, sdmx_time
from .xmlparts import attr


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
    for key, group in layout.series(observations):
        head = f"<Series{_pairs(zip(layout.series_dimensions, key))}"
        if not layout.with_observations:
            yield head + "/>\n"
            continue
        yield head + ">"
        for obs in group:
            yield _obs(layout, obs, f' {dao}="{attr(layout.observation_key(obs))}"')
        yield "</Series>\n"
