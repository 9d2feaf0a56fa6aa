"""SDMX-JSON 1.0 structure messages: valid against the official 1.0 JSON Schema, holding the same
artefacts as the 2.0.0 message (neither pysdmx nor sdmx1 reads SDMX-JSON 1.0 structures: both
refuse the flavour, so the content is checked here by hand)."""
from __future__ import annotations

import json

import pytest

from ilms.publish.sdmx import structures as st
from ilms.tables import structure

from .conftest import assert_valid_json


@pytest.fixture(scope="module")
def arts():
    return st.artefacts()


@pytest.mark.parametrize("detail", ["full", "allstubs", "referencepartial"])
def test_every_artefact_valid_against_the_official_1_0_schema(arts, json_schema, detail):
    doc = assert_valid_json(json_schema("structure", "1.0"),
                            st.structure_message("structure", None, st.STRUCTURE_JSON_10, detail, arts=arts))
    v20 = json.loads(st.structure_message("structure", None, st.STRUCTURE_JSON_20, detail, arts=arts))["data"]
    data = doc["data"]
    for key in ("dataflows", "dataStructures", "codelists", "conceptSchemes", "categorySchemes",
                "categorisations", "agencySchemes"):
        assert [a["id"] for a in data[key]] == [a["id"] for a in v20[key]], key
    assert [h["id"] for h in data["hierarchicalCodelists"]] == [h["id"] for h in v20["hierarchies"]]


def test_data_structure_in_the_1_0_layout(arts, json_schema):
    doc = assert_valid_json(json_schema("structure", "1.0"),
                            st.structure_message("datastructure", ["DSD_ILMS_T05"], st.STRUCTURE_JSON_10, arts=arts))
    [dsd] = doc["data"]["dataStructures"]
    comps = dsd["dataStructureComponents"]
    assert [d["id"] for d in comps["dimensionList"]["dimensions"]] == list(structure().table(5).key_order)
    assert comps["measureList"]["primaryMeasure"]["id"] == "OBS_VALUE"
    conf = next(a for a in comps["attributeList"]["attributes"] if a["id"] == "OBS_CONF")
    assert conf["attributeRelationship"] == {"primaryMeasure": "OBS_VALUE"}
    assert conf["assignmentStatus"] == "Mandatory"
    sex = next(d for d in comps["dimensionList"]["dimensions"] if d["id"] == "SEX")
    assert sex["conceptIdentity"].endswith("Concept=ILMS:CS_ILMS(1.0).SEX")


def test_hierarchies_become_hierarchical_codelists(arts, json_schema):
    doc = assert_valid_json(json_schema("structure", "1.0"),
                            st.structure_message("hierarchy", ["H_LMS"], st.STRUCTURE_JSON_10, arts=arts))
    [hcl] = doc["data"]["hierarchicalCodelists"]
    [h] = hcl["hierarchies"]
    top = h["hierarchicalCodes"][0]
    assert top["id"] == "LMS_STATUS_TOTAL" and [c["id"] for c in top["hierarchicalCodes"]] == ["LMS_STATUS_LF",
                                                                                               "LMS_STATUS_EIP"]
