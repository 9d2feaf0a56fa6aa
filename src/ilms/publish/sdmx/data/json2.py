"""SDMX-JSON 2.0.0 and 2.1.0 data (``meta``, ``data.dataSets``, ``data.structures``), streamed."""
from __future__ import annotations

from typing import Iterator

from ....tables import TIME_DIMENSION
from ..artefacts import MEASURE
from . import DataSets, register
from .json10 import links, meta, release_annotations
from .json_common import Indexes, data_set_body, dimension_values, js
from .layout import Layout

DATA_JSON_20 = "application/vnd.sdmx.data+json;version=2.0.0"
DATA_JSON_21 = "application/vnd.sdmx.data+json;version=2.1.0"
SCHEMA = "https://json.sdmx.org/{v}/sdmx-json-data-schema.json"


def _attribute_values(layout: Layout, attr: str, values: list[str]) -> list[dict]:
    if layout.is_coded(attr):
        return [{"id": v, "name": layout.attribute_name(attr, v)} for v in values]
    return [{"value": v} for v in values]


def _structure(layout: Layout, idx: Indexes, index: int) -> dict:
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
    structure = {"links": links(layout), "name": layout.table.title, "dataSets": [index],
                 "dimensions": dimensions, "measures": {"observation": measures},
                 "attributes": {"dataSet": [], "series": [], "observation": attrs}}
    notes = release_annotations(layout)
    if notes:
        structure["annotations"] = notes
    return structure


def _write(datasets: DataSets, version: str) -> Iterator[str]:
    """One data set per dataflow (``structure``: its index in ``structures``), streamed; the
    structures, built from the values met, come last."""
    first = datasets[0][0]
    structures = []
    yield '{"meta":' + js(meta(first, SCHEMA.format(v=version))) + ',"data":{"dataSets":['
    for i, (layout, observations) in enumerate(datasets):
        idx = Indexes(layout)
        yield ("," if i else "") + f'{{"structure":{i},'
        yield '"action":"Information","links":' + js(links(layout)[:1])
        if layout.options.header.release:
            yield ',"annotations":[0]'
        yield ","
        yield from data_set_body(layout, idx, observations)
        yield "}"
        structures.append(_structure(layout, idx, i))
    yield '],"structures":' + js(structures) + "}}\n"


@register(DATA_JSON_20)
def json20(datasets: DataSets) -> Iterator[str]:
    return _write(datasets, "2.0.0")


@register(DATA_JSON_21, default_for=("v2",))
def json21(datasets: DataSets) -> Iterator[str]:
    return _write(datasets, "2.1.0")
