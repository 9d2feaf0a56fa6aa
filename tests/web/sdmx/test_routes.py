"""The SDMX routes on both backends: vintages, history, keys, statuses, gzip, validators."""
from __future__ import annotations

import gzip

import pytest

from .conftest import PROBE, rows

TOTAL = "THA.BA_453.BIR.SEX_T.ECO_ISIC4_TOTAL.MIG_STATUS_TOTAL"


def value_of(result, key, time_):
    return [r[2] for r in result if r[0] == key and r[1] == time_]


def test_default_is_latest_published_release_never_unpublished(db, probe):
    got = rows(db.client.get("/rest/data/DF_ILMS_T05", headers=probe))
    assert value_of(got, TOTAL, "2020") == ["110.0"]
    got = rows(db.client.get("/rest/data/DF_ILMS_T05", params={"release": "R1"}, headers=probe))
    assert value_of(got, TOTAL, "2020") == ["100.0"]
    assert db.client.get("/rest/data/DF_ILMS_T05", params={"release": "nope"}, headers=probe).status_code == 404


def test_as_of_returns_the_value_before_the_revision(db, probe):
    url = "/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/THA.*.*.SEX_T"
    now = rows(db.client.get(url, headers=probe))
    before = rows(db.client.get(url, params={"asOf": db.between}, headers=probe))
    assert value_of(now, TOTAL, "2020") == ["110.0"]
    assert value_of(before, TOTAL, "2020") == ["100.0"]
    assert value_of(before, TOTAL, "2021") == []


def test_updated_after_returns_just_the_changes(db, probe):
    got = rows(db.client.get("/rest/data/DF_ILMS_T05", params={"updatedAfter": db.between}, headers=probe))
    assert sorted((r[1], r[2]) for r in got) == [("2020", "110.0"), ("2021", "120.0")]
    assert {r[0] for r in got} == {TOTAL}


def test_include_history_returns_both_versions(db, probe):
    got = rows(db.client.get(f"/rest/data/DF_ILMS_T05/{TOTAL}", params={"includeHistory": "true"}, headers=probe))
    assert value_of(got, TOTAL, "2020") == ["100.0", "110.0"]          # never the unpublished 999
    assert value_of(got, TOTAL, "2019") == ["95.0"]


def test_v1_wildcards_and_or(db, probe):
    got = rows(db.client.get("/rest/data/ILMS,DF_ILMS_T05,1.0/THA...SEX_M+SEX_F.ECO_ISIC4_TOTAL", headers=probe))
    assert sorted(r[0].split(".")[3] for r in got) == ["SEX_F", "SEX_M"]


def test_v2_several_keys_and_component_filters(db, probe):
    got = rows(db.client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/*/THA.*.*.SEX_M,THA.*.*.SEX_F.ECO_ISIC4_A",
                             headers=probe))
    assert sorted(r[0].split(".")[3] + r[0].split(".")[4] for r in got) == ["SEX_FECO_ISIC4_A", "SEX_MECO_ISIC4_TOTAL"]
    got = rows(db.client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/*/*?c[SEX]=ne:SEX_T&c[ECO]=ECO_ISIC4_TOTAL",
                             headers=probe))
    assert sorted(r[0].split(".")[3] for r in got) == ["SEX_F", "SEX_M"]
    got = rows(db.client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/*/*?c[TIME_PERIOD]=ge:2020+le:2020",
                             headers=probe))
    assert {r[1] for r in got} == {"2020"}


def test_confidential_values_are_masked(db, probe):
    got = rows(db.client.get("/rest/data/DF_ILMS_T05/THA.BA_453.BIR.SEX_F.ECO_ISIC4_A.MIG_STATUS_TOTAL", headers=probe))
    assert got == [("THA.BA_453.BIR.SEX_F.ECO_ISIC4_A.MIG_STATUS_TOTAL", "2020", "")]


def test_first_and_last_n_observations(db, probe):
    got = rows(db.client.get(f"/rest/data/DF_ILMS_T05/{TOTAL}", params={"lastNObservations": "1"}, headers=probe))
    assert [r[1] for r in got] == ["2021"]
    got = rows(db.client.get(f"/rest/data/DF_ILMS_T05/{TOTAL}", params={"firstNObservations": "1"}, headers=probe))
    assert [r[1] for r in got] == ["2019"]


def test_no_data_is_404_in_v1_and_204_in_v2(db, probe):
    assert db.client.get("/rest/data/DF_ILMS_T05/VNM", headers=probe).status_code == 404
    r = db.client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/VNM", headers=probe)
    assert r.status_code == 204 and r.content == b""


def test_unknown_dataflow_is_404_syntax_error_400(db, probe):
    assert db.client.get("/rest/data/DF_NOPE", headers=probe).status_code == 404
    r = db.client.get("/rest/data/DF_ILMS_T05", params={"lastNObservations": "0"}, headers=probe)
    assert r.status_code == 400 and r.json()["parameter"] == "lastNObservations"
    assert db.client.get("/rest/data/DF_ILMS_T05/A.B.C.D.E.F.G.H", headers=probe).status_code == 400


def test_unsupported_accept_is_406(db, probe):
    r = db.client.get("/rest/data/DF_ILMS_T05", headers={"Accept": "application/vnd.sdmx.nothing+xml;version=9"})
    assert r.status_code == 406


def test_unimplemented_is_501_and_unpublished_types_404(db):
    """501 only for what docs/sdmx-rest.md lists as not implemented; a standard structure type
    with no artefact here is a 404 (nothing matches), a type outside the standard a 400."""
    assert db.client.get("/rest/v2/metadata/structure/dataflow/ILMS/DF_ILMS_T05/1.0").status_code == 501
    assert db.client.get("/rest/v2/registration/id/X").status_code == 501
    assert db.client.get("/rest/structureset/ILMS/all/latest").status_code == 404
    assert db.client.get("/rest/v2/structure/metadatastructure/*/*/*").status_code == 404
    r = db.client.get("/rest/v2/structure/nonsense/*/*/*")
    assert r.status_code == 400 and r.json()["parameter"] == "structureType"


def test_gzip_and_validators(db, probe):
    url = "/rest/data/DF_ILMS_T05"
    plain = db.client.get(url, headers=probe)
    zipped = db.client.get(url, headers={**probe, "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.text == plain.text                 # the client decompresses
    tag, modified = plain.headers["etag"], plain.headers["last-modified"]
    assert db.client.get(url, headers={**probe, "If-None-Match": tag}).status_code == 304
    assert db.client.get(url, headers={**probe, "If-Modified-Since": modified}).status_code == 304
    assert db.client.get(url, params={"release": "R1"}, headers={**probe, "If-None-Match": tag}).status_code == 200


def test_gzip_stream_is_valid_gzip(db, probe):
    with db.client.stream("GET", "/rest/data/DF_ILMS_T05", headers={**probe, "Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
    assert gzip.decompress(raw).decode().count("\n") == 7      # header + the 6 observations of table 5 in R2


def test_413_over_the_limit_points_to_bulk_downloads(db, probe):
    """Table 5 has 6 observations in R2: a limit of 6 serves them, a limit of 5 is a 413 (the limit
    comes from the web settings, ILMS_WEB_SDMX_MAX_OBSERVATIONS)."""
    from fastapi.testclient import TestClient

    from ilms.web import create_app
    from ilms.web.settings import Settings
    assert Settings().sdmx_max_observations == 25_000_000
    exact = TestClient(create_app(db.engine, Settings(sdmx_max_observations=6)))
    assert len(rows(exact.get("/rest/data/DF_ILMS_T05", headers=probe))) == 6
    small = TestClient(create_app(db.engine, Settings.from_env({"ILMS_WEB_SDMX_MAX_OBSERVATIONS": "5"})))
    r = small.get("/rest/data/DF_ILMS_T05", headers=probe)
    assert r.status_code == 413 and "bulk download" in r.json()["error"]
    assert "6 observations" in r.json()["error"] and "limit of 5" in r.json()["error"]
    r = small.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/*", params={"limit": 5}, headers=probe)
    assert r.status_code == 200 and len(rows(r)) == 5     # a v2 page within the limit is served


def test_availability_exact_and_available(db):
    xml = "application/vnd.sdmx.structure+xml;version=2.1"
    r = db.client.get("/rest/availableconstraint/DF_ILMS_T05/THA...SEX_F/all/all", headers={"Accept": xml})
    assert r.status_code == 200, r.text
    assert 'type="Actual"' in r.text and "SEX_F" in r.text and "SEX_M" not in r.text
    assert "obs_count" in r.text
    r = db.client.get("/rest/availableconstraint/DF_ILMS_T05/THA...SEX_F/all/SEX", params={"mode": "available"},
                      headers={"Accept": xml})
    assert "SEX_M" in r.text and "SEX_T" in r.text
    r = db.client.get("/rest/v2/availability/dataflow/ILMS/DF_ILMS_T05/+/THA/*")
    assert r.headers["content-type"] == "application/vnd.sdmx.structure+xml;version=3.0.0"
    assert r.status_code == 200 and 'role="Actual"' in r.text
    assert "2019" in r.text and "2021" in r.text


def test_structures_both_versions_and_defaults(db):
    r1 = db.client.get("/rest/dataflow/ILMS/DF_ILMS_T05/latest")
    assert r1.status_code == 200 and r1.headers["content-type"] == "application/vnd.sdmx.structure+xml;version=2.1"
    assert 'id="DF_ILMS_T05"' in r1.text
    r2 = db.client.get("/rest/v2/structure/dataflow/ILMS/DF_ILMS_T05/~")
    assert r2.status_code == 200 and r2.headers["content-type"] == "application/vnd.sdmx.structure+json;version=2.1.0"
    assert r2.json()["data"]["dataflows"][0]["id"] == "DF_ILMS_T05"
    r3 = db.client.get("/rest/v2/structure/codelist/ILMS/CL_SEX/*", headers={"Accept": "application/xml"})
    assert r3.headers["content-type"] == "application/vnd.sdmx.structure+xml;version=3.1.0" and "SEX_F" in r3.text
    assert db.client.get("/rest/codelist/ILMS/CL_NOPE/latest").status_code == 404
    assert db.client.get("/rest/codelist/OTHER/CL_SEX").status_code == 404
    assert db.client.get("/rest/codelist/ILMS/CL_SEX/latest", params={"detail": "much"}).status_code == 400
    tag = r1.headers["etag"]
    assert db.client.get("/rest/dataflow/ILMS/DF_ILMS_T05/latest", headers={"If-None-Match": tag}).status_code == 304


def test_agency_scheme_is_found_under_its_own_agency_sdmx(db):
    """SDMX:AGENCIES(1.0) lists ILMS; asking for agency SDMX gives it (and only it), asking for
    ILMS gives the ILMS artefacts and not the scheme."""
    r = db.client.get("/rest/agencyscheme/SDMX/AGENCIES/1.0")
    assert r.status_code == 200, r.text
    assert 'agencyID="SDMX"' in r.text and 'id="ILMS"' in r.text
    r = db.client.get("/rest/v2/structure/agencyscheme/SDMX/AGENCIES/1.0")
    assert r.status_code == 200 and r.json()["data"]["agencySchemes"][0]["agencyID"] == "SDMX"
    assert db.client.get("/rest/agencyscheme/ILMS/AGENCIES/1.0").status_code == 404
    assert db.client.get("/rest/codelist/SDMX/CL_SEX/1.0").status_code == 404
    r = db.client.get("/rest/v2/structure/*/SDMX/*/*")
    assert r.status_code == 200 and list(r.json()["data"]) == ["agencySchemes"]
    r = db.client.get("/rest/v2/structure/*/ILMS,SDMX/*/*")
    assert r.status_code == 200 and {"agencySchemes", "codelists", "dataflows"} <= set(r.json()["data"])


def _constraint(r) -> tuple[dict[str, set[str]], int]:
    """(dimension -> codes, obs_count) of an SDMX-ML 2.1 availability answer."""
    from lxml import etree
    assert r.status_code == 200, r.text
    doc = etree.fromstring(r.content)
    ns = {"c": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"}
    values = {kv.get("id"): {v.text for v in kv.findall("c:Value", ns)} for kv in doc.iterfind(".//c:KeyValue", ns)}
    [obs] = [a.findtext("c:AnnotationTitle", namespaces=ns) for a in doc.iterfind(".//c:Annotation", ns)
             if a.get("id") == "obs_count"]
    return values, int(obs)


def test_availability_of_several_keys_is_their_or_not_the_hull(db, probe):
    """THA SEX_M (any ECO) OR THA SEX_F ECO_ISIC4_A: two observations in R2. The hull of the two
    keys (SEX_M or SEX_F, ECO any or A) would also hold SEX_F ECO_ISIC4_TOTAL: three."""
    xml = {"Accept": "application/vnd.sdmx.structure+xml;version=2.1"}
    keys = "THA.*.*.SEX_M.*.*,THA.*.*.SEX_F.ECO_ISIC4_A.*"
    url = f"/rest/v2/availability/dataflow/ILMS/DF_ILMS_T05/+/{keys}"
    values, obs = _constraint(db.client.get(f"{url}/*", headers=xml))
    assert obs == 2
    assert values["SEX"] == {"SEX_M", "SEX_F"} and values["ECO"] == {"ECO_ISIC4_TOTAL", "ECO_ISIC4_A"}
    data = rows(db.client.get(f"/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/{keys}", headers=probe))
    assert len(data) == obs                          # availability counts what the data query returns
    # available: each dimension's own filter left out of every key
    values, _ = _constraint(db.client.get(f"{url}/SEX", params={"mode": "available"}, headers=xml))
    assert values == {"SEX": {"SEX_T", "SEX_M", "SEX_F"}}
    values, _ = _constraint(db.client.get(f"{url}/ECO", params={"mode": "available"}, headers=xml))
    assert values == {"ECO": {"ECO_ISIC4_TOTAL", "ECO_ISIC4_A"}}
    # an equality filter applies to every key; keys it empties drop out
    values, obs = _constraint(db.client.get(f"{url}/*", params={"c[ECO]": "ECO_ISIC4_A"}, headers=xml))
    assert obs == 1 and values["SEX"] == {"SEX_F"}
    r = db.client.get(f"{url}/*", params={"c[SEX]": "SEX_T"}, headers=xml)
    assert r.status_code == 204
    # several keys still 501 with what SQL cannot answer
    assert db.client.get(f"{url}/*", params={"c[OBS_VALUE]": "gt:1"}, headers=xml).status_code == 501
