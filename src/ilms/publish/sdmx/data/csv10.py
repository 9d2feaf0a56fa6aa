"""SDMX-CSV 1.0 data: ``DATAFLOW`` column, then dimensions, ``OBS_VALUE`` and attributes."""
from __future__ import annotations

from typing import Iterator

from . import Message, register
from .csv_common import component_header, components, line, rows
from .options import InvalidOption

DATA_CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"


@register(DATA_CSV_10, flat=True, single=True, actions=False)
def csv10(message: Message) -> Iterator[str]:
    [layout] = message.layouts
    if layout.options.labels == "name":
        raise InvalidOption("SDMX-CSV 1.0 knows labels=id and labels=both only")
    yield line(["DATAFLOW"] + [h for c in components(layout) for h in component_header([layout], c)])
    flow = layout.flow_ref
    if layout.options.labels == "both":
        flow = f"{flow}: {layout.table.title}"
    for ds in message.datasets:
        yield from rows(layout, ds.observations, [flow])
