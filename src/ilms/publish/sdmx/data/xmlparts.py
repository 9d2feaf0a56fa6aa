"""Pieces shared by the SDMX-ML data writers: namespaces, escaping, header.

The release name and checksum travel in the header's ``Source`` text (schema-valid, read by sdmx1
and pysdmx as ``header.source``), never as an annotation of an SDMX-ML data set: sdmx1 2.28 never
collects an ``Annotation`` inside a 2.1 ``DataSet`` and fails with "1 uncollected items".
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from typing import Sequence

from .layout import Layout

SDMX_ML = "http://www.sdmx.org/resources/sdmxml/schemas/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'
RELEASE_ANNOTATION = "ILMS_RELEASE"


def ns(version: str, part: str) -> str:
    """Namespace of an SDMX-ML part (``message``, ``common``, ``data/generic``, ...) for 2.1/3.0/3.1."""
    return f"{SDMX_ML}v{version.replace('.', '_')}/{part}"


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def text(value: str) -> str:
    return escape(value)


def ss_namespace(layout: Layout) -> str:
    """The structure-specific namespace of the DSD and the observation dimension."""
    return f"{layout.dsd_urn}:ObsLevelDim:{layout.dimension_at_observation}"


def structure_ref(layout: Layout, version: str) -> str:
    if version == "2.1":
        return (f'<common:Structure><Ref agencyID="{attr(layout.agency)}" id="{layout.table.dsd_id}" '
                f'version="1.0"/></common:Structure>')
    return f"<common:Structure>{layout.dsd_urn}</common:Structure>"


def header(layouts: Sequence[Layout], version: str, *, namespaces: Sequence[str] | None = None) -> str:
    """The message header: one ``Structure`` per data set (its DSD, dimension at observation and,
    structure-specific, namespace)."""
    first = layouts[0]
    h = first.options.header
    sender = h.sender or first.agency
    out = [
        "<message:Header>",
        f"<message:ID>{text(h.id)}</message:ID>",
        f"<message:Test>{'true' if h.test else 'false'}</message:Test>",
        f"<message:Prepared>{h.prepared_text}</message:Prepared>",
        f'<message:Sender id="{attr(sender)}"/>',
    ]
    for i, layout in enumerate(layouts):
        ns_attr = f' namespace="{attr(namespaces[i])}"' if namespaces else ""
        out += [f'<message:Structure structureID="{layout.structure_id}"{ns_attr} '
                f'dimensionAtObservation="{layout.dimension_at_observation}">',
                structure_ref(layout, version),
                "</message:Structure>"]
    if h.release:
        out.append(f'<message:Source xml:lang="en">{text(release_text(first))}</message:Source>')
    out.append("</message:Header>\n")
    return "".join(out)


def ss_prefixes(layouts: Sequence[Layout]) -> tuple[list[str], str]:
    """Structure-specific data: the namespace of each data set and their declarations (ns1, ns2, ...)."""
    namespaces = [ss_namespace(layout) for layout in layouts]
    decls = "".join(f' xmlns:ns{i + 1}="{attr(n)}"' for i, n in enumerate(namespaces))
    return namespaces, decls


def release_text(layout: Layout) -> str:
    h = layout.options.header
    return f"ILMS release {h.release}" + (f", SHA-256 {h.checksum}" if h.checksum else "")


def xml_datetime(value) -> str:
    text = value.isoformat() if value.tzinfo else value.isoformat() + "+00:00"
    return text.replace("+00:00", "Z")


def data_set_attributes(ds, prefix: str = "") -> str:
    """The action and validity of a data set as XML attributes (``ss:`` qualified in the
    structure-specific formats); nothing for a plain answer."""
    out = []
    if ds.action:
        out.append(f' {prefix}action="{ds.action}"')
    if ds.valid_from:
        out.append(f' {prefix}validFromDate="{xml_datetime(ds.valid_from)}"')
    if ds.valid_to:
        out.append(f' {prefix}validToDate="{xml_datetime(ds.valid_to)}"')
    return "".join(out)
