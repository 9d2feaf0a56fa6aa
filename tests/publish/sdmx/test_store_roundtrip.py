"""From the store to SDMX and back, on SQLite and PostgreSQL: what store.write keeps, the data
messages carry; a confidential value stored with its number comes out without it."""
from __future__ import annotations

import json

import pytest
from pysdmx.io import read_sdmx

from ilms.publish.sdmx.data import DataOptions, write_data
from ilms.store import sources
from ilms.store.read import Selection, observations
from ilms.store.write import write
from ilms.tables import structure

from .conftest import assert_valid_json, assert_valid_xml, sample
from .test_data_formats import check_rows, decode_json

SECRET = 55.5


def stored():
    return [o.with_(value=SECRET) if o.confidential else o for o in sample()]


@pytest.fixture
def loaded(engine):
    with engine.begin() as conn:
        sources.ensure(conn, {"BA_453": "THA"})
        summary = write(conn, stored(), kind="load", by="pytest", reason="SDMX round trip")
    assert summary.added == len(sample())
    return engine


@pytest.mark.parametrize("media_type", ["application/vnd.sdmx.structurespecificdata+xml;version=2.1",
                                        "application/vnd.sdmx.data+xml;version=3.0.0",
                                        "application/vnd.sdmx.data+csv;version=2.0.0"])
def test_store_to_sdmx_to_pysdmx(loaded, media_type, data_schema):
    with loaded.connect() as conn:
        payload = b"".join(write_data(structure().table(5), observations(conn, Selection(table=5)), media_type))
    assert str(SECRET).encode() not in payload
    if "xml" in media_type:
        assert_valid_xml(data_schema(5, "2.1" if media_type.endswith("2.1") else "3.0"), payload)
    df = read_sdmx(payload.decode()).data[0].data
    t5 = structure().table(5)
    rows = []
    for r in df.to_dict("records"):
        value = r["OBS_VALUE"] if str(r["OBS_VALUE"]) not in ("", "<NA>", "nan") else None
        attrs = {k: (None if v is None or str(v) in ("", "<NA>", "nan") else str(v)) for k, v in r.items()
                 if k not in (*t5.key_order, "TIME_PERIOD", "OBS_VALUE")}
        rows.append((tuple(r[d] for d in t5.key_order), r["TIME_PERIOD"], value, attrs))
    check_rows(rows)


def test_store_to_sdmx_json(loaded, json_schema):
    with loaded.connect() as conn:
        payload = b"".join(write_data(structure().table(5), observations(conn, Selection(table=5)),
                                      "application/vnd.sdmx.data+json;version=2.1.0",
                                      DataOptions(dimension_at_observation="AllDimensions")))
    doc = assert_valid_json(json_schema("data", "2.1.0"), payload)
    assert str(SECRET) not in payload.decode()
    check_rows(list(decode_json(doc)))
