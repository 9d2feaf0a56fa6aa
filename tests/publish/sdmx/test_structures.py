"""SDMX structures: derived from the declarations, valid against the official schemas, read back
by pysdmx and sdmx1, and selected as the REST standard defines ``references`` and ``detail``."""
from __future__ import annotations

import contextlib
import io
from collections import Counter

import pytest
import sdmx
from lxml import etree
from pysdmx.io import read_sdmx

from ilms.publish.sdmx import structures as st
from ilms.publish.sdmx.artefacts import ATTRIBUTES, CATEGORY_SCHEME
from ilms.store import sources
from ilms.tables import TIME_DIMENSION, structure

from .conftest import assert_valid_json, assert_valid_xml

XML = {st.STRUCTURE_21: "2.1", st.STRUCTURE_30: "3.0", st.STRUCTURE_31: "3.1"}
JSON = {st.STRUCTURE_JSON_20: "2.0.0", st.STRUCTURE_JSON_21: "2.1.0"}
# the 17 tables, and the indicators' dataflow (COMPUTED_DATAFLOWS: its own concept scheme, DSD and the
# codelists CL_ILMS_INDICATOR, CL_ILMS_AREA, CL_ILMS_BREAKDOWN; it shares CL_BASIS and CL_SEX)
COMPUTED_FLOWS = {"DF_ILMS_INDICATORS"}
EVERY_TYPE = {"AgencyScheme": 1, "CategoryScheme": 1, "Categorisation": 17, "ConceptScheme": 2,
              "Codelist": len(structure().codelists) + 2 + 3, "Hierarchy": len(structure().hierarchies),
              "DataStructureDefinition": 17 + 1, "Dataflow": 17 + 1}


@pytest.fixture(scope="module")
def arts():
    return st.artefacts()


def quiet_sdmx1(payload: bytes, **kw):
    with contextlib.redirect_stdout(io.StringIO()):      # sdmx1 prints debugging output on some inputs
        return sdmx.read_sdmx(io.BytesIO(payload), **kw)


def test_one_dsd_and_dataflow_per_table_in_the_pinned_key_order(arts):
    s = structure()
    for table in s.tables.values():
        dsd = arts["datastructure"][table.dsd_id]
        dims = [c.id for c in dsd.components.dimensions]
        assert dims == [*table.key_order, TIME_DIMENSION]
        assert [c.id for c in dsd.components.attributes] == [a.id for a in ATTRIBUTES]
        assert [c.id for c in dsd.components.measures] == ["OBS_VALUE"]
        flow = arts["dataflow"][table.id]
        assert flow.version == "1.0" and flow.agency == s.agency
        assert flow.structure.endswith(f"DataStructure={s.agency}:{table.dsd_id}(1.0)")
    assert set(arts["dataflow"]) == {f"DF_ILMS_T{n:02d}" for n in range(1, 18)} | COMPUTED_FLOWS
    # the wage table needs a currency, the others do not
    assert arts["datastructure"]["DSD_ILMS_T08"].components["CURRENCY"].required
    assert not arts["datastructure"]["DSD_ILMS_T05"].components["CURRENCY"].required


def test_categories_are_the_modules_and_every_dataflow_is_categorised(arts):
    cats = arts["categoryscheme"][CATEGORY_SCHEME]
    assert [c.id for c in cats.items] == list(structure().modules)
    targets = Counter(c.target.rsplit(".", 1)[1] for c in arts["categorisation"].values())
    assert targets == Counter(t.module for t in structure().tables.values())


def test_concepts_cover_every_component(arts):
    concepts = {c.id for c in arts["conceptscheme"]["CS_ILMS"].items}
    assert {"TIME_PERIOD", "OBS_VALUE", "OBS_CONF", "COMMENT", *structure().dimensions} <= concepts


def test_cl_source_comes_from_the_source_catalogue(sqlite_engine):
    assert len(st.artefacts()["codelist"]["CL_SOURCE"].items) == 0
    with sqlite_engine.begin() as conn:
        sources.upsert(conn, "BA_453", "THA", name="Labour Force Survey")
        codes = st.artefacts(conn)["codelist"]["CL_SOURCE"].items
    assert [(c.id, c.name) for c in codes] == [("BA_453", "Labour Force Survey")]


def test_agency_is_configurable(arts):
    other = st.artefacts(agency="ASEAN")
    assert other["dataflow"]["DF_ILMS_T01"].agency == "ASEAN"
    assert [a.id for a in other["agencyscheme"]["AGENCIES"].items] == ["ASEAN"]


@pytest.mark.parametrize("media_type", list(XML))
def test_every_artefact_in_sdmx_ml_is_valid_and_read_back_by_pysdmx(media_type, arts, message_schema, tmp_path):
    payload = st.structure_message("structure", None, media_type, arts=arts)
    assert_valid_xml(message_schema(XML[media_type]), payload)
    path = tmp_path / "s.xml"
    path.write_bytes(payload)
    got = Counter(type(o).__name__ for o in read_sdmx(str(path)).structures)
    assert got == EVERY_TYPE
    flows = {o.id: o for o in read_sdmx(str(path)).structures if type(o).__name__ == "DataStructureDefinition"}
    assert [c.id for c in flows["DSD_ILMS_T01"].components.dimensions] == [*structure().table(1).key_order, "TIME_PERIOD"]


@pytest.mark.parametrize("media_type", [st.STRUCTURE_21, st.STRUCTURE_30])
def test_sdmx1_reads_all_17_dataflows_and_dsds(media_type, arts):
    msg = quiet_sdmx1(st.structure_message("structure", None, media_type, arts=arts))
    assert len(msg.dataflow) == 17 + 1 and len(msg.structure) == 17 + 1    # the tables and DF_ILMS_INDICATORS
    for table in structure().tables.values():
        dsd = msg.structure[table.dsd_id]
        assert [d.id for d in dsd.dimensions] == [*table.key_order, "TIME_PERIOD"]
        assert [a.id for a in dsd.attributes] == [a.id for a in ATTRIBUTES]
        assert msg.dataflow[table.id].structure.id == table.dsd_id
    assert [c.id for c in msg.codelist["CL_SEX"]] == ["SEX_T", "SEX_M", "SEX_F", "SEX_O"]
    assert len(msg.categorisation) == 17


@pytest.mark.parametrize("media_type", list(JSON))
def test_sdmx_json_structures_are_valid_and_read_back_by_pysdmx(media_type, arts, json_schema, tmp_path):
    payload = st.structure_message("structure", None, media_type, arts=arts)
    doc = assert_valid_json(json_schema("structure", JSON[media_type]), payload)
    assert len(doc["data"]["dataflows"]) == 17 + 1
    path = tmp_path / "s.json"
    path.write_bytes(payload)
    got = Counter(type(o).__name__ for o in read_sdmx(str(path), validate=False).structures)
    assert got == EVERY_TYPE


def _ids(payload: bytes) -> set[str]:
    doc = etree.fromstring(payload)
    structures = doc.find("{*}Structures")
    return {f"{el.tag.split('}')[1]}:{el.get('id')}" for group in structures for el in group}


def test_references(arts):
    msg = lambda kind, ids, ref: _ids(st.structure_message(kind, ids, references=ref, arts=arts))  # noqa: E731
    assert msg("dataflow", ["DF_ILMS_T03"], "none") == {"Dataflow:DF_ILMS_T03"}
    assert msg("dataflow", ["DF_ILMS_T03"], "children") == {"Dataflow:DF_ILMS_T03", "DataStructure:DSD_ILMS_T03"}
    descendants = msg("dataflow", ["DF_ILMS_T03"], "descendants")
    assert {"Codelist:CL_PARTNER", "Codelist:CL_SOURCE", "Concepts:None"} - descendants == {"Concepts:None"}
    assert "ConceptScheme:CS_ILMS" in descendants and "Codelist:CL_OBS_CONF" in descendants
    assert "Categorisation:CAT_DF_ILMS_T03_A" not in descendants
    # parents of a codelist: every DSD using it and the hierarchies over it
    parents = msg("codelist", ["CL_SEX"], "parents")
    assert {p for p in parents if p.startswith("DataStructure")} == \
        {f"DataStructure:DSD_ILMS_T{n:02d}" for n in range(1, 18)} | {"DataStructure:DSD_ILMS_INDICATORS"}
    assert "HierarchicalCodelist:H_SEX" in parents and not any(p.startswith("Dataflow") for p in parents)
    # parents and siblings of the category scheme: the categorisations and the dataflows they categorise
    siblings = msg("categoryscheme", None, "parentsandsiblings")
    assert sum(p.startswith("Dataflow:") for p in siblings) == 17
    # a type: the codelists a dataflow uses (through its DSD); the dataflows using a codelist
    assert msg("dataflow", ["DF_ILMS_T08"], "codelist") >= {"Codelist:CL_CURRENCY", "Codelist:CL_MIG"}
    assert not any(x.startswith("DataStructure") for x in msg("dataflow", ["DF_ILMS_T08"], "codelist"))
    assert sum(x.startswith("Dataflow") for x in msg("codelist", ["CL_AGE"], "dataflow")) == 1
    # all = parents and siblings + descendants
    assert msg("dataflow", ["DF_ILMS_T03"], "all") >= descendants | {"Categorisation:CAT_DF_ILMS_T03_A", "CategoryScheme:CAT_ILMS_MODULES"}
    # v2 takes a list
    assert msg("dataflow", ["DF_ILMS_T03"], ["children", "parents"]) >= {"DataStructure:DSD_ILMS_T03", "Categorisation:CAT_DF_ILMS_T03_A"}


def test_detail_stubs_and_partial(arts, message_schema):
    payload = st.structure_message("dataflow", ["DF_ILMS_T01"], st.STRUCTURE_21, "referencestubs", "descendants", arts=arts)
    doc = assert_valid_xml(message_schema("2.1"), payload)
    flow = doc.find(".//{*}Dataflow")
    assert flow.get("isExternalReference") == "false"
    for cl in doc.iter("{*}Codelist"):
        assert cl.get("isExternalReference") == "true" and cl.find("{*}Code") is None
    payload = st.structure_message("structure", None, st.STRUCTURE_30, "allstubs", arts=arts)
    doc = assert_valid_xml(message_schema("3.0"), payload)
    assert doc.find(".//{*}DataStructureComponents") is None and doc.find(".//{*}Codelist/{*}Code") is None
    assert {el.get("isExternalReference") for el in doc.find("{*}Structures").iter() if el.get("agencyID")} == {"true"}
    # a hierarchy's codelist, cut to the codes the hierarchy uses
    payload = st.structure_message("hierarchicalcodelist", ["H_LMS"], st.STRUCTURE_21, "referencepartial", "children", arts=arts)
    doc = assert_valid_xml(message_schema("2.1"), payload)
    cl = doc.find(".//{*}Codelist")
    assert cl.get("id") == "CL_LMS" and cl.get("isPartial") == "true"
    assert {c.get("id") for c in cl.iter("{*}Code")} == {"LMS_STATUS_TOTAL", "LMS_STATUS_LF", "LMS_STATUS_EIP",
                                                         "LMS_STATUS_EMP", "LMS_STATUS_UNE"}


def test_hierarchies_follow_the_declared_sums(arts):
    h = arts["hierarchy"]["H_LMS"]
    assert [c.id for c in h.codes] == ["LMS_STATUS_TOTAL"]
    assert [c.id for c in h.codes[0].codes] == ["LMS_STATUS_LF", "LMS_STATUS_EIP"]
    assert [c.id for c in h.codes[0].codes[0].codes] == ["LMS_STATUS_EMP", "LMS_STATUS_UNE"]
    partner = arts["hierarchy"]["H_PARTNER"]      # TOTAL = every other partner code
    assert len(partner.codes[0].codes) == len(structure().codelists["CL_PARTNER"]) - 1


def test_filters_and_errors(arts):
    assert _ids(st.structure_message("dataflow", ["DF_ILMS_T01"], agency="ILMS", version="1.0", arts=arts))
    with pytest.raises(st.NoResults):
        st.structure_message("dataflow", ["DF_ILMS_T01"], agency="OTHER", arts=arts)
    with pytest.raises(st.NoResults):
        st.structure_message("dataflow", ["DF_NOPE"], arts=arts)
    with pytest.raises(st.NotImplementedQuery):
        st.structure_message("structureset", None, arts=arts)
    with pytest.raises(st.NotImplementedQuery):
        st.structure_message("dataflow", None, "application/vnd.sdmx.structure+json;version=9.0.0", arts=arts)
    with pytest.raises(st.UnsupportedQuery):
        st.structure_message("dataflow", None, detail="most", arts=arts)
    assert st.default_format("v1") == st.STRUCTURE_21 and st.default_format("v2") == st.STRUCTURE_JSON_21
