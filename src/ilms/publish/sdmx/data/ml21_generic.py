"""SDMX-ML 2.1 generic data and generic time-series data."""
from __future__ import annotations

from typing import Iterator

from ....observation import Observation
from ....tables import TIME_DIMENSION
from . import Message, register
from .layout import Layout, sdmx_time
from .xmlparts import PROLOG, XSI, attr, data_set_attributes, header, ns

GENERIC = "application/vnd.sdmx.genericdata+xml;version=2.1"
GENERIC_TS = "application/vnd.sdmx.generictimeseriesdata+xml;version=2.1"


def _values(pairs) -> str:
    return "".join(f'<generic:Value id="{k}" value="{attr(v)}"/>' for k, v in pairs)


#: at most this many distinct attribute tuples are cached per data set; then the cache starts again
CACHE_LIMIT = 50_000


def _obs_body(layout: Layout, obs: Observation, cache: dict[tuple, str]) -> str:
    """The value and the attributes of an observation; the attributes' XML once per distinct tuple."""
    values = layout.attribute_tuple(obs)
    attrs = cache.get(values)
    if attrs is None:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        pairs = [(a, v) for a, v in zip(layout.attributes, values) if v is not None]
        attrs = cache[values] = f"<generic:Attributes>{_values(pairs)}</generic:Attributes>" if pairs else ""
    value = layout.value(obs)
    return attrs if value is None else f'<generic:ObsValue value="{value}"/>' + attrs


def _write(message: Message, root: str) -> Iterator[str]:
    yield PROLOG
    yield (f'<message:{root} xmlns:message="{ns("2.1", "message")}" '
           f'xmlns:generic="{ns("2.1", "data/generic")}" xmlns:common="{ns("2.1", "common")}" '
           f'xmlns:xsi="{XSI}">\n')
    yield header(message.layouts, "2.1")
    for ds in message.datasets:
        yield from _data_set(ds)
    yield f"</message:{root}>\n"


def _data_set(ds) -> Iterator[str]:
    layout, observations = ds.layout, ds.observations
    cache: dict[tuple, str] = {}
    yield f'<message:DataSet structureRef="{layout.structure_id}"{data_set_attributes(ds)}>\n'
    if layout.flat:
        for obs in observations:
            key = zip(layout.all_dimensions, (*obs.key, sdmx_time(obs.time)))
            body = _obs_body(layout, obs, cache) if layout.with_observations else ""
            yield f"<generic:Obs><generic:ObsKey>{_values(key)}</generic:ObsKey>{body}</generic:Obs>\n"
    else:
        for key, group in layout.series(observations):
            yield f"<generic:Series><generic:SeriesKey>{_values(zip(layout.series_dimensions, key))}</generic:SeriesKey>"
            if layout.with_observations:
                for obs in group:
                    yield (f'<generic:Obs><generic:ObsDimension value="{attr(layout.observation_key(obs))}"/>'
                           f"{_obs_body(layout, obs, cache)}</generic:Obs>")
            yield "</generic:Series>\n"
    yield "</message:DataSet>\n"


@register(GENERIC, default_for=("v1",))
def generic(message: Message) -> Iterator[str]:
    return _write(message, "GenericData")


@register(GENERIC_TS, time_series_only=True)
def generic_time_series(message: Message) -> Iterator[str]:
    assert all(layout.dimension_at_observation == TIME_DIMENSION for layout in message.layouts)
    return _write(message, "GenericTimeSeriesData")
