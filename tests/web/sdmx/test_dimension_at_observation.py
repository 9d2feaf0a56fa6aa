"""dimensionAtObservation = any dimension, through the service on both backends: the store reads
the observations in the order of the series layout (SQL), each series is written once, and the
readers get the same cells back as with the time period at observation."""
from __future__ import annotations

import json

import pytest
from lxml import etree
from pysdmx.io import read_sdmx

SS21 = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
GENERIC = "application/vnd.sdmx.genericdata+xml;version=2.1"
JSON21 = "application/vnd.sdmx.data+json;version=2.1.0"
URL = "/rest/data/DF_ILMS_T05"


def cells(text: str) -> dict[tuple, object]:
    """(every dimension, period) -> value, as pysdmx reads the message."""
    df = read_sdmx(text).data[0].data
    return {(r["REF_AREA"], r["SEX"], r["ECO"], str(r["TIME_PERIOD"])): r.get("OBS_VALUE")
            for r in df.to_dict("records")}


def test_structure_specific_series_of_one_period_with_sex_at_observation(db):
    r = db.client.get(URL, params={"dimensionAtObservation": "SEX"}, headers={"Accept": SS21})
    assert r.status_code == 200, r.text
    doc = etree.fromstring(r.content)
    header = doc.find(".//{*}Header/{*}Structure")
    assert header.get("dimensionAtObservation") == "SEX" and header.get("namespace").endswith("ObsLevelDim:SEX")
    series = doc.findall(".//Series")
    keys = [(s.get("ECO"), s.get("TIME_PERIOD")) for s in series]
    assert len(keys) == len(set(keys)) == 4                   # each series once
    assert all(s.get("SEX") is None for s in series)
    by_key = {(s.get("ECO"), s.get("TIME_PERIOD")): [o.get("SEX") for o in s.findall("Obs")] for s in series}
    assert by_key[("ECO_ISIC4_TOTAL", "2020")] == ["SEX_F", "SEX_M", "SEX_T"]
    plain = db.client.get(URL, headers={"Accept": SS21})
    assert cells(r.text) == cells(plain.text)               # the same cells either way


@pytest.mark.parametrize("media_type", [GENERIC, JSON21])
def test_generic_and_json_with_ref_area_at_observation(db, media_type):
    url = "/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/*" if media_type == JSON21 else URL
    r = db.client.get(url, params={"dimensionAtObservation": "REF_AREA"}, headers={"Accept": media_type})
    assert r.status_code == 200, r.text
    if media_type == JSON21:
        doc = json.loads(r.content)
        dims = doc["data"]["structures"][0]["dimensions"]
        assert [d["id"] for d in dims["observation"]] == ["REF_AREA"]
        assert [d["id"] for d in dims["series"]][-1] == "TIME_PERIOD"
        series = doc["data"]["dataSets"][0]["series"]
        assert len(series) == 6 and all(list(s["observations"]) == ["0"] for s in series.values())
    else:
        doc = etree.fromstring(r.content)
        assert {o.get("value") for o in doc.iter("{*}ObsDimension")} == {"THA"}
        assert len(doc.findall(".//{*}Series")) == 6
        assert cells(r.text) == cells(db.client.get(URL, headers={"Accept": media_type}).text)


def test_first_n_counts_along_the_dimension_at_observation(db):
    r = db.client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/*",
                      params={"dimensionAtObservation": "SEX", "firstNObservations": "1"}, headers={"Accept": SS21})
    assert r.status_code == 200, r.text
    series = etree.fromstring(r.content).findall(".//Series")
    got = {(s.get("ECO"), s.get("TIME_PERIOD")): [o.get("SEX") for o in s.findall("Obs")] for s in series}
    assert got[("ECO_ISIC4_TOTAL", "2020")] == ["SEX_F"] and all(len(v) == 1 for v in got.values())


def test_time_series_formats_refuse_another_dimension(db):
    r = db.client.get(URL, params={"dimensionAtObservation": "SEX"},
                      headers={"Accept": "application/vnd.sdmx.generictimeseriesdata+xml;version=2.1"})
    assert r.status_code == 406


def test_sort_by_dimensions_and_period_in_sql(db, probe):
    from .conftest import rows
    url = "/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/*"
    got = rows(db.client.get(url, params={"sort": "SEX:desc+TIME_PERIOD:desc"}, headers=probe))
    sexes = [r[0].split(".")[3] for r in got]
    assert sexes == sorted(sexes, reverse=True)              # SEX_T, SEX_M, SEX_F
    totals = [r[1] for r in got if r[0].split(".")[3] == "SEX_T"]
    assert totals == ["2021", "2020", "2019"]                # each series stays together, newest first
    got = rows(db.client.get(url, params={"sort": "*"}, headers=probe))
    assert [r[0].split(".")[3] for r in got][0] == "SEX_F"     # the natural order
    r = db.client.get(url, params={"sort": "OBS_VALUE:desc"}, headers=probe)
    assert r.status_code == 501 and r.json()["parameter"] == "sort"
    r = db.client.get(url, params={"sort": "NOPE"}, headers=probe)
    assert r.status_code == 400 and r.json()["parameter"] == "sort"
