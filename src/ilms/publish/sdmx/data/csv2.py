"""SDMX-CSV 2.0.0 and 2.1.0 data: ``STRUCTURE``, ``STRUCTURE_ID`` (``STRUCTURE_NAME``), ``ACTION``, components.

The action is ``I`` (information) in 2.0.0. In 2.1.0, which deprecates ``I``, it is ``R``
(replace) for a full response and ``M`` (merge) when ``detail``, ``attributes`` or
``measures`` leave components out, as the 2.1.0 field guide recommends for GET responses.
"""
from __future__ import annotations

from typing import Iterator

from ..artefacts import ATTRIBUTES
from . import Message, register
from .csv_common import component_header, line, rows, union_components
from .layout import Layout

DATA_CSV_20 = "application/vnd.sdmx.data+csv;version=2.0.0"
DATA_CSV_21 = "application/vnd.sdmx.data+csv;version=2.1.0"


#: the ACTION column of a data set's action
_LETTERS = {"Append": "A", "Replace": "R", "Delete": "D", "Merge": "M", "Information": "I"}


def _action(layout: Layout, version: str, action: str | None = None) -> str:
    if action:
        return _LETTERS[action]
    if version == "2.0.0":
        return "I"
    complete = layout.detail == "full" and layout.with_value and len(layout.attributes) == len(ATTRIBUTES)
    return "R" if complete else "M"


def _write(message: Message, version: str) -> Iterator[str]:
    layouts = message.layouts
    labels = layouts[0].options.labels
    columns = union_components(layouts)
    head = ["STRUCTURE", "STRUCTURE_ID"] + (["STRUCTURE_NAME"] if labels == "name" else []) + ["ACTION"]
    yield line(head + [h for c in columns for h in component_header(layouts, c)])
    for ds in message.datasets:
        layout = ds.layout
        ref = layout.flow_ref
        prefix = ["dataflow", f"{ref}: {layout.table.title}" if labels == "both" else ref]
        if labels == "name":
            prefix.append(layout.table.title)
        prefix.append(_action(layout, version, ds.action))
        yield from rows(layout, ds.observations, prefix, columns)


@register(DATA_CSV_20, flat=True)
def csv20(datasets: Message) -> Iterator[str]:
    return _write(datasets, "2.0.0")


@register(DATA_CSV_21, flat=True)
def csv21(datasets: Message) -> Iterator[str]:
    return _write(datasets, "2.1.0")
