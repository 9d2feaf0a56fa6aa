"""History and changes through the SDMX service, on both backends: write, revise, delete, publish;
``includeHistory`` gives every version of the store with its validity period and action
(``Replace``, ``Delete``) and ``updatedAfter`` the versions written after that time, deletions
included -- exactly the store's versions, read back by pysdmx and sdmx1, schema-valid."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import time

import pytest
import sdmx
import sdmx.reader.xml.v30  # noqa: F401  before any 2.1 structure-specific read (see test_data_formats)
from fastapi.testclient import TestClient
from lxml import etree
from pysdmx.io import read_sdmx

from ilms.observation import Observation
from ilms.store import changesets, read, releases, sources, write
from ilms.web import create_app

from .conftest import t5

GENERIC = "application/vnd.sdmx.genericdata+xml;version=2.1"
SS21 = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
JSON21 = "application/vnd.sdmx.data+json;version=2.1.0"
CSV21 = "application/vnd.sdmx.data+csv;version=2.1.0"
URL = "/rest/data/DF_ILMS_T05"
V2 = "/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/+/*"


@pytest.fixture
def history(engine):
    """cs1 load, cs2 revise (2020 total) and add 2021, cs3 delete (2020 men), release; cs4 an
    unpublished revision of 2019 (must never show, not even as the end of 2019's validity)."""
    with engine.begin() as conn:
        sources.upsert(conn, "BA_453", "THA", name="Labour Force Survey")
        write.write(conn, [t5("SEX_T", "ECO_ISIC4_TOTAL", "2019", 95.0), t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 100.0),
                           t5("SEX_M", "ECO_ISIC4_TOTAL", "2020", 60.0)], kind="load", by="pytest")
    time.sleep(0.02)
    with engine.begin() as conn:
        write.write(conn, [t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 110.0), t5("SEX_T", "ECO_ISIC4_TOTAL", "2021", 120.0)],
                    kind="correction", by="pytest")
    time.sleep(0.02)
    with engine.begin() as conn:
        write.delete(conn, [(5, t5("SEX_M", "ECO_ISIC4_TOTAL", "2020", 0).key, "2020")], by="pytest")
        releases.create(conn, "R1", by="pytest")
        releases.publish(conn, "R1", by="pytest")
    time.sleep(0.02)
    with engine.begin() as conn:
        write.write(conn, [t5("SEX_T", "ECO_ISIC4_TOTAL", "2019", 1.0)], kind="correction", by="pytest")
    return engine, TestClient(create_app(engine))


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    value = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat().replace("+00:00", "Z")


def store_versions(engine, after: int = 0) -> set[tuple]:
    """(sex, period, value, action, valid from, valid to) of every version up to the release (cut 3)."""
    with engine.connect() as conn:
        at = changesets.written_at(conn, 3)
        out = set()
        for v in read.history(conn, 5):
            if v["valid_from"] > 3 or v["valid_from"] <= after:
                continue
            o: Observation = v["observation"]
            to = v["valid_to"] if v["valid_to"] is not None and v["valid_to"] <= 3 else None
            out.add((o.key[3], o.time, None if v["deleted"] else o.value, "Delete" if v["deleted"] else "Replace",
                     _iso(at[v["valid_from"]]), _iso(at[to]) if to else None))
        return out


def message_versions(payload: bytes) -> set[tuple]:
    """The same tuples, from an SDMX-ML 2.1 generic message (data set attributes and observations)."""
    doc = etree.fromstring(payload)
    out = set()
    for ds in doc.iter("{*}DataSet"):
        for series in ds.iter("{*}Series"):
            sex = series.find("{*}SeriesKey/{*}Value[@id='SEX']").get("value")
            for obs in series.iter("{*}Obs"):
                value = obs.find("{*}ObsValue")
                out.add((sex, obs.find("{*}ObsDimension").get("value"),
                         None if value is None else float(value.get("value")),
                         ds.get("action"), ds.get("validFromDate"), ds.get("validToDate")))
    return out


def test_include_history_reproduces_the_stores_versions(history, shared_dir):
    engine, client = history
    r = client.get(URL, params={"includeHistory": "true"}, headers={"Accept": GENERIC})
    assert r.status_code == 200, r.text
    want = store_versions(engine)
    assert message_versions(r.content) == want
    assert len(want) == 6 and ("SEX_M", "2020", None, "Delete", want and _delete_time(want), None) in want
    assert not any(v[2] == 1.0 for v in want)                  # the unpublished revision: never
    assert all(v[5] is None for v in want if v[1] == "2019")    # ... nor the end it puts to 2019's validity
    xsd = etree.XMLSchema(etree.parse(str(shared_dir / "sdmx-reference" / "schemas" / "sdmx-ml-2.1" / "SDMXMessage.xsd")))
    assert xsd.validate(etree.fromstring(r.content)), list(xsd.error_log)[:3]


def _delete_time(versions) -> str:
    return next(v[4] for v in versions if v[3] == "Delete")


def test_updated_after_reports_revisions_and_deletions(history):
    engine, client = history
    with engine.connect() as conn:
        after = changesets.get(conn, 1)["created_at"]
    when = _iso(after)
    r = client.get(URL, params={"updatedAfter": when}, headers={"Accept": GENERIC})
    assert r.status_code == 200, r.text
    got = message_versions(r.content)
    assert got == store_versions(engine, after=1)
    assert {(v[0], v[1], v[3]) for v in got} == {("SEX_T", "2020", "Replace"), ("SEX_T", "2021", "Replace"),
                                                 ("SEX_M", "2020", "Delete")}


def test_history_read_back_by_pysdmx_and_sdmx1(history):
    _, client = history
    r = client.get(URL, params={"includeHistory": "true"}, headers={"Accept": SS21})
    assert r.status_code == 200, r.text
    datasets = read_sdmx(r.text).data
    assert [d.action.value for d in datasets].count("Delete") == 1
    assert sum(len(d.data) for d in datasets) == 6
    # sdmx1 reads the data set actions of SDMX-CSV (not of SDMX-ML data sets)
    with contextlib.redirect_stdout(io.StringIO()):
        flows = sdmx.read_sdmx(io.BytesIO(client.get("/rest/dataflow/ILMS/DF_ILMS_T05/latest",
                                                     params={"references": "all"}).content))
        r = client.get(V2, params={"includeHistory": "true"},
                       headers={"Accept": "application/vnd.sdmx.data+csv;version=2.0.0"})
        msg = sdmx.read_sdmx(io.BytesIO(r.content), format="csv", structure=flows.dataflow["DF_ILMS_T05"])
    by_action = {str(ds.action).split(".")[-1].lower(): len(ds.obs) for ds in msg.data}
    assert by_action == {"replace": 5, "delete": 1}


def test_history_in_json_and_csv(history, shared_dir):
    import jsonschema
    engine, client = history
    r = client.get(V2, params={"includeHistory": "true"}, headers={"Accept": JSON21})
    assert r.status_code == 200, r.text
    doc = json.loads(r.content)
    schema = json.loads((shared_dir / "sdmx-reference" / "sdmx-json" / "2.1.0" / "sdmx-json-data-schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    errors = list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(doc))   # validFrom: date or date-time
    assert not errors, [e.message[:200] for e in errors[:3]]
    sets = doc["data"]["dataSets"]
    assert {s["action"] for s in sets} == {"Replace", "Delete"}
    assert all(s["validFrom"] for s in sets) and all(s["structure"] == 0 for s in sets)
    assert doc["data"]["structures"][0]["dataSets"] == list(range(len(sets)))
    r = client.get(V2, params={"includeHistory": "true"}, headers={"Accept": CSV21})
    actions = [line.split(",")[2] for line in r.text.splitlines()[1:]]
    assert sorted(actions) == ["D", "R", "R", "R", "R", "R"]
    r = client.get(URL, params={"includeHistory": "true"},
                   headers={"Accept": "application/vnd.sdmx.data+csv;version=1.0.0"})
    assert r.status_code == 406 and r.json()["parameter"] == "Accept"
