"""Rows of the SDMX-CSV writers: RFC 4180 quoting, labels, one row per observation (or series)."""
from __future__ import annotations

from typing import Iterable, Iterator

from ....observation import Observation
from ...tabular import safe_field
from ....tables import TIME_DIMENSION
from ..artefacts import MEASURE
from .layout import Layout, sdmx_time, series

EOL = "\r\n"


def field(value: str | None) -> str:
    """One CSV field: RFC 4180 quoting; text a spreadsheet would run as a formula gets a leading
    apostrophe (``publish.tabular.safe_field``), as in every CSV the system writes."""
    if value is None:
        return ""
    value = safe_field(value)
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def line(values: Iterable[str | None]) -> str:
    return ",".join(field(v) for v in values) + EOL


def components(layout: Layout) -> list[str]:
    dims = list(layout.all_dimensions if layout.with_observations else layout.dimensions)
    return dims + list(layout.measures) + list(layout.attributes)


def component_header(layout: Layout, comp: str) -> list[str]:
    labels = layout.options.labels
    if labels == "both":
        return [f"{comp}: {layout.component_name(comp)}"]
    if labels == "name":
        return [comp, layout.component_name(comp)]
    return [comp]


def _name(layout: Layout, comp: str, value: str) -> str | None:
    if comp == MEASURE:
        return None
    if comp in layout.attributes:
        return layout.attribute_name(comp, value) if layout.is_coded(comp) else None
    if comp == TIME_DIMENSION:
        return None
    return layout.code_name(comp, value)


def component_value(layout: Layout, comp: str, value: str | None) -> list[str | None]:
    labels = layout.options.labels
    if labels == "id":
        return [value]
    name = None if value is None else _name(layout, comp, value)
    if labels == "both":
        return [f"{value}: {name}" if value is not None and name is not None else value]
    if labels == "name":
        return [value, name]
    return [value]


def rows(layout: Layout, observations: Iterable[Observation], prefix: list[str]) -> Iterator[str]:
    comps = components(layout)
    if not layout.with_observations:
        for key, _ in series(observations):
            values = dict(zip(layout.dimensions, key))
            yield line(prefix + [v for c in comps for v in component_value(layout, c, values.get(c))])
        return
    for obs in observations:
        values = dict(zip(layout.dimensions, obs.key))
        values[TIME_DIMENSION] = sdmx_time(obs.time)
        if layout.with_value:
            values[MEASURE] = layout.value(obs)
        values.update(zip(layout.attributes, layout.attribute_row(obs)))
        yield line(prefix + [v for c in comps for v in component_value(layout, c, values.get(c))])
