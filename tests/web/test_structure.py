"""Tables, releases and sources: the JSON API's catalogue routes."""
from __future__ import annotations

from ilms.tables import structure


def test_tables_lists_the_17_tables(client):
    tables = client.get("/api/v1/tables").json()["tables"]
    assert [t["number"] for t in tables] == list(range(1, 18))
    t5 = tables[4]
    assert t5["id"] == "DF_ILMS_T05" and t5["module"] == "A"
    assert t5["key_order"] == ["REF_AREA", "SOURCE", "BASIS", "SEX", "ECO", "MIG"]
    assert {"id": "ECO", "name": "Economic activity", "codelist": "CL_ECO"} in t5["dimensions"]
    assert t5["links"] == {"self": "/api/v1/tables/5", "data": "/api/v1/tables/5/data"}
    assert t5["short_title"] == structure().table(5).short


def test_one_table_in_detail(client):
    t = client.get("/api/v1/tables/15").json()
    dims = {d["id"]: d for d in t["dimensions"]}
    assert list(dims) == list(structure().table(15).key_order)
    assert {"id": "SAU", "name": "Saudi Arabia"} in dims["DESTINATION"]["codes"]
    assert dims["DESTINATION"]["required"] == ["TOTAL"]
    assert dims["SOURCE"]["open"] is True and dims["SOURCE"]["codes"] == []
    assert t["ilostat"] == [{"indicator": "MNA_OEMP_SEX_CDS_NB", "fixed": {"BASIS": "_Z"},
                             "classif1": {"dimension": "DESTINATION", "prefix": "CDS_DES_"}, "classif2": None}]


def test_releases_are_published_only_with_checksums(client):
    [r] = client.get("/api/v1/releases").json()["releases"]
    assert r["name"] == "2025-R1" and r["n_observations"] == 9 and r["synthetic"] is False
    assert client.get("/api/v1/releases/2025-R1").json()["checksum"] == r["checksum"]


def test_sources_catalogue(client):
    doc = client.get("/api/v1/sources", params={"country": "THA"}).json()
    assert [(s["code"], s["ilostat_code"], s["name"]) for s in doc["sources"]] == [
        ("BA_453", "BA:453", "Labour Force Survey")]
    assert doc["sources"][0]["agency"] == "National Statistical Office"
    assert {s["ref_area"] for s in client.get("/api/v1/sources").json()["sources"]} == {"THA", "PHL", "VNM"}
