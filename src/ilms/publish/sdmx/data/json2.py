"""SDMX-JSON 2.0.0 and 2.1.0 data (``meta``, ``data.dataSets``, ``data.structures``), streamed."""
from __future__ import annotations

from typing import Iterator

from ....tables import TIME_DIMENSION
from ..artefacts import MEASURE
from . import Message, register
from .json10 import links, meta, release_annotations
from .json_common import Indexes, data_set_body, data_set_fields, dimension_values, js
from .layout import Layout

DATA_JSON_20 = "application/vnd.sdmx.data+json;version=2.0.0"
DATA_JSON_21 = "application/vnd.sdmx.data+json;version=2.1.0"
SCHEMA = "https://json.sdmx.org/{v}/sdmx-json-data-schema.json"


def _attribute_values(layout: Layout, attr: str, values: list[str]) -> list[dict]:
    if layout.is_coded(attr):
        return [{"id": v, "name": layout.attribute_name(attr, v)} for v in values]
    return [{"value": v} for v in values]


def _structure(layout: Layout, idx: Indexes, data_sets: list[int]) -> dict:
    def dim(d: str, pos: int) -> dict:
        out = {"id": d, "name": layout.component_name(d), "keyPosition": pos}
        if d == TIME_DIMENSION:
            out["roles"] = ["TIME_PERIOD"]
        values = dimension_values(layout, d, idx.dims[d])
        if values:
            out["values"] = values
        return out

    dims = [dim(d, i) for i, d in enumerate(layout.all_dimensions)]
    by_id = {d["id"]: d for d in dims}
    dimensions = ({"dataSet": [], "series": [], "observation": dims} if layout.flat
                  else {"dataSet": [], "series": [by_id[d] for d in layout.series_dimensions],
                        "observation": [by_id[layout.dimension_at_observation]]})
    attrs = []
    for a in layout.attributes:
        item = {"id": a, "name": layout.component_name(a), "relationship": {"observation": {}}}
        values = _attribute_values(layout, a, idx.attrs[a].values())
        if values:
            item["values"] = values
        attrs.append(item)
    measures = [{"id": MEASURE, "name": layout.component_name(MEASURE)}] if layout.with_value else []
    structure = {"links": links(layout), "name": layout.table.title, "dataSets": data_sets,
                 "dimensions": dimensions, "measures": {"observation": measures},
                 "attributes": {"dataSet": [], "series": [], "observation": attrs}}
    notes = release_annotations(layout)
    if notes:
        structure["annotations"] = notes
    return structure


def _write(message: Message, version: str) -> Iterator[str]:
    """The data sets (``structure``: the index of their dataflow in ``structures``), streamed; the
    structures, built from the values met, come last."""
    layouts = message.layouts
    indexes = [Indexes(layout) for layout in layouts]
    used: list[list[int]] = [[] for _ in layouts]
    yield '{"meta":' + js(meta(layouts[0], SCHEMA.format(v=version))) + ',"data":{"dataSets":['
    for n, ds in enumerate(message.datasets):
        i = message.position(ds.layout)
        used[i].append(n)
        yield ("," if n else "") + f'{{"structure":{i},' + data_set_fields(ds)
        yield '"links":' + js(links(ds.layout)[:1])
        if ds.layout.options.header.release:
            yield ',"annotations":[0]'
        yield ","
        yield from data_set_body(ds.layout, indexes[i], ds.observations)
        yield "}"
    structures = [_structure(layout, indexes[i], used[i]) for i, layout in enumerate(layouts)]
    yield '],"structures":' + js(structures) + "}}\n"


@register(DATA_JSON_20)
def json20(datasets: Message) -> Iterator[str]:
    return _write(datasets, "2.0.0")


@register(DATA_JSON_21, default_for=("v2",))
def json21(datasets: Message) -> Iterator[str]:
    return _write(datasets, "2.1.0")
