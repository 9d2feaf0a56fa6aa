"""The indicators API serves what ilms.analysis computes for a published release."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ilms.web import create_app

from ..analysis.fixtures import load


@pytest.fixture
def client(engine):
    load(engine)
    return TestClient(create_app(engine))


def test_list_declares_every_indicator_with_its_bases(client):
    doc = client.get("/api/v1/indicators").json()
    ids = {i["id"]: i for i in doc["indicators"]}
    assert ids["MIG_SHARE_WAP"]["bases"] == ["BIR", "CIT"] and ids["MIG_SHARE_WAP"]["dataflow"] == "DF_ILMS_T01"
    assert ids["WAGE_GAP"]["aggregate"] == "none"


def test_values_and_regional_coverage(client):
    doc = client.get("/api/v1/indicators/MIG_SHARE_WAP", params={"basis": "BIR"}).json()
    assert doc["release"] == "r1" and doc["region"] == "ASEAN" and doc["synthetic"] is False
    total = {c["ref_area"]: c["value"] for c in doc["countries"] if c["breakdown"] == {"SEX": "SEX_T"}}
    assert total == {"MYS": 40.0, "THA": 10.0}
    (reg,) = [r for r in doc["regional"] if r["breakdown"] == {"SEX": "SEX_T"}]
    assert reg["value"] == 20.0 and reg["basis"] == "BIR"
    assert reg["coverage"]["countries"] == ["MYS", "THA"] and "PHL" in reg["coverage"]["missing"]
    assert reg["terms"] == {"a": 30.0, "b": 150.0}


def test_filters_and_errors(client):
    doc = client.get("/api/v1/indicators/mig_share_wap", params={"country": "MYS", "year": "2020"}).json()
    assert {c["ref_area"] for c in doc["countries"]} == {"MYS"}
    assert client.get("/api/v1/indicators/MIG_SHARE_WAP", params={"year": "2021"}).json()["countries"] == []
    r = client.get("/api/v1/indicators/NOPE")
    assert r.status_code == 404 and "NOPE" in r.json()["error"]
    r = client.get("/api/v1/indicators/MIG_SHARE_WAP", params={"basis": "_Z"})
    assert r.status_code == 400 and r.json()["parameter"] == "basis"
    r = client.get("/api/v1/indicators/MIG_SHARE_WAP", params={"release": "r9"})
    assert r.status_code == 404 and r.json()["parameter"] == "release"
    r = client.get("/api/v1/indicators/MIG_SHARE_WAP", params={"region": "MARS"})
    assert r.status_code == 400 and r.json()["parameter"] == "region"
    r = client.get("/api/v1/indicators/MIG_SHARE_WAP", params={"year": "20x"})
    assert r.status_code == 400 and r.json()["parameter"] == "year"
