"""The indicators as an SDMX dataflow of their own: DF_ILMS_INDICATORS, structures built with pysdmx
(like ``ilms.publish.sdmx.artefacts``) and data as SDMX-CSV 2.0.0.

Key: INDICATOR (CL_ILMS_INDICATOR, from ``indicators.yaml``), REF_AREA (CL_ILMS_AREA: the
countries and the regions), SOURCE (the source catalogue code; ``_Z`` for a regional value),
BASIS, SEX, BREAKDOWN (the code of the indicator's other breakdown dimension — MIG, ECO, OCU or
STE — or ``_Z``), TIME_PERIOD. Attributes: UNIT_MEASURE, FLAGS (the observation statuses of the
cells used), COVERAGE and MISSING (regional values: the countries that went in and the members
missing), TERMS (the term values).
"""
from __future__ import annotations

import csv
import io
from typing import IO, Iterable, Iterator

from pysdmx.io.format import Format
from pysdmx.io.writer import write_sdmx
from pysdmx.model import (Code, Codelist, Component, Components, Concept, ConceptScheme, Dataflow,
                          DataStructureDefinition, DataType, ItemReference, Role)
from pysdmx.model.message import Header

from ..tables import structure
from .declarations import declarations
from .indicators import IndicatorValue
from .regional import RegionalValue

VERSION = "1.0"
DATAFLOW = "DF_ILMS_INDICATORS"
DSD = "DSD_ILMS_INDICATORS"
CONCEPTS = "CS_ILMS_INDICATORS"
NOT_APPLICABLE = "_Z"
DIMENSIONS = ("INDICATOR", "REF_AREA", "SOURCE", "BASIS", "SEX", "BREAKDOWN")
ATTRIBUTES = ("UNIT_MEASURE", "FLAGS", "COVERAGE", "MISSING", "TERMS")
CONCEPT_NAMES = {"INDICATOR": "Indicator", "REF_AREA": "Reference area (country or region)",
                 "SOURCE": "Data source", "BASIS": "Migrant basis", "SEX": "Sex",
                 "BREAKDOWN": "Breakdown (migrant status, economic activity, occupation or status in employment)",
                 "TIME_PERIOD": "Time period", "OBS_VALUE": "Observation value", "UNIT_MEASURE": "Unit of measure",
                 "FLAGS": "Observation statuses (CL_OBS_STATUS) of the cells used, space-separated",
                 "COVERAGE": "Countries in a regional value", "MISSING": "Members missing from a regional value",
                 "TERMS": "Term values the indicator was computed from"}
BREAKDOWN_DIMENSIONS = ("MIG", "ECO", "OCU", "STE")


def _codelists(agency: str) -> list[Codelist]:
    s = structure()
    decl = declarations()
    indicators = Codelist(id="CL_ILMS_INDICATOR", name="ILMS indicators", agency=agency, version=VERSION,
                          is_final=True, items=[Code(id=i.id, name=i.name) for i in decl.indicators.values()])
    areas = [Code(id=c.id, name=c.name) for c in s.codelists["CL_COUNTRY"]]
    areas += [Code(id=r.id, name=r.name) for r in s.regions.values() if r.id not in s.codelists["CL_COUNTRY"]]
    area = Codelist(id="CL_ILMS_AREA", name="Countries and regions", agency=agency, version=VERSION,
                    is_final=True, items=areas)
    breakdown = [Code(id=NOT_APPLICABLE, name="Not applicable")]
    for dim in BREAKDOWN_DIMENSIONS:
        breakdown += [Code(id=c.id, name=c.name) for c in s.dimensions[dim].codelist]
    out = [indicators, area,
           Codelist(id="CL_ILMS_BREAKDOWN", name="Breakdowns of the indicators", agency=agency, version=VERSION,
                    is_final=True, items=breakdown)]
    for cl_id in ("CL_BASIS", "CL_SEX"):
        cl = s.codelists[cl_id]
        out.append(Codelist(id=cl.id, name=cl.name, agency=agency, version=VERSION, is_final=True,
                            items=[Code(id=c.id, name=c.name) for c in cl]))
    return out


def _ref(agency: str, concept: str) -> ItemReference:
    return ItemReference(sdmx_type="Concept", agency=agency, id=CONCEPTS, version=VERSION, item_id=concept)


def _enum(agency: str, cl_id: str) -> Codelist:
    return Codelist(id=cl_id, name=cl_id, agency=agency, version=VERSION)


def artefacts(agency: str | None = None) -> list:
    """Codelists, concept scheme, DSD and dataflow of the indicators (pysdmx objects)."""
    agency = agency or structure().agency
    codes = {"INDICATOR": "CL_ILMS_INDICATOR", "REF_AREA": "CL_ILMS_AREA", "BASIS": "CL_BASIS", "SEX": "CL_SEX",
             "BREAKDOWN": "CL_ILMS_BREAKDOWN"}
    comps = []
    for dim in DIMENSIONS:
        comps.append(Component(id=dim, required=True, role=Role.DIMENSION, concept=_ref(agency, dim),
                               local_codes=_enum(agency, codes[dim]) if dim in codes else None,
                               local_dtype=None if dim in codes else DataType.STRING))
    comps.append(Component(id="TIME_PERIOD", required=True, role=Role.DIMENSION, concept=_ref(agency, "TIME_PERIOD"),
                           local_dtype=DataType.STD_TIME_PERIOD))
    comps.append(Component(id="OBS_VALUE", required=False, role=Role.MEASURE, concept=_ref(agency, "OBS_VALUE"),
                           local_dtype=DataType.DOUBLE))
    for attr in ATTRIBUTES:
        comps.append(Component(id=attr, required=attr == "UNIT_MEASURE", role=Role.ATTRIBUTE,
                               concept=_ref(agency, attr), attachment_level="O", local_dtype=DataType.STRING))
    concepts = ConceptScheme(id=CONCEPTS, name="ILMS indicator concepts", agency=agency, version=VERSION,
                             is_final=True, items=[Concept(id=k, name=v) for k, v in CONCEPT_NAMES.items()])
    dsd = DataStructureDefinition(id=DSD, name="ILMS indicators", agency=agency, version=VERSION, is_final=True,
                                  components=Components(comps))
    flow = Dataflow(id=DATAFLOW, name="Indicators computed from the ILMS tables", agency=agency, version=VERSION,
                    is_final=True,
                    structure=f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={agency}:{DSD}({VERSION})")
    return [*_codelists(agency), concepts, dsd, flow]


def structure_message(agency: str | None = None, *, prepared=None, message_id: str = "ILMS_INDICATORS") -> str:
    """SDMX-ML 2.1 structure message of the indicators' dataflow and what it uses."""
    agency = agency or structure().agency
    kwargs = {"sender": agency, "id": message_id}
    if prepared is not None:
        kwargs["prepared"] = prepared
    return write_sdmx(artefacts(agency), Format.STRUCTURE_SDMX_ML_2_1, header=Header(**kwargs), prettyprint=True)


def _breakdown(key) -> str:
    other = [c for d, c in key if d != "SEX"]
    return other[0] if other else NOT_APPLICABLE


def _sex(key) -> str:
    return dict(key).get("SEX", "SEX_T")


def _terms(terms) -> str:
    return ";".join(f"{k}={v:g}" for k, v in terms)


#: the columns of an observation: the key, the time, the value and the attributes
COLUMNS = (*DIMENSIONS, "TIME_PERIOD", "OBS_VALUE", *ATTRIBUTES)


def observations(values: Iterable[IndicatorValue], regional: Iterable[RegionalValue]) -> Iterator[dict[str, str]]:
    """One row (``COLUMNS`` -> text, ``""`` when empty) per country value, then per regional value."""
    unit = {i.id: i.unit.unit_measure for i in declarations().indicators.values()}
    for v in values:
        yield dict(zip(COLUMNS, (v.indicator, v.ref_area, v.source, v.basis, _sex(v.key), _breakdown(v.key), v.time,
                                 "" if v.value is None else repr(v.value), unit[v.indicator], " ".join(v.flags),
                                 "", "", _terms(v.terms))))
    for r in regional:
        yield dict(zip(COLUMNS, (r.indicator, r.region, NOT_APPLICABLE, r.basis, _sex(r.key), _breakdown(r.key),
                                 r.time, "" if r.value is None else repr(r.value), unit[r.indicator],
                                 " ".join(r.flags), " ".join(r.coverage.countries), " ".join(r.coverage.missing),
                                 _terms(r.terms))))


def csv_lines(rows: Iterable[dict[str, str]], agency: str | None = None, version: str = "2.0.0") -> Iterator[str]:
    """SDMX-CSV of DF_ILMS_INDICATORS (``version`` 2.0.0, or 1.0.0: one DATAFLOW column, no
    action), a line at a time (the header with the first)."""
    agency = agency or structure().agency
    flow = f"{agency}:{DATAFLOW}({VERSION})"
    lead, head = (["dataflow", flow, "I"], ["STRUCTURE", "STRUCTURE_ID", "ACTION"]) if version != "1.0.0" \
        else ([flow], ["DATAFLOW"])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*head, *COLUMNS])
    for row in rows:
        writer.writerow([*lead, *(row[c] for c in COLUMNS)])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def write_csv(out: IO[str], values: Iterable[IndicatorValue], regional: Iterable[RegionalValue],
              agency: str | None = None) -> int:
    """SDMX-CSV 2.0.0 of DF_ILMS_INDICATORS; returns the number of observations."""
    n = 0

    def counted():
        nonlocal n
        for row in observations(values, regional):
            n += 1
            yield row
    for line in csv_lines(counted(), agency):
        out.write(line)
    return n


def csv_text(values, regional, agency: str | None = None) -> str:
    buf = io.StringIO()
    write_csv(buf, values, regional, agency)
    return buf.getvalue()
