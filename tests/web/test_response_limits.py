"""The response-size limits, on both backends: the JSON/CSV data API counts its selection in SQL
and answers 413 over ``Limits.api_observations`` before a byte is streamed; a filter over
``Limits.filter_codes`` is a 400; the portal explorer shows at most ``Limits.explorer_observations``.
Table 5 of the published release 2025-R1 holds 6 observations (``tests/web/conftest.py``)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ilms.limits import Limits
from ilms.web import create_app
from ilms.web.settings import Settings

DATA5 = "/api/v1/tables/5/data"


def _client(published, **limits) -> TestClient:
    return TestClient(create_app(published.engine, Settings(limits=Limits(**limits))))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_data_api_answers_413_over_its_limit(published, fmt):
    at_limit = _client(published, api_observations=6).get(DATA5, params={"format": fmt})
    assert at_limit.status_code == 200
    if fmt == "json":
        assert at_limit.json()["count"] == 6
    else:
        assert at_limit.text.strip().count("\n") == 6           # a header and the 6 observations
    small = _client(published, api_observations=5)
    r = small.get(DATA5, params={"format": fmt})
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/json")
    error = r.json()["error"]
    assert error.startswith("this selection holds 6 observations, more than the limit of 5 for one response "
                            "(ILMS_LIMIT_API_OBSERVATIONS)")
    assert "/api/v1/tables/5" in error and "/downloads" in error and "/api/v1/releases" in error
    narrowed = small.get(DATA5, params={"format": "json", "SEX": "SEX_F"})   # 2 observations: served
    assert narrowed.status_code == 200 and narrowed.json()["count"] == 2


def test_the_data_api_counts_the_release_asked_for(published):
    """The count is of the vintage served: release 2025-R1 (6) vs the data as of before the correction."""
    small = _client(published, api_observations=5)
    assert small.get(DATA5, params={"release": "2025-R1"}).status_code == 413
    assert small.get(DATA5, params={"year": "2019"}).json()["count"] == 1


def test_a_filter_over_the_code_limit_is_a_400_naming_the_setting(published):
    r = _client(published, filter_codes=2).get(DATA5, params={"SEX": "SEX_T,SEX_M,SEX_F"})
    assert r.status_code == 400 and r.json()["parameter"] == "SEX"
    assert "at most 2 codes, got 3 (ILMS_LIMIT_FILTER_CODES)" in r.json()["error"]


def test_the_sdmx_limit_is_the_same_object(published):
    r = _client(published, sdmx_observations=5).get("/rest/data/DF_ILMS_T05",
                                                     headers={"Accept": "application/vnd.sdmx.data+csv"})
    assert r.status_code == 413 and "6 observations, more than the limit of 5" in r.json()["error"]


def test_the_explorer_shows_at_most_its_limit(published):
    html = {"accept": "text/html"}
    full = _client(published).get("/tables/5", headers=html)
    assert full.status_code == 200
    small = _client(published, explorer_observations=1).get("/tables/5", headers=html)
    assert small.status_code == 413 and "a page shows at most 1." in small.text
