"""The structure-specific XML schema of a table's DSD (what the REST ``/schema`` query returns).

SDMX-ML structure-specific data messages name their data set type ``xsi:type="ns1:DataSetType"``
in a namespace of the DSD and the observation dimension
(``urn:...DataStructure=ILMS:DSD_ILMS_T05(1.0):ObsLevelDim:TIME_PERIOD``); this module writes
that namespace's XSD, derived from ``structure()``: dimensions as required XML attributes
enumerated by their codelists (``SOURCE`` is open: an id), the time period, ``OBS_VALUE`` as a
double, the attributes as optional XML attributes. SDMX-ML 2.1 (with the time-series types)
and 3.0/3.1.
"""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ...tables import TIME_DIMENSION, Table, structure
from .artefacts import ATTRIBUTES, MEASURE, extra_codelists
from .data.layout import Layout
from .data.options import ALL_DIMENSIONS, DataOptions
from .data.xmlparts import ns, ss_namespace

XS = "http://www.w3.org/2001/XMLSchema"


def _enumerations(table: Table) -> dict[str, list[str]]:
    """Codelist id -> codes, for every enumerated component of the table."""
    out = {}
    for d in table.dimensions:
        if not d.codelist.open:
            out[d.codelist.id] = [c.id for c in d.codelist.codes]
    extra = {c.id: [i.id for i in c.items] for c in extra_codelists(structure().agency)}
    for a in ATTRIBUTES:
        if a.codelist:
            cl = structure().codelists.get(a.codelist)
            out[a.codelist] = [c.id for c in cl.codes] if cl else extra[a.codelist]
    return out


def _type_of_dimension(table: Table, dim: str) -> str:
    cl = table.dimension(dim).codelist
    return "common:IDType" if cl.open else f"{cl.id}.Type"


def _attribute_decls(table: Table) -> str:
    out = []
    for a in ATTRIBUTES:
        t = f"{a.codelist}.Type" if a.codelist else ("xs:integer" if a.dtype.name == "INTEGER" else "xs:string")
        out.append(f'<xs:attribute name="{a.id}" type="{t}" use="optional"/>')
    return "".join(out)


def _dims(table: Table, dims) -> str:
    return "".join(f'<xs:attribute name="{d}" type="{_type_of_dimension(table, d)}" use="required"/>'
                   for d in dims)


def xsd(table: Table, version: str = "2.1", dimension_at_observation: str = TIME_DIMENSION,
        schema_location: str = "") -> str:
    """The XSD text; ``schema_location`` is the folder (URL or path, with trailing ``/``) of the SDMX XSDs."""
    layout = Layout(table, DataOptions(dimension_at_observation=dimension_at_observation))
    target = ss_namespace(layout)
    common, dsd = ns(version, "common"), ns(version, "data/structurespecific")
    v21 = version == "2.1"
    flat = dimension_at_observation == ALL_DIMENSIONS
    obs_value = f'<xs:attribute name="{MEASURE}" type="xs:double" use="optional"/>'
    annotations = '<xs:element ref="common:Annotations" minOccurs="0"/>'
    provider = '<xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" minOccurs="0"/>'
    many = '' if v21 else ' maxOccurs="unbounded"'
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<xs:schema xmlns:xs="{XS}" xmlns="{target}" targetNamespace={quoteattr(target)} '
        f'xmlns:common="{common}" xmlns:dsd="{dsd}" elementFormDefault="unqualified" attributeFormDefault="unqualified">',
        f'<xs:import namespace="{common}" schemaLocation="{schema_location}SDMXCommon.xsd"/>',
        f'<xs:import namespace="{dsd}" schemaLocation="{schema_location}SDMXDataStructureSpecific.xsd"/>',
    ]
    for cl_id, codes in _enumerations(table).items():
        enum = "".join(f"<xs:enumeration value={quoteattr(c)}/>" for c in codes)
        parts.append(f'<xs:simpleType name="{cl_id}.Type"><xs:restriction base="xs:string">{enum}</xs:restriction></xs:simpleType>')
    child = "Obs" if flat else "Series"
    once_many = ' maxOccurs="unbounded"' if v21 else ""
    parts.append(
        f'<xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="dsd:DataSetType"><xs:sequence>'
        f'{annotations}{provider}<xs:choice minOccurs="0"{many}>'
        f'<xs:element name="{child}" type="{child}Type" form="unqualified"{once_many}/>'
        f'</xs:choice></xs:sequence></xs:restriction></xs:complexContent></xs:complexType>')
    if flat:
        parts.append(
            f'<xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="dsd:ObsType"><xs:sequence>{annotations}</xs:sequence>'
            f'<xs:attribute name="type" type="common:IDType" use="prohibited"/>'
            f'{_dims(table, table.key_order)}'
            f'<xs:attribute name="{TIME_DIMENSION}" type="common:ObservationalTimePeriodType" use="required"/>'
            f'{obs_value}{_attribute_decls(table)}</xs:restriction></xs:complexContent></xs:complexType>')
    else:
        dao = dimension_at_observation
        time_series = dao == TIME_DIMENSION
        kinds = [("SeriesType", "ObsType")] + ([("TimeSeriesType", "TimeSeriesObsType")] if v21 and time_series else [])
        series_dims = [d for d in table.key_order if d != dao]
        time_on_series = "prohibited" if time_series else "required"
        at_obs = (f'<xs:attribute name="{TIME_DIMENSION}" type="common:ObservationalTimePeriodType" use="required"/>'
                  if time_series else _dims(table, [dao]))
        for series_t, obs_t in kinds:
            parts.append(
                f'<xs:complexType name="{series_t}"><xs:complexContent><xs:restriction base="dsd:{series_t}"><xs:sequence>'
                f'{annotations}<xs:element name="Obs" type="{obs_t}" form="unqualified" minOccurs="0" maxOccurs="unbounded"/>'
                f'</xs:sequence>{_dims(table, series_dims)}'
                f'<xs:attribute name="{TIME_DIMENSION}" type="common:ObservationalTimePeriodType" use="{time_on_series}"/>'
                f'</xs:restriction></xs:complexContent></xs:complexType>')
            parts.append(
                f'<xs:complexType name="{obs_t}"><xs:complexContent><xs:restriction base="dsd:{obs_t}"><xs:sequence>{annotations}</xs:sequence>'
                f'<xs:attribute name="type" type="common:IDType" use="prohibited"/>'
                f'{at_obs}{obs_value}{_attribute_decls(table)}</xs:restriction></xs:complexContent></xs:complexType>')
        if v21 and time_series:
            parts.append(
                f'<xs:complexType name="TimeSeriesDataSetType"><xs:complexContent><xs:restriction base="dsd:TimeSeriesDataSetType"><xs:sequence>'
                f'{annotations}{provider}<xs:choice minOccurs="0">'
                f'<xs:element name="Series" type="TimeSeriesType" form="unqualified" maxOccurs="unbounded"/>'
                f'</xs:choice></xs:sequence></xs:restriction></xs:complexContent></xs:complexType>')
    parts.append("</xs:schema>\n")
    return "".join(parts)
