"""SDMX-ML 2.1 structure-specific data and structure-specific time-series data."""
from __future__ import annotations

from typing import Iterable, Iterator

from ....observation import Observation
from . import register
from .layout import Layout
from .structure_specific import body
from .xmlparts import PROLOG, XSI, attr, header, ns, ss_namespace

STRUCTURE_SPECIFIC = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
STRUCTURE_SPECIFIC_TS = "application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1"


def _write(layout: Layout, observations: Iterable[Observation], root: str, dataset_type: str) -> Iterator[str]:
    namespace = ss_namespace(layout)
    yield PROLOG
    yield (f'<message:{root} xmlns:message="{ns("2.1", "message")}" '
           f'xmlns:ss="{ns("2.1", "data/structurespecific")}" xmlns:ns1="{attr(namespace)}" '
           f'xmlns:common="{ns("2.1", "common")}" xmlns:xsi="{XSI}">\n')
    yield header(layout, "2.1", namespace=namespace)
    yield (f'<message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:{dataset_type}" '
           f'ss:structureRef="{layout.structure_id}">\n')
    yield from body(layout, observations)
    yield f"</message:DataSet>\n</message:{root}>\n"


@register(STRUCTURE_SPECIFIC)
def structure_specific(layout: Layout, observations: Iterable[Observation]) -> Iterator[str]:
    return _write(layout, observations, "StructureSpecificData", "DataSetType")


@register(STRUCTURE_SPECIFIC_TS, time_series_only=True)
def structure_specific_time_series(layout: Layout, observations: Iterable[Observation]) -> Iterator[str]:
    return _write(layout, observations, "StructureSpecificTimeSeriesData", "TimeSeriesDataSetType")
