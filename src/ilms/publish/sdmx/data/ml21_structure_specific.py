"""SDMX-ML 2.1 structure-specific data and structure-specific time-series data."""
from __future__ import annotations

from typing import Iterator

from . import Message, register
from .structure_specific import body
from .xmlparts import PROLOG, XSI, data_set_attributes, header, ns, ss_prefixes

STRUCTURE_SPECIFIC = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
STRUCTURE_SPECIFIC_TS = "application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1"


def _write(message: Message, root: str, dataset_type: str) -> Iterator[str]:
    namespaces, decls = ss_prefixes(message.layouts)
    yield PROLOG
    yield (f'<message:{root} xmlns:message="{ns("2.1", "message")}" '
           f'xmlns:ss="{ns("2.1", "data/structurespecific")}"{decls} '
           f'xmlns:common="{ns("2.1", "common")}" xmlns:xsi="{XSI}">\n')
    yield header(message.layouts, "2.1", namespaces=namespaces)
    for ds in message.datasets:
        yield (f'<message:DataSet ss:dataScope="DataStructure" xsi:type="ns{message.position(ds.layout) + 1}:'
               f'{dataset_type}" ss:structureRef="{ds.layout.structure_id}"{data_set_attributes(ds, "ss:")}>\n')
        yield from body(ds.layout, ds.observations)
        yield "</message:DataSet>\n"
    yield f"</message:{root}>\n"


@register(STRUCTURE_SPECIFIC)
def structure_specific(message: Message) -> Iterator[str]:
    return _write(message, "StructureSpecificData", "DataSetType")


@register(STRUCTURE_SPECIFIC_TS, time_series_only=True)
def structure_specific_time_series(message: Message) -> Iterator[str]:
    return _write(message, "StructureSpecificTimeSeriesData", "TimeSeriesDataSetType")
