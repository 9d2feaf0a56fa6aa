"""Item queries: every item scheme (and the hierarchies) cut to the items asked for, partial,
valid against the official schemas and read back by pysdmx and sdmx1."""
from __future__ import annotations

import contextlib
import io

import pytest
import sdmx
from pysdmx.io import read_sdmx

from ilms.publish.sdmx import structures as st
from ilms.publish.sdmx.artefacts import CATEGORY_SCHEME, CONCEPT_SCHEME
from ilms.tables import structure

from .conftest import assert_valid_json, assert_valid_xml

XML = {st.STRUCTURE_21: "2.1", st.STRUCTURE_30: "3.0", st.STRUCTURE_31: "3.1"}
JSON = {st.STRUCTURE_JSON_20: "2.0.0", st.STRUCTURE_JSON_21: "2.1.0"}
FIRST_MODULE = next(iter(structure().modules))
#: (REST type, artefact id, items asked for, what a reader finds: (pysdmx class, id) -> item ids)
CASES = [
    ("codelist", "CL_SEX", ["SEX_F", "SEX_M"], ("Codelist", "CL_SEX")),
    ("conceptscheme", CONCEPT_SCHEME, ["SEX", "OBS_VALUE"], ("ConceptScheme", CONCEPT_SCHEME)),
    ("categoryscheme", CATEGORY_SCHEME, [FIRST_MODULE], ("CategoryScheme", CATEGORY_SCHEME)),
    ("agencyscheme", "AGENCIES", [structure().agency], ("AgencyScheme", "AGENCIES")),
]


@pytest.fixture(scope="module")
def arts():
    return st.artefacts()


def _items_of(obj) -> list[str]:
    return [i.id for i in obj.items]


@pytest.mark.parametrize("media_type", list(XML))
@pytest.mark.parametrize("kind,ident,items,found", CASES)
def test_item_query_sdmx_ml(kind, ident, items, found, media_type, arts, message_schema):
    payload = st.structure_message(kind, [ident], media_type, items=items, arts=arts)
    doc = assert_valid_xml(message_schema(XML[media_type]), payload)
    [scheme] = [el for el in doc.iter() if el.get("id") == ident]
    assert scheme.get("isPartial") == "true"
    [obj] = [o for o in read_sdmx(payload.decode("utf-8")).structures if type(o).__name__ == found[0]]
    assert sorted(_items_of(obj)) == sorted(items)


@pytest.mark.parametrize("media_type", list(JSON))
@pytest.mark.parametrize("kind,ident,items,found", CASES)
def test_item_query_sdmx_json(kind, ident, items, found, media_type, arts, json_schema):
    payload = st.structure_message(kind, [ident], media_type, items=items, arts=arts)
    doc = assert_valid_json(json_schema("structure", JSON[media_type]), payload)
    [group] = doc["data"].values()
    [scheme] = group
    assert scheme["isPartial"] is True
    [obj] = [o for o in read_sdmx(payload.decode("utf-8"), validate=False).structures
             if type(o).__name__ == found[0]]
    assert sorted(_items_of(obj)) == sorted(items)


def test_item_query_read_by_sdmx1(arts):
    payload = st.structure_message("codelist", ["CL_SEX"], st.STRUCTURE_21, items=["SEX_F"], arts=arts)
    with contextlib.redirect_stdout(io.StringIO()):
        msg = sdmx.read_sdmx(io.BytesIO(payload))
    assert [c.id for c in msg.codelist["CL_SEX"]] == ["SEX_F"] and msg.codelist["CL_SEX"].is_partial


def test_hierarchy_items_keep_the_branch_to_them_and_their_subtree(arts, message_schema):
    payload = st.structure_message("hierarchicalcodelist", ["H_LMS"], st.STRUCTURE_21, items=["LMS_STATUS_LF"],
                                   arts=arts)
    doc = assert_valid_xml(message_schema("2.1"), payload)
    codes = [el.get("id") for el in doc.iter("{*}HierarchicalCode")]
    # the top code leading to it, the code asked for, its two children; not LMS_STATUS_EIP
    assert codes == ["LMS_STATUS_TOTAL", "LMS_STATUS_LF", "LMS_STATUS_EMP", "LMS_STATUS_UNE"]


def test_item_query_with_references_and_detail(arts, message_schema):
    payload = st.structure_message("codelist", ["CL_SEX"], st.STRUCTURE_21, references="parents",
                                   items=["SEX_T"], arts=arts)
    doc = assert_valid_xml(message_schema("2.1"), payload)
    assert sum(1 for _ in doc.iter("{*}DataStructure")) == 17 + 1       # the tables' and DSD_ILMS_INDICATORS
    assert [c.get("id") for c in doc.find(".//{*}Codelist").iter("{*}Code")] == ["SEX_T"]
    stub = st.structure_message("codelist", ["CL_SEX"], st.STRUCTURE_21, detail="allstubs", items=["SEX_T"], arts=arts)
    doc = assert_valid_xml(message_schema("2.1"), stub)
    assert doc.find(".//{*}Codelist").get("isExternalReference") == "true"


def test_item_query_errors(arts):
    with pytest.raises(st.NoResults):
        st.structure_message("codelist", ["CL_SEX"], items=["SEX_NOPE"], arts=arts)
    with pytest.raises(st.UnsupportedQuery):
        st.structure_message("dataflow", ["DF_ILMS_T01"], items=["X"], arts=arts)
    # every item scheme (type "*"): only the schemes holding the item, never dataflows
    payload = st.structure_message("*", None, items=["SEX_F"], arts=arts)
    ids = {o.id for o in read_sdmx(payload.decode("utf-8")).structures}
    assert ids == {"CL_SEX", "H_SEX"}      # the codelist and the hierarchy over it
