"""SDMX-ML 3.0 and 3.1 structure-specific data (the only data flavour of SDMX 3)."""
from __future__ import annotations

from typing import Iterator

from . import Message, register
from .structure_specific import body
from .xmlparts import PROLOG, XSI, data_set_attributes, header, ns, ss_prefixes

DATA_30 = "application/vnd.sdmx.data+xml;version=3.0.0"
DATA_31 = "application/vnd.sdmx.data+xml;version=3.1.0"


def _write(message: Message, version: str) -> Iterator[str]:
    namespaces, decls = ss_prefixes(message.layouts)
    yield PROLOG
    yield (f'<message:StructureSpecificData xmlns:message="{ns(version, "message")}" '
           f'xmlns:ss="{ns(version, "data/structurespecific")}"{decls} '
           f'xmlns:common="{ns(version, "common")}" xmlns:xsi="{XSI}">\n')
    yield header(message.layouts, version, namespaces=namespaces)
    for ds in message.datasets:
        yield (f'<message:DataSet xsi:type="ns{message.position(ds.layout) + 1}:DataSetType" '
               f'ss:structureRef="{ds.layout.structure_id}"{data_set_attributes(ds, "ss:")}>\n')
        yield from body(ds.layout, ds.observations)
        yield "</message:DataSet>\n"
    yield "</message:StructureSpecificData>\n"


@register(DATA_30)
def data_30(message: Message) -> Iterator[str]:
    return _write(message, "3.0")


@register(DATA_31)
def data_31(message: Message) -> Iterator[str]:
    return _write(message, "3.1")
