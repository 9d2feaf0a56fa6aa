"""SDMX-JSON 1.0 data (``meta``, ``data.dataSets``, ``data.structure``), streamed."""
from __future__ import annotations

from typing import Iterator

from ....tables import TIME_DIMENSION
from ..artefacts import MEASURE
from . import Message, register
from .json_common import Indexes, data_set_body, data_set_fields, dimension_values, js
from .layout import Layout
from .xmlparts import RELEASE_ANNOTATION, release_text

DATA_JSON_10 = "application/vnd.sdmx.data+json;version=1.0.0"


def meta(layout: Layout, schema: str | None = None) -> dict:
    h = layout.options.header
    out = {"id": h.id, "test": h.test, "prepared": h.prepared_text,
           "sender": {"id": h.sender or layout.agency}}
    if schema:
        out = {"schema": schema, **out, "contentLanguages": ["en"]}
    if h.release:
        out["name"] = release_text(layout)
    return out


def release_annotations(layout: Layout) -> list[dict]:
    h = layout.options.header
    if not h.release:
        return []
    note = {"id": RELEASE_ANNOTATION, "type": RELEASE_ANNOTATION, "text": release_text(layout)}
    return [note]


def links(layout: Layout) -> list[dict]:
    return [{"rel": "dataflow", "urn": layout.flow_urn}, {"rel": "datastructure", "urn": layout.dsd_urn}]


def attribute_values(layout: Layout, attr: str, values: list[str]) -> list[dict]:
    if layout.is_coded(attr):
        return [{"id": v, "name": layout.attribute_name(attr, v)} for v in values]
    return [{"name": v} for v in values]


@register(DATA_JSON_10, single=True)
def json10(message: Message) -> Iterator[str]:
    [layout] = message.layouts
    idx = Indexes(layout)
    yield '{"meta":' + js(meta(layout)) + ',"data":{"dataSets":['
    for n, ds in enumerate(message.datasets):
        yield ("," if n else "") + "{" + data_set_fields(ds) + '"links":' + js(links(layout))
        if layout.options.header.release:
            yield ',"annotations":[0]'
        yield ","
        yield from data_set_body(layout, idx, ds.observations)
        yield "}"
    yield "],"
    dims = [{"id": d, "name": layout.component_name(d), "keyPosition": i,
             "values": dimension_values(layout, d, idx.dims[d])}
            for i, d in enumerate(layout.dimensions)]
    time = {"id": TIME_DIMENSION, "name": layout.component_name(TIME_DIMENSION),
            "keyPosition": len(layout.dimensions), "roles": ["TIME_PERIOD"],
            "values": dimension_values(layout, TIME_DIMENSION, idx.dims[TIME_DIMENSION])}
    by_id = {d["id"]: d for d in dims + [time]}
    dimensions = ({"dataSet": [], "series": [], "observation": dims + [time]} if layout.flat
                  else {"dataSet": [], "series": [by_id[d] for d in layout.series_dimensions],
                        "observation": [by_id[layout.dimension_at_observation]]})
    attrs = [{"id": a, "name": layout.component_name(a), "relationship": {"primaryMeasure": MEASURE},
              "values": attribute_values(layout, a, idx.attrs[a].values())} for a in layout.attributes]
    structure = {"links": links(layout), "name": layout.table.title, "dimensions": dimensions,
                 "attributes": {"dataSet": [], "series": [], "observation": attrs},
                 "annotations": release_annotations(layout)}
    yield '"structure":' + js(structure) + "}}\n"
