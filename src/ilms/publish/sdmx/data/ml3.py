"""SDMX-ML 3.0 and 3.1 structure-specific data (the only data flavour of SDMX 3)."""
from __future__ import annotations

from typing import Iterable, Iterator

from ....observation import Observation
from . import register
from .layout import Layout
from .structure_specific import body
from .xmlparts import PROLOG, XSI, attr, header, ns, ss_namespace

DATA_30 = "application/vnd.sdmx.data+xml;version=3.0.0"
DATA_31 = "application/vnd.sdmx.data+xml;version=3.1.0"


def _write(layout: Layout, observations: Iterable[Observation], version: str) -> Iterator[str]:
    namespace = ss_namespace(layout)
    yield PROLOG
    yield (f'<message:StructureSpecificData xmlns:message="{ns(version, "message")}" '
           f'xmlns:ss="{ns(version, "data/structurespecific")}" xmlns:ns1="{attr(namespace)}" '
           f'xmlns:common="{ns(version, "common")}" xmlns:xsi="{XSI}">\n')
    yield header(layout, version, namespace=namespace)
    yield (f'<message:DataSet xsi:type="ns1:DataSetType" '
           f'ss:structureRef="{layout.structure_id}">\n')
    yield from body(layout, observations)
    yield "</message:DataSet>\n</message:StructureSpecificData>\n"


@register(DATA_30)
def data_30(layout: Layout, observations: Iterable[Observation]) -> Iterator[str]:
    return _write(layout, observations, "3.0")


@register(DATA_31)
def data_31(layout: Layout, observations: Iterable[Observation]) -> Iterator[str]:
    return _write(layout, observations, "3.1")
