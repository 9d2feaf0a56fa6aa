"""Property-based tests of every query entry point: whatever the path and parameters, the answer
is a 2xx/3xx or a clear 4xx, never a 5xx (the test client re-raises a server error)."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RUN = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

words = st.one_of(
    st.sampled_from(["", "*", "+", ".", "..", "...", ",", ":", "2020", "2019:2021", "2021:2019", ":2020", "2020:",
                     "2020-Q1", "2020-01-01", "2020-01-01T00:00:00Z", "2020-13-40", "9999-12-31T23:59:59+14:00",
                     "0000", "-1", "SEX_T", "SEX_T,SEX_F", "SEX_X", "THA", "THA+VNM", "tha", "ECO_ISIC4_A",
                     "2025-R1", "2025-R2", "latest", "all", "ge:2020", "ge:2020+le:2021", "eq:SEX_F", "ne:",
                     "co:A", "%", "%00", "\u0000", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
                     "A" * 300]),
    st.text(max_size=30),
)
param_names = st.sampled_from(["country", "year", "release", "as_of", "format", "SEX", "ECO", "MIG", "REF_AREA",
                               "SOURCE", "BASIS", "TIME_PERIOD", "startPeriod", "endPeriod", "updatedAfter",
                               "asOf", "dimensionAtObservation", "detail", "c[TIME_PERIOD]", "c[SEX]",
                               "c[REF_AREA]", "attributes", "measures", "includeHistory", "firstNObservations",
                               "lastNObservations", "references", "x"])
params = st.dictionaries(param_names, words, max_size=4)


def _ok(r) -> None:
    # 501: SDMX's answer to a feature the service does not implement (with a message saying which)
    assert r.status_code < 500 or (r.status_code == 501 and "error" in r.text), \
        (r.request.url, r.status_code, r.text[:300])
    if r.status_code >= 400 and r.headers.get("content-type", "").startswith("application/json"):
        assert r.text.strip(), "an error says what is wrong"


@RUN
@given(table=st.one_of(st.sampled_from(["5", "15", "05", "T05", "DF_ILMS_T05", "0", "18", "-1"]), words),
       query=params)
def test_json_api_data(client, table, query):
    _ok(client.get(f"/api/v1/tables/{quote(table, safe='')}/data", params=query))


@RUN
@given(name=words, query=params)
def test_release_names_everywhere(client, name, query):
    n = quote(name, safe="")
    for path in (f"/api/v1/releases/{n}", f"/downloads/{n}/", f"/downloads/{n}/manifest.json",
                 f"/api/v1/tables/5/data?release={n}"):
        _ok(client.get(path, params=query if "?" not in path else None))


keys = st.lists(words, min_size=1, max_size=7).map(".".join)
flows = st.sampled_from(["DF_ILMS_T05", "ILMS,DF_ILMS_T05,1.0", "ILMS,DF_ILMS_T15", "all", "DF_NOPE", "*"])


@RUN
@given(flow=flows, key=keys, query=params)
def test_sdmx_v1_data_keys_and_periods(client, flow, key, query):
    _ok(client.get(f"/rest/data/{quote(flow, safe=',')}/{quote(key, safe='.+')}", params=query))


#: ``attributes``/``measures`` take ids of the dataflow only: their own test below
V2_PARAMS = st.dictionaries(param_names.filter(lambda n: n not in ("attributes", "measures")), words, max_size=4)


@RUN
@given(flow=st.sampled_from(["DF_ILMS_T05", "DF_ILMS_T15", "*", "DF_NOPE"]), version=st.sampled_from(["1.0", "*", "~", "x"]),
       key=keys, query=V2_PARAMS)
def test_sdmx_v2_data_keys_and_filters(client, flow, version, key, query):
    _ok(client.get(f"/rest/v2/data/dataflow/ILMS/{flow}/{version}/{quote(key, safe='.+*,')}", params=query))


@pytest.mark.parametrize("parameter", ["attributes", "measures"])
def test_sdmx_v2_unknown_attribute_or_measure_is_a_400(client, parameter):
    r = client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/1.0/*", params={parameter: "SEX_T"})
    assert r.status_code == 400 and r.json()["parameter"] == parameter
