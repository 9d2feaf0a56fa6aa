"""DF_ILMS_INDICATORS through the SDMX REST service: its structures in structure queries (read back by
sdmx1, valid against the official SDMX-ML 2.1 schema) and its data for the published release as
SDMX-CSV 2.0.0 (read back by pysdmx) and SDMX-ML 2.1 structure-specific (valid against the official
schema plus the DSD's generated XSD, read back by sdmx1) — the values ilms.analysis computes."""
from __future__ import annotations

import io

import pytest
import sdmx as sdmx1
from fastapi.testclient import TestClient
from lxml import etree
from pysdmx.io import read_sdmx

from ilms.analysis import indicators, sdmx_xml
from ilms.analysis.vintage import published_release
from ilms.publish.sdmx.data.xmlparts import ns
from ilms.web import create_app

from ...analysis.fixtures import load
from ...publish.sdmx.conftest import assert_valid_xml, message_schema, ml_dir  # noqa: F401 (fixture)

CSV = "application/vnd.sdmx.data+csv;version=2.0.0"
CSV10 = "application/vnd.sdmx.data+csv;version=1.0.0"   # v1 (SDMX REST 1.5) knows SDMX-CSV 1.0 only
SS = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
FLOW = "ILMS,DF_ILMS_INDICATORS,1.0"


@pytest.fixture
def client(engine):
    load(engine)
    return TestClient(create_app(engine))


@pytest.fixture(scope="module")
def ss_schema(shared_dir, tmp_path_factory):
    base = ml_dir(shared_dir, "2.1")
    folder = tmp_path_factory.mktemp("indicators_xsd")
    (folder / "dsd.xsd").write_text(sdmx_xml.xsd(schema_location=base.as_uri() + "/"), encoding="utf-8")
    (folder / "wrap.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="{ns("2.1", "message")}" schemaLocation="{(base / "SDMXMessage.xsd").as_uri()}"/>'
        f'<xs:import namespace="{sdmx_xml.namespace("ILMS")}" schemaLocation="dsd.xsd"/></xs:schema>',
        encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "wrap.xsd")))


def test_structure_queries_serve_the_indicator_dataflow(client, message_schema):
    r = client.get("/rest/dataflow/ILMS/DF_ILMS_INDICATORS/latest", params={"references": "descendants"},
                   headers={"Accept": "application/vnd.sdmx.structure+xml;version=2.1"})
    assert r.status_code == 200, r.text
    assert_valid_xml(message_schema("2.1"), r.content)
    msg = sdmx1.read_sdmx(io.BytesIO(r.content))
    dsd = msg.structure["DSD_ILMS_INDICATORS"]
    assert msg.dataflow["DF_ILMS_INDICATORS"].structure.id == "DSD_ILMS_INDICATORS"
    assert [d.id for d in dsd.dimensions][:2] == ["INDICATOR", "REF_AREA"]
    assert "ASEAN" in msg.codelist["CL_ILMS_AREA"].items and "LFPR" in msg.codelist["CL_ILMS_INDICATOR"].items
    assert "CS_ILMS_INDICATORS" in msg.concept_scheme
    # listed among all dataflows and codelists, v1 and v2; the shared CL_SEX is one codelist
    every = client.get("/rest/v2/structure/dataflow/*/*/*").text
    assert "DF_ILMS_INDICATORS" in every and "DF_ILMS_T17" in every
    assert client.get("/rest/codelist/ILMS/CL_ILMS_BREAKDOWN").status_code == 200
    assert client.get("/rest/conceptscheme/ILMS/CS_ILMS_INDICATORS").status_code == 200
    parents = client.get("/rest/codelist/ILMS/CL_SEX/latest", params={"references": "parents"}).text
    assert "DSD_ILMS_INDICATORS" in parents and "DSD_ILMS_T01" in parents


def test_data_as_sdmx_csv_holds_the_computed_values(client, engine):
    r = client.get(f"/rest/data/{FLOW}/LFPR.THA", headers={"Accept": CSV10})
    assert r.status_code == 200, r.text
    data = read_sdmx(r.text).get_datasets()[0].data
    with engine.connect() as conn:
        expected = indicators.compute(conn, "LFPR", published_release(conn).cut, countries=["THA"])
    assert len(data) == len(expected) and set(data.INDICATOR) == {"LFPR"} and set(data.REF_AREA) == {"THA"}
    migrant = data[data.BREAKDOWN == "MIG_STATUS_MIGRANT"]
    assert float(migrant.OBS_VALUE.iloc[0]) == next(v.value for v in expected if v.code("MIG") == "MIG_STATUS_MIGRANT")
    # the regional value with its coverage; v2 path and a time filter
    v2 = client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_INDICATORS/1.0/MIG_SHARE_WAP.ASEAN.*.BIR.SEX_T.*",
                    params={"c[TIME_PERIOD]": "ge:2020"}, headers={"Accept": CSV})
    region = read_sdmx(v2.text).get_datasets()[0].data
    assert len(region) == 1 and float(region.OBS_VALUE.iloc[0]) == 20.0 and region.COVERAGE.iloc[0] == "MYS THA"
    assert client.get(f"/rest/data/{FLOW}/LFPR", params={"startPeriod": "2021"}).status_code == 404


def test_data_as_structure_specific_xml_is_valid_and_read_by_sdmx1(client, ss_schema):
    r = client.get(f"/rest/data/{FLOW}/MIG_SHARE_WAP", headers={"Accept": SS})
    assert r.status_code == 200, r.text
    assert_valid_xml(ss_schema, r.content)
    dsd = sdmx1.read_sdmx(io.BytesIO(client.get("/rest/datastructure/ILMS/DSD_ILMS_INDICATORS").content)
                          ).structure["DSD_ILMS_INDICATORS"]
    msg = sdmx1.read_sdmx(io.BytesIO(r.content), structure=dsd)
    obs = {(o.key.REF_AREA.value, o.key.BASIS.value, o.key.SEX.value): float(o.value) for o in msg.data[0].obs}
    assert obs[("ASEAN", "BIR", "SEX_T")] == 20.0 and obs[("MYS", "BIR", "SEX_T")] == 40.0


def test_bad_queries_are_4xx_or_501(client):
    assert client.get(f"/rest/data/{FLOW}/A.B.C.D.E.F.G").status_code == 400
    assert client.get(f"/rest/data/{FLOW}/LFPR", params={"lastNObservations": "1"},
                      headers={"Accept": CSV10}).status_code == 501
    assert client.get(f"/rest/data/{FLOW}/LFPR",
                      headers={"Accept": "application/vnd.sdmx.data+json;version=1.0.0"}).status_code == 406
    assert client.get(f"/rest/data/{FLOW}/NOPE").status_code == 404


def test_nothing_published_is_no_data(engine):
    load(engine, publish=False)
    client = TestClient(create_app(engine))
    assert client.get(f"/rest/data/{FLOW}/LFPR").status_code == 404
