"""Bad input is a 400 that names the parameter; unknown things a 404; never a 500."""
from __future__ import annotations

import pytest

DATA5 = "/api/v1/tables/5/data"


@pytest.mark.parametrize("params, parameter", [
    ({"year": "20x"}, "year"),
    ({"year": "2024:2015"}, "year"),
    ({"as_of": "yesterday"}, "as_of"),
    ({"format": "xml"}, "format"),
    ({"SEX": "SEX_X"}, "SEX"),
    ({"SEX": ","}, "SEX"),
    ({"AGE": "AGE_10YRBANDS_TOTAL"}, "AGE"),           # table 5 has no AGE
    ({"TIME_PERIOD": "2020"}, "TIME_PERIOD"),
    ({"colour": "red"}, "colour"),
    ({"country": "XXX"}, "country"),
    ({"country": "THA", "REF_AREA": "THA"}, "country"),
    ({"SOURCE": "BA:453"}, "SOURCE"),
    ({"release": " "}, "release"),
])
def test_bad_parameters_give_400_naming_the_parameter(client, params, parameter):
    r = client.get(DATA5, params=params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["parameter"] == parameter and body["error"]


def test_too_many_codes_is_a_400_not_a_truncation(published):
    from fastapi.testclient import TestClient

    from ilms.web import create_app
    from ilms.limits import Limits
    from ilms.web.settings import Settings
    small = TestClient(create_app(published.engine, Settings(limits=Limits(filter_codes=2))))
    r = small.get(DATA5, params={"SEX": "SEX_T,SEX_M,SEX_F"})
    assert r.status_code == 400 and r.json()["parameter"] == "SEX"


def test_year_given_twice(client):
    r = client.get(f"{DATA5}?year=2019&year=2020")
    assert r.status_code == 400 and r.json()["parameter"] == "year"


@pytest.mark.parametrize("path", ["/api/v1/tables/18", "/api/v1/tables/0/data", "/api/v1/tables/abc",
                                  "/api/v1/releases/nope", "/api/v1/nothing-here"])
def test_unknown_things_are_404_json(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json" and r.json()["error"]


def test_unknown_release_is_404(client):
    r = client.get(DATA5, params={"release": "1999"})
    assert r.status_code == 404 and r.json()["parameter"] == "release"


def test_sources_bad_country(client):
    r = client.get("/api/v1/sources", params={"country": "Thailand"})
    assert r.status_code == 400 and r.json()["parameter"] == "country"


def test_as_of_offsets_and_an_unescaped_plus():
    import datetime as dt

    from ilms.web.query import as_of
    utc = dt.datetime(2025, 1, 1, 5, 0, tzinfo=dt.timezone.utc)
    assert as_of("2025-01-01T12:00:00+07:00") == utc
    assert as_of("2025-01-01T12:00:00 07:00") == utc          # "+" sent unescaped arrives as a space
    assert as_of("2025-01-01T05:00:00Z") == utc
    assert as_of("2025-01-01T05:00") == utc                   # no offset: UTC
