"""The data route: which vintage, filters, masking, formats, streaming."""
from __future__ import annotations

import csv
import io

from ilms.observation import Observation
from ilms.store import releases, write
from ilms.web.models import SYNTHETIC_NOTICE

DATA5 = "/api/v1/tables/5/data"
TOTAL_2020 = {"REF_AREA": "THA", "SOURCE": "BA_453", "BASIS": "BIR", "SEX": "SEX_T",
              "ECO": "ECO_ISIC4_TOTAL", "MIG": "MIG_STATUS_TOTAL"}


def value_of(doc: dict, key: dict, time: str):
    found = [o for o in doc["observations"] if o["key"] == key and o["time"] == time]
    assert len(found) == 1, found
    return found[0]["value"]


def test_default_is_the_latest_published_release_not_the_later_revision(client):
    doc = client.get(DATA5).json()
    meta = doc["meta"]
    assert meta["basis"] == "release"
    assert meta["release"]["name"] == "2025-R1"
    assert len(meta["release"]["checksum"]) == 64
    assert meta["synthetic"] is False and meta["notice"] is None
    assert value_of(doc, TOTAL_2020, "2020") == 110.0
    assert not any(o["key"]["REF_AREA"] == "VNM" for o in doc["observations"])   # written after the release
    assert doc["count"] == len(doc["observations"]) == 6


def test_release_checksum_matches_the_store(client, published):
    with published.engine.connect() as conn:
        stored = releases.get(conn, "2025-R1").checksum
    assert client.get(DATA5).json()["meta"]["release"]["checksum"] == stored


def test_as_of_returns_earlier_values(client, published):
    doc = client.get(DATA5, params={"as_of": published.before_correction}).json()
    assert doc["meta"]["basis"] == "as_of" and doc["meta"]["release"]["name"] == "2025-R1"
    assert value_of(doc, TOTAL_2020, "2020") == 100.0


def test_as_of_never_reaches_past_the_published_release(client, published):
    doc = client.get(DATA5, params={"as_of": published.after_revision}).json()
    assert value_of(doc, TOTAL_2020, "2020") == 110.0
    assert any("not published yet" in n for n in doc["meta"]["notes"])


def test_as_of_with_an_offset_is_converted_to_utc(client):
    # a time far in the past, written with a +07:00 offset: nothing had been written then
    doc = client.get(DATA5, params={"as_of": "2000-01-01T07:00:00+07:00"}).json()
    assert doc["count"] == 0 and doc["meta"]["cut"] == 0


def test_an_unpublished_release_is_invisible(client):
    r = client.get(DATA5, params={"release": "2025-R2"})
    assert r.status_code == 404
    assert r.json()["parameter"] == "release"
    assert client.get("/api/v1/releases/2025-R2").status_code == 404
    assert [x["name"] for x in client.get("/api/v1/releases").json()["releases"]] == ["2025-R1"]


def test_named_release(client):
    doc = client.get(DATA5, params={"release": "2025-R1"}).json()
    assert doc["meta"]["release"]["name"] == "2025-R1"
    assert value_of(doc, TOTAL_2020, "2020") == 110.0


def test_as_of_goes_back_from_the_release_asked_for(client, published):
    doc = client.get(DATA5, params={"release": "2025-R1", "as_of": published.before_correction}).json()
    assert doc["meta"]["basis"] == "as_of" and doc["meta"]["release"]["name"] == "2025-R1"
    earlier = client.get(DATA5, params={"as_of": published.before_correction}).json()
    assert doc["observations"] == earlier["observations"]


def test_confidential_values_come_out_null_with_the_flag(client):
    doc = client.get(DATA5, params={"SEX": "SEX_F", "ECO": "ECO_ISIC4_A"}).json()
    [obs] = doc["observations"]
    assert obs["value"] is None and obs["confidential"] is True and obs["status"] == "C"
    text = client.get(DATA5, params={"format": "csv"}).text
    assert "1.5" not in text


def test_filters(client):
    doc = client.get(DATA5, params={"SEX": "SEX_M,SEX_F", "ECO": "ECO_ISIC4_TOTAL", "year": "2020"}).json()
    assert {(o["key"]["SEX"], o["time"]) for o in doc["observations"]} == {("SEX_M", "2020"), ("SEX_F", "2020")}
    assert doc["meta"]["filters"] == {"SEX": ["SEX_M", "SEX_F"], "ECO": ["ECO_ISIC4_TOTAL"]}
    doc = client.get(DATA5, params={"year": ":2019"}).json()
    assert [o["time"] for o in doc["observations"]] == ["2019"]
    assert client.get(DATA5, params={"country": "PHL"}).json()["count"] == 0
    assert client.get(DATA5, params={"country": "tha"}).json()["count"] == 6
    # repeated parameters add codes; dimension ids are case-insensitive
    doc = client.get(f"{DATA5}?sex=SEX_M&sex=SEX_F&ECO=ECO_ISIC4_A").json()
    assert {o["key"]["SEX"] for o in doc["observations"]} == {"SEX_M", "SEX_F"}


def test_table_15_partner_dimension_and_labels(client):
    doc = client.get("/api/v1/tables/15/data", params={"DESTINATION": "SAU"}).json()
    [obs] = doc["observations"]
    assert obs["key"] == {"REF_AREA": "PHL", "SOURCE": "XA_0001", "BASIS": "_Z", "SEX": "SEX_T",
                          "DESTINATION": "SAU"}
    assert obs["labels"]["DESTINATION"] == "Saudi Arabia"
    assert obs["labels"]["SOURCE"] == "Overseas employment registry"      # from the source catalogue
    assert obs["unit"] == "PS" and obs["unit_mult"] == "3" and obs["value"] == 120.5


def test_observation_carries_notes_and_attributes(client):
    doc = client.get(DATA5, params={"SEX": "SEX_T", "year": "2020"}).json()
    [obs] = doc["observations"]
    assert obs["notes"]["source"] == "R1:3513"
    assert obs["labels"]["ECO"] == "Total" and obs["labels"]["REF_AREA"] == "Thailand"
    doc = client.get(DATA5, params={"SEX": "SEX_M", "ECO": "ECO_ISIC4_A"}).json()
    assert doc["observations"][0]["notes"]["comment"] == "provisional"


def test_csv_and_json_agree(client):
    params = {"country": "THA"}
    doc = client.get(DATA5, params=params).json()
    r = client.get(DATA5, params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["x-ilms-release"] == "2025-R1"
    assert r.headers["x-ilms-release-checksum"] == doc["meta"]["release"]["checksum"]
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == doc["count"]
    for row, obs in zip(rows, doc["observations"]):
        assert {d: row[d] for d in obs["key"]} == obs["key"]
        assert row["TIME_PERIOD"] == obs["time"]
        assert (float(row["OBS_VALUE"]) if row["OBS_VALUE"] else None) == obs["value"]
        assert (row["CONFIDENTIAL"] == "true") == obs["confidential"]
        assert row["ECO_LABEL"] == obs["labels"]["ECO"]


def test_nothing_is_public_before_the_first_release(engine):
    from fastapi.testclient import TestClient

    from ilms.store import sources
    from ilms.web import create_app
    with engine.begin() as conn:
        sources.upsert(conn, "BA_453", "THA")
        write.write(conn, [Observation(5, ("THA", "BA_453", "BIR", "SEX_T", "ECO_ISIC4_TOTAL",
                                           "MIG_STATUS_TOTAL"), "2020", 1.0)], kind="load", by="pytest")
    r = TestClient(create_app(engine)).get(DATA5)
    assert r.status_code == 404
    assert r.json() == {"error": "no release has been published yet", "parameter": "release"}


def test_synthetic_release_carries_the_notice(client, published):
    with published.engine.begin() as conn:
        releases.create(conn, "demo-1", by="pytest", synthetic=True)
        releases.publish(conn, "demo-1", by="pytest")
    r = client.get(DATA5)
    meta = r.json()["meta"]
    assert meta["release"]["name"] == "demo-1" and meta["release"]["synthetic"] is True
    assert meta["notice"] == SYNTHETIC_NOTICE
    assert r.headers["x-ilms-notice"] == "demonstration data - not official statistics"
    listed = client.get("/api/v1/releases").json()["releases"]
    assert [x["name"] for x in listed] == ["demo-1", "2025-R1"]                  # newest first
    assert listed[0]["notice"] == SYNTHETIC_NOTICE and listed[1]["notice"] is None


def test_the_whole_selection_is_streamed(client, published, monkeypatch):
    """More rows than one read batch and one response chunk: nothing is cut off."""
    from ilms.web import create_app
    from ilms.web.settings import Settings
    from fastapi.testclient import TestClient
    small = TestClient(create_app(published.engine, Settings(stream_batch=2, chunk_rows=1)))
    doc = small.get(DATA5).json()
    assert doc["count"] == 6 == len(doc["observations"])
    assert len(list(csv.reader(io.StringIO(small.get(DATA5, params={"format": "csv"}).text)))) == 7


def test_empty_csv_has_the_header(client):
    r = client.get(DATA5, params={"country": "PHL", "format": "csv"})
    assert r.status_code == 200
    [header] = list(csv.reader(io.StringIO(r.text)))
    assert header[:2] == ["REF_AREA", "REF_AREA_LABEL"] and "OBS_VALUE" in header


def test_a_release_name_outside_ascii_is_header_safe(client, published):
    with published.engine.begin() as conn:
        releases.create(conn, "Bản phát hành 1", by="pytest")
        releases.publish(conn, "Bản phát hành 1", by="pytest")
    r = client.get(DATA5, params={"format": "csv"})
    assert r.status_code == 200
    assert r.headers["x-ilms-release"] == "B%E1%BA%A3n ph%C3%A1t h%C3%A0nh 1"
    assert client.get(DATA5).json()["meta"]["release"]["name"] == "Bản phát hành 1"
