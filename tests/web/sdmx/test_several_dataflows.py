"""Data and availability over several dataflows (v2 wildcards, lists, context datastructure): one
message with a data set per dataflow that has data, valid against the official schemas and read
back by pysdmx and sdmx1; the size limit over the whole message. Both backends (the db fixture
holds tables 5 and 15)."""
from __future__ import annotations

import contextlib
import io
import json

import pytest
import sdmx
import sdmx.reader.xml.v30  # noqa: F401  before any 2.1 structure-specific read (see test_data_formats)
from lxml import etree
from pysdmx.io import read_sdmx

from ilms.publish.sdmx.data.layout import Layout
from ilms.publish.sdmx.data.options import DataOptions
from ilms.publish.sdmx.data.xmlparts import ns, ss_namespace
from ilms.publish.sdmx.schema import xsd
from ilms.tables import structure

from .conftest import rows

ALL = "/rest/v2/data/dataflow/ILMS/*/*/*"
SS21 = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
ML30 = "application/vnd.sdmx.data+xml;version=3.0.0"
JSON20 = "application/vnd.sdmx.data+json;version=2.0.0"
CSV20 = "application/vnd.sdmx.data+csv;version=2.0.0"
BOTH = {"DF_ILMS_T05", "DF_ILMS_T15"}


def ss_schema(shared_dir, tmp_path, version: str, tables=(5, 15)) -> etree.XMLSchema:
    """The message XSD with the structure-specific schema of each table."""
    folder = {"2.1": "sdmx-ml-2.1", "3.0": "sdmx-ml-3.0.0"}[version]
    base = shared_dir / "sdmx-reference" / "schemas" / folder
    imports = [f'<xs:import namespace="{ns(version, "message")}" schemaLocation="{(base / "SDMXMessage.xsd").as_uri()}"/>']
    for n in tables:
        table = structure().table(n)
        (tmp_path / f"t{n}.xsd").write_text(xsd(table, version, "TIME_PERIOD", base.as_uri() + "/"), encoding="utf-8")
        target = ss_namespace(Layout(table, DataOptions()))
        imports.append(f'<xs:import namespace="{target}" schemaLocation="t{n}.xsd"/>')
    (tmp_path / "wrap.xsd").write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                                       + "".join(imports) + "</xs:schema>", encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(tmp_path / "wrap.xsd")))


@pytest.mark.parametrize("media_type,version", [(SS21, "2.1"), (ML30, "3.0")])
def test_every_dataflow_in_one_sdmx_ml_message(db, media_type, version, shared_dir, tmp_path):
    r = db.client.get(ALL, headers={"Accept": media_type})
    assert r.status_code == 200, r.text
    doc = etree.fromstring(r.content)
    schema = ss_schema(shared_dir, tmp_path, version)
    assert schema.validate(doc), list(schema.error_log)[:3]
    assert len(doc.findall(".//{*}Header/{*}Structure")) == 2
    msg = read_sdmx(r.text)
    assert {d.short_urn.split(":")[-1].split("(")[0] for d in msg.data} == {"DSD_ILMS_T05", "DSD_ILMS_T15"}
    assert sorted(len(d.data) for d in msg.data) == [1, 6]      # T15: one observation, T05: six in R2
    if version == "3.0":
        with contextlib.redirect_stdout(io.StringIO()):
            got = sdmx.read_sdmx(io.BytesIO(r.content))
        assert sorted(len(ds.obs) for ds in got.data) == [1, 6]


def test_every_dataflow_in_one_sdmx_json_message(db, shared_dir):
    import jsonschema
    r = db.client.get(ALL, headers={"Accept": JSON20})
    assert r.status_code == 200, r.text
    doc = json.loads(r.content)
    schema = json.loads((shared_dir / "sdmx-reference" / "sdmx-json" / "2.0.0" / "sdmx-json-data-schema.json").read_text())
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
    assert not errors, [e.message[:200] for e in errors[:3]]
    data = doc["data"]
    assert [ds["structure"] for ds in data["dataSets"]] == [0, 1]
    assert [s["dataSets"] for s in data["structures"]] == [[0], [1]]
    assert {s["links"][0]["urn"].split(":")[-1].split("(")[0] for s in data["structures"]} == BOTH


def test_every_dataflow_in_one_sdmx_csv_message(db):
    r = db.client.get(ALL, headers={"Accept": CSV20})
    assert r.status_code == 200, r.text
    lines = r.text.splitlines()
    head = lines[0].split(",")
    t5, t15 = structure().table(5), structure().table(15)
    dims = list(t5.key_order) + ["TIME_PERIOD"] + [d for d in t15.key_order if d not in t5.key_order]
    assert head[3:3 + len(dims)] == dims                    # the field guide's column order
    assert all(len(line.split(",")) == len(head) for line in lines[1:])
    assert {line.split(",")[1] for line in lines[1:]} == {f"ILMS:{f}(1.0)" for f in BOTH}
    msg = read_sdmx(r.text)
    assert sum(len(d.data) for d in msg.data) == 7


def test_lists_and_context_datastructure(db, probe):
    got = rows(db.client.get("/rest/v2/data/datastructure/ILMS/DSD_ILMS_T05,DSD_ILMS_T15/+/*", headers=probe))
    assert len(got) == 7
    got = rows(db.client.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T15,DF_ILMS_T05/1.0/*", headers=probe))
    assert len(got) == 7
    # a key fitting only one of them: the other is left out; a c[] on a dimension only T05 has
    got = rows(db.client.get("/rest/v2/data/*/*/*/*/PHL.*.*.*.*", headers=probe))
    assert {r[0].split(".")[0] for r in got} == {"PHL"}
    got = rows(db.client.get(ALL, params={"c[ECO]": "ECO_ISIC4_TOTAL"}, headers=probe))
    assert {r[0].split(".")[0] for r in got} == {"THA"}
    # offset/limit over the whole message
    got = rows(db.client.get(ALL, params={"offset": "5", "limit": "2"}, headers=probe))
    assert len(got) == 2
    assert db.client.get("/rest/v2/data/dataflow/ILMS/*/*/ZZZ", headers=probe).status_code == 204


def test_formats_of_one_dataflow_refuse_several(db):
    for media_type in ("application/vnd.sdmx.data+json;version=1.0.0", "application/vnd.sdmx.data+csv;version=1.0.0"):
        assert db.client.get(ALL, headers={"Accept": media_type}).status_code == 406


def test_413_over_the_limit_counts_every_dataflow(db, probe):
    from fastapi.testclient import TestClient

    from ilms.web import create_app
    from ilms.web.settings import Settings
    small = TestClient(create_app(db.engine, Settings(sdmx_max_observations=6)))
    assert small.get("/rest/v2/data/dataflow/ILMS/DF_ILMS_T05/*/*", headers=probe).status_code == 200
    r = small.get(ALL, headers=probe)
    assert r.status_code == 413 and "7 observations" in r.json()["error"]


def test_availability_over_several_dataflows(db):
    xml = {"Accept": "application/vnd.sdmx.structure+xml;version=2.1"}
    r = db.client.get("/rest/v2/availability/datastructure/*/*/+/*/*", headers=xml)
    assert r.status_code == 200, r.text
    doc = etree.fromstring(r.content)
    constraints = doc.findall(".//{*}ContentConstraint")
    assert {c.get("id") for c in constraints} == {"CC_DF_ILMS_T05", "CC_DF_ILMS_T15"}
    assert {c.get("type") for c in constraints} == {"Actual"}
    got = read_sdmx(r.text).structures
    assert len(got) == 2
    r = db.client.get("/rest/v2/availability/dataflow/ILMS/*/*/PHL/*", headers=xml)
    assert [c.get("id") for c in etree.fromstring(r.content).findall(".//{*}ContentConstraint")] == ["CC_DF_ILMS_T15"]
