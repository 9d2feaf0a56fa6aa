"""DF_ILMS_INDICATORS as SDMX-ML 2.1 structure-specific data (flat: ``AllDimensions``), streamed, and
the structure-specific XSD of its DSD (what a validator needs next to the official SDMX schemas).

Rows are ``ilms.analysis.sdmx.observations`` (text by column); an empty value or attribute is left
out of its ``Obs`` element. The release name and checksum travel in the header's ``Source`` text,
as in the tables' data messages (``ilms.publish.sdmx.data.xmlparts``).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from ..publish.sdmx.data.xmlparts import PROLOG, XSI, attr, ns
from ..tables import structure
from .sdmx import ATTRIBUTES, COLUMNS, DIMENSIONS, DSD, VERSION, _codelists

STRUCTURE_SPECIFIC = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
DIMENSION_AT_OBSERVATION = "AllDimensions"
CODES = {"INDICATOR": "CL_ILMS_INDICATOR", "REF_AREA": "CL_ILMS_AREA", "BASIS": "CL_BASIS", "SEX": "CL_SEX",
         "BREAKDOWN": "CL_ILMS_BREAKDOWN"}


def namespace(agency: str) -> str:
    return (f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={agency}:{DSD}({VERSION})"
            f":ObsLevelDim:{DIMENSION_AT_OBSERVATION}")


def _header(agency: str, message_id: str, prepared: dt.datetime, source: str | None) -> str:
    out = ["<message:Header>", f"<message:ID>{escape(message_id)}</message:ID>", "<message:Test>false</message:Test>",
           f"<message:Prepared>{prepared.strftime('%Y-%m-%dT%H:%M:%S')}Z</message:Prepared>",
           f'<message:Sender id="{attr(agency)}"/>',
           f'<message:Structure structureID="{DSD}" namespace="{attr(namespace(agency))}" '
           f'dimensionAtObservation="{DIMENSION_AT_OBSERVATION}">',
           f'<common:Structure><Ref agencyID="{attr(agency)}" id="{DSD}" version="{VERSION}"/></common:Structure>',
           "</message:Structure>"]
    if source:
        out.append(f'<message:Source xml:lang="en">{escape(source)}</message:Source>')
    out.append("</message:Header>\n")
    return "".join(out)


def write(rows: Iterable[dict[str, str]], *, agency: str | None = None, message_id: str = "ILMS_INDICATORS",
          prepared: dt.datetime | None = None, source: str | None = None) -> Iterator[str]:
    """The message in pieces: prolog, header, one ``Obs`` line per row, closing tags."""
    agency = agency or structure().agency
    prepared = prepared or dt.datetime.now(dt.timezone.utc)
    yield PROLOG
    yield (f'<message:StructureSpecificData xmlns:message="{ns("2.1", "message")}" '
           f'xmlns:ss="{ns("2.1", "data/structurespecific")}" xmlns:ns1="{attr(namespace(agency))}" '
           f'xmlns:common="{ns("2.1", "common")}" xmlns:xsi="{XSI}">\n')
    yield _header(agency, message_id, prepared, source)
    yield f'<message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType" ss:structureRef="{DSD}">\n'
    for row in rows:
        yield "<Obs " + " ".join(f'{c}="{attr(row[c])}"' for c in COLUMNS if row[c] != "") + "/>\n"
    yield "</message:DataSet>\n</message:StructureSpecificData>\n"


def xsd(agency: str | None = None, schema_location: str = "") -> str:
    """The structure-specific XSD of DSD_ILMS_INDICATORS (SDMX-ML 2.1, ``AllDimensions``)."""
    agency = agency or structure().agency
    target = namespace(agency)
    common, dsd = ns("2.1", "common"), ns("2.1", "data/structurespecific")
    annotations = '<xs:element ref="common:Annotations" minOccurs="0"/>'
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns={quoteattr(target)} '
             f'targetNamespace={quoteattr(target)} xmlns:common="{common}" xmlns:dsd="{dsd}" '
             'elementFormDefault="unqualified" attributeFormDefault="unqualified">',
             f'<xs:import namespace="{common}" schemaLocation="{schema_location}SDMXCommon.xsd"/>',
             f'<xs:import namespace="{dsd}" schemaLocation="{schema_location}SDMXDataStructureSpecific.xsd"/>']
    for cl in _codelists(agency):
        enum = "".join(f"<xs:enumeration value={quoteattr(c.id)}/>" for c in cl.items)
        parts.append(f'<xs:simpleType name="{cl.id}.Type"><xs:restriction base="xs:string">{enum}'
                     '</xs:restriction></xs:simpleType>')
    parts.append(
        '<xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="dsd:DataSetType"><xs:sequence>'
        f'{annotations}<xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" '
        'minOccurs="0"/><xs:choice minOccurs="0"><xs:element name="Obs" type="ObsType" form="unqualified" '
        'maxOccurs="unbounded"/></xs:choice></xs:sequence></xs:restriction></xs:complexContent></xs:complexType>')
    dims = "".join(f'<xs:attribute name="{d}" type="{CODES[d] + ".Type" if d in CODES else "common:IDType"}" '
                   'use="required"/>' for d in DIMENSIONS)
    attrs = "".join(f'<xs:attribute name="{a}" type="xs:string" use="optional"/>' for a in ATTRIBUTES)
    parts.append(
        '<xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="dsd:ObsType"><xs:sequence>'
        f'{annotations}</xs:sequence><xs:attribute name="type" type="common:IDType" use="prohibited"/>{dims}'
        '<xs:attribute name="TIME_PERIOD" type="common:ObservationalTimePeriodType" use="required"/>'
        f'<xs:attribute name="OBS_VALUE" type="xs:double" use="optional"/>{attrs}'
        '</xs:restriction></xs:complexContent></xs:complexType>')
    parts.append("</xs:schema>\n")
    return "".join(parts)
