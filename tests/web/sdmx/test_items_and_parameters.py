"""Item queries over both REST versions, and parameter validation: a value outside what the
standard allows is a 400 naming the parameter (never a 501). Both backends."""
from __future__ import annotations

import pytest
from lxml import etree

XML21 = {"Accept": "application/vnd.sdmx.structure+xml;version=2.1"}


def test_item_queries_v1_and_v2(db):
    r = db.client.get("/rest/codelist/ILMS/CL_SEX/1.0/SEX_F+SEX_M", headers=XML21)
    assert r.status_code == 200, r.text
    codes = [c.get("id") for c in etree.fromstring(r.content).iter("{*}Code")]
    assert codes == ["SEX_M", "SEX_F"]
    r = db.client.get("/rest/v2/structure/conceptscheme/*/*/+/SEX,TIME_PERIOD")
    assert r.status_code == 200, r.text
    schemes = {s["id"]: s for s in r.json()["data"]["conceptSchemes"]}
    assert set(schemes) == {"CS_ILMS", "CS_ILMS_INDICATORS"}          # the tables' and the indicators'
    scheme = schemes["CS_ILMS"]
    assert {c["id"] for c in scheme["concepts"]} == {"SEX", "TIME_PERIOD"} and scheme["isPartial"] is True
    r = db.client.get("/rest/v2/structure/agencyscheme/SDMX/AGENCIES/1.0/ILMS")
    assert r.status_code == 200 and [a["id"] for a in r.json()["data"]["agencySchemes"][0]["agencies"]] == ["ILMS"]
    r = db.client.get("/rest/hierarchicalcodelist/ILMS/H_SEX/latest/SEX_F", headers=XML21)
    assert r.status_code == 200 and "SEX_M" not in r.text and "SEX_F" in r.text
    # the codes come from the store's source catalogue too
    r = db.client.get("/rest/v2/structure/codelist/ILMS/CL_SOURCE/~/BA_453")
    assert r.status_code == 200 and [c["id"] for c in r.json()["data"]["codelists"][0]["codes"]] == ["BA_453"]


def test_item_query_statuses(db):
    assert db.client.get("/rest/codelist/ILMS/CL_SEX/1.0/SEX_NOPE").status_code == 404
    r = db.client.get("/rest/v2/structure/codelist/ILMS/CL_SEX/1.0/SEX F")
    assert r.status_code == 400 and r.json()["parameter"] == "itemID"
    r = db.client.get("/rest/v2/structure/dataflow/ILMS/DF_ILMS_T05/1.0/X")
    assert r.status_code == 400


@pytest.mark.parametrize("url,parameter", [
    ("/rest/v2/structure/datastructure/*/*/+?references=AAA", "references"),
    ("/rest/datastructure/ILMS/all/latest?references=children,parents", "references"),
    ("/rest/datastructure/ILMS/all/latest?detail=raw", "detail"),          # v2 only
    ("/rest/v2/structure/codelist/*/*/+?detail=most", "detail"),
    ("/rest/v2/availability/dataflow/ILMS/DF_ILMS_T05/+/*/*?references=codelists", "references"),
    ("/rest/availableconstraint/DF_ILMS_T05/all/all/all?references=parents", "references"),
    ("/rest/v2/availability/*/ILMS/DF_ILMS_T05/+/*/*", "context"),
    ("/rest/v2/availability/dataflow/ILMS/DF_ILMS_T05/+/*/*?mode=some", "mode"),
    ("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/*?sort=a b", "sort"),
    ("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/*?includeHistory=yes", "includeHistory"),
    ("/rest/data/DF_ILMS_T05?detail=everything", "detail"),
    ("/rest/data/DF_ILMS_T05?dimensionAtObservation=NOPE", "dimensionAtObservation"),
])
def test_values_outside_the_standard_are_400_naming_the_parameter(db, url, parameter):
    r = db.client.get(url)
    assert r.status_code == 400, (url, r.status_code, r.text)
    assert r.json()["parameter"] == parameter


def test_standard_references_of_types_not_published_add_nothing(db):
    r = db.client.get("/rest/v2/structure/dataflow/ILMS/DF_ILMS_T05/1.0?references=metadatastructure,datastructure")
    assert r.status_code == 200, r.text
    assert set(r.json()["data"]) == {"dataflows", "dataStructures"}


def test_availability_references_add_the_dataflows_structures(db):
    r = db.client.get("/rest/availableconstraint/DF_ILMS_T05/THA/all/all", params={"references": "all"},
                      headers=XML21)
    assert r.status_code == 200, r.text
    doc = etree.fromstring(r.content)
    assert doc.find(".//{*}ContentConstraint").get("type") == "Actual"
    assert doc.find(".//{*}Dataflow").get("id") == "DF_ILMS_T05"
    assert doc.find(".//{*}DataStructure").get("id") == "DSD_ILMS_T05"
    assert "CL_SEX" in {c.get("id") for c in doc.iter("{*}Codelist")}
    r = db.client.get("/rest/v2/availability/dataflow/ILMS/DF_ILMS_T05/+/THA/*",
                      params={"references": "codelist"},
                      headers={"Accept": "application/vnd.sdmx.structure+json;version=2.0.0"})
    assert r.status_code == 200, r.text
    assert set(r.json()["data"]) == {"dataConstraints", "codelists"}


def test_sdmx_json_1_0_structures_over_v1(db):
    json10 = "application/vnd.sdmx.structure+json;version=1.0.0"
    r = db.client.get("/rest/codelist/ILMS/CL_SEX/latest/SEX_F", headers={"Accept": json10})
    assert r.status_code == 200 and r.headers["content-type"] == json10
    [cl] = r.json()["data"]["codelists"]
    assert [c["id"] for c in cl["codes"]] == ["SEX_F"] and cl["isPartial"] is True
    r = db.client.get("/rest/hierarchicalcodelist/ILMS/H_SEX/latest", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"] == json10
    assert r.json()["data"]["hierarchicalCodelists"][0]["id"] == "H_SEX"


@pytest.mark.parametrize("url,version", [("/rest/schema/dataflow/ILMS/DF_ILMS_T05/1.0", "2.1"),
                                         ("/rest/v2/schema/datastructure/ILMS/DSD_ILMS_T05/~", "3.1")])
def test_schema_queries_give_the_structure_specific_xsd(db, url, version, shared_dir, tmp_path):
    """The XSD a structure-specific message of that dataflow validates against (its SDMX imports
    pointed at the official schemas for the check)."""
    r = db.client.get(url, params={"dimensionAtObservation": "SEX"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == f"application/vnd.sdmx.schema+xml;version={version}{'.0' if version != '2.1' else ''}"
    assert "ObsLevelDim:SEX" in r.text
    if version == "2.1":
        base = (shared_dir / "sdmx-reference" / "schemas" / "sdmx-ml-2.1").as_uri() + "/"
        (tmp_path / "t5.xsd").write_text(r.text.replace('schemaLocation="SDMX', f'schemaLocation="{base}SDMX'))
        etree.XMLSchema(etree.parse(str(tmp_path / "t5.xsd")))      # compiles against the official XSDs
    assert db.client.get("/rest/schema/dataflow/ILMS/DF_NOPE/1.0").status_code == 404
    assert db.client.get("/rest/schema/metadataflow/ILMS/X/1.0").status_code == 404
    r = db.client.get(url, params={"dimensionAtObservation": "AGE"})
    assert r.status_code == 400 and r.json()["parameter"] == "dimensionAtObservation"
    assert db.client.get("/rest/schema/nonsense/ILMS/DF_ILMS_T05/1.0").status_code == 400


def test_availability_with_operators_and_attribute_filters_in_sql(db):
    """c[...] operators on dimensions and attributes: the same cells the data query returns."""
    xml = {"Accept": "application/vnd.sdmx.structure+xml;version=2.1"}
    url = "/rest/v2/availability/dataflow/ILMS/DF_ILMS_T05/+/*/SEX"
    r = db.client.get(url, params={"c[SEX]": "ne:SEX_T"}, headers=xml)
    assert r.status_code == 200, r.text
    values = {v.text for v in etree.fromstring(r.content).iter("{*}Value")}
    assert values == {"SEX_F", "SEX_M"}
    # confidential only (OBS_CONF=C): the SEX_F ECO_ISIC4_A cell; a substring filter, case-sensitive
    r = db.client.get(url.replace("/SEX", "/ECO"), params={"c[OBS_CONF]": "C"}, headers=xml)
    assert {v.text for v in etree.fromstring(r.content).iter("{*}Value")} == {"ECO_ISIC4_A"}
    r = db.client.get(url.replace("/SEX", "/ECO"), params={"c[ECO]": "co:_A"}, headers=xml)
    assert {v.text for v in etree.fromstring(r.content).iter("{*}Value")} == {"ECO_ISIC4_A"}
    assert db.client.get(url, params={"c[ECO]": "co:_a"}, headers=xml).status_code == 204
    r = db.client.get(url, params={"c[OBS_VALUE]": "gt:5"}, headers=xml)
    assert r.status_code == 501 and r.json()["parameter"] == "c[OBS_VALUE]"
