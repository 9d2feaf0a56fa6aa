"""Every data writer: valid against the official schemas, values and attributes read back by
pysdmx / sdmx1 (or decoded from SDMX-JSON by hand), confidential values masked, options honoured."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import math

import pytest
import sdmx
import sdmx.reader.xml.v30  # noqa: F401  before any 2.1 structure-specific read: sdmx1 builds its 3.0
#                             parsers from the 2.1 ones on import and fails on the namespaces a 2.1 read adds
from pysdmx.io import read_sdmx

from ilms.publish.sdmx import structures as st
from ilms.publish.sdmx.data import (DataOptions, InvalidOption, MessageHeader, NotAcceptable,
                                    content_type, default_media_type, media_types, observation_order,
                                    write_data)
from ilms.publish.sdmx.data.layout import number, sdmx_time
from ilms.tables import structure

from .conftest import T5_KEY, T5_MIG, assert_valid_json, assert_valid_xml, sample, wage_sample

T5 = structure().table(5)
XML = {m: ("2.1" if m.endswith("2.1") else m[-5:-2]) for m in media_types() if "+xml" in m}
JSON = {m: {"1.0.0": "1.0"}.get(m[-5:], m[-5:]) for m in media_types() if "+json" in m}
CSV = [m for m in media_types() if "+csv" in m]
TIME_SERIES_ONLY = [m for m in media_types() if "timeseries" in m]
#: the time period, every dimension, and (series of one period) the last and a middle dimension
DAOS = ("TIME_PERIOD", "AllDimensions", "MIG", "SEX")
HEADER = MessageHeader(id="IREF1", release="2025-1", checksum="ab" * 32)


def write(media_type, obs=None, table=T5, **opts) -> bytes:
    """The message, the observations given in the order the writer asks for (as the store reads them)."""
    options = DataOptions(header=HEADER, **opts)
    obs = list(obs if obs is not None else sample())
    order = observation_order(table, media_type, options.dimension_at_observation)
    pos = {d: i for i, d in enumerate(table.key_order)}
    if all(d == "TIME_PERIOD" or d in pos for d in order):     # (an unknown dimension: the writer refuses)
        obs.sort(key=lambda o: tuple(o.time if d == "TIME_PERIOD" else o.key[pos[d]] for d in order))
    return b"".join(write_data(table, iter(obs), media_type, options))


def cases():
    for m in media_types():
        for dao in DAOS:
            if dao != "TIME_PERIOD" and m in TIME_SERIES_ONLY:
                continue
            yield m, dao


def expected():
    """What a reader must get back: SDMX time -> (value, attributes) for table 5's sample."""
    out = {}
    for o in sample():
        attrs = {"OBS_CONF": "C" if o.confidential else "F", "UNIT_MEASURE": "PS", "UNIT_MULT": "3"}
        for k, v in (("OBS_STATUS", o.status), ("NOTE_CLASSIF", o.note_classif), ("NOTE_INDICATOR", o.note_indicator),
                     ("NOTE_SOURCE", o.note_source), ("COMMENT", o.comment),
                     ("DECIMALS", None if o.decimals is None else str(o.decimals))):
            if v is not None:
                attrs[k] = v
        out[(o.key, sdmx_time(o.time))] = (o.value, attrs)
    return out


def check_rows(rows):
    """rows: (key tuple, time, value or None, {attr: value}) as a reader gave them back."""
    want = expected()
    assert len(rows) == len(want)
    for key, time, value, attrs in rows:
        exp_value, exp_attrs = want[(tuple(key), time)]
        if exp_value is None:
            assert value is None, (key, time, value)
        else:
            assert float(value) == exp_value          # exact: shortest round-trip decimals
        got = {k: v for k, v in attrs.items() if v not in (None, "")}
        assert got == exp_attrs, (key, time)


@pytest.mark.parametrize("media_type,dao", [c for c in cases() if c[0] in XML])
def test_sdmx_ml_is_valid_and_pysdmx_reads_back_every_value_and_attribute(media_type, dao, data_schema):
    payload = write(media_type, dimension_at_observation=dao)
    assert_valid_xml(data_schema(5, XML[media_type], dao), payload)
    msg = read_sdmx(payload.decode("utf-8"))
    assert msg.header.source == "ILMS release 2025-1, SHA-256 " + "ab" * 32
    df = msg.data[0].data
    rows = []
    for rec in df.to_dict("records"):
        attrs = {k: (None if _missing(v) else str(v)) for k, v in rec.items()
                 if k not in (*T5.key_order, "TIME_PERIOD", "OBS_VALUE")}
        value = None if _missing(rec.get("OBS_VALUE")) else rec["OBS_VALUE"]
        rows.append((tuple(rec[d] for d in T5.key_order), rec["TIME_PERIOD"], value, attrs))
    check_rows(rows)


def _missing(v) -> bool:
    return v is None or v == "" or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "nan")


@pytest.mark.parametrize("media_type,dao", [c for c in cases() if c[0] in XML and XML[c[0]] in ("2.1", "3.0")])
def test_sdmx_ml_2_1_and_3_0_read_back_by_sdmx1(media_type, dao):
    dsd = st.artefacts()  # noqa: F841  (structure for sdmx1 comes from our own 2.1 message)
    structure_msg = _sdmx1(st.structure_message("datastructure", ["DSD_ILMS_T05"]))
    kwargs = {"structure": structure_msg.structure["DSD_ILMS_T05"]} if XML[media_type] == "2.1" else {}
    msg = _sdmx1(write(media_type, dimension_at_observation=dao), **kwargs)
    assert "2025-1" in str(msg.header.source) and "ab" * 32 in str(msg.header.source)
    check_rows(list(_sdmx1_rows(msg)))


@pytest.mark.parametrize("media_type", [m for m in XML if XML[m] == "2.1"])
def test_release_travels_in_the_header_source_never_as_a_data_set_annotation(media_type):
    """sdmx1 2.28 never collects an Annotation inside an SDMX-ML 2.1 DataSet: a message with one
    fails with "1 uncollected items" (the header's Source is read by sdmx1 and pysdmx alike)."""
    payload = write(media_type)
    assert b"<message:Source xml:lang=\"en\">ILMS release 2025-1, SHA-256 " + b"ab" * 32 in payload
    assert b"Annotation" not in payload
    annotated = payload.replace(b'structureRef="ILMS_DSD_ILMS_T05_1_0">', b'structureRef="ILMS_DSD_ILMS_T05_1_0">'
                                b"<common:Annotations><common:Annotation><common:AnnotationType>ILMS_RELEASE"
                                b"</common:AnnotationType></common:Annotation></common:Annotations>", 1)
    assert annotated != payload
    with pytest.raises(RuntimeError, match="uncollected items"):
        _sdmx1(annotated)
    assert "2025-1" in str(_sdmx1(payload).header.source)


def _sdmx1(payload: bytes, **kw):
    with contextlib.redirect_stdout(io.StringIO()):
        return sdmx.read_sdmx(io.BytesIO(payload), **kw)


def _sdmx1_rows(msg):
    for ds in msg.data:
        for o in ds.obs:
            key = {kv.id: str(kv.value) for kv in o.key.values.values()}
            value = o.value if o.value not in (None, "") else None
            attrs = {k: str(v.value) for k, v in o.attached_attribute.items()}
            # without a DSD (3.0: sdmx1 cannot take one) a flat observation's attributes come as key values
            attrs.update({k: v for k, v in key.items() if k not in (*T5.key_order, "TIME_PERIOD")})
            yield tuple(key[d] for d in T5.key_order), key["TIME_PERIOD"], value, attrs


@pytest.mark.parametrize("media_type,dao", [c for c in cases() if c[0] in JSON])
def test_sdmx_json_is_valid_and_decodes_to_the_values_written(media_type, dao, json_schema):
    doc = assert_valid_json(json_schema("data", JSON[media_type]), write(media_type, dimension_at_observation=dao))
    assert doc["meta"]["id"] == "IREF1" and "2025-1" in doc["meta"]["name"]
    check_rows(list(decode_json(doc)))


def decode_json(doc):
    """An independent SDMX-JSON reader: positions -> values, for 1.0 and 2.x."""
    data = doc["data"]
    struct = data.get("structure") or data["structures"][data["dataSets"][0].get("structure", 0)]
    dims = struct["dimensions"]
    attrs = struct["attributes"]["observation"]
    n_measures = len(struct.get("measures", {}).get("observation", [None]))

    def values(component):
        return [v.get("id", v.get("value", v.get("name"))) for v in component.get("values", [])]

    def obs_rows(prefix, observations):
        for okey, arr in observations.items():
            k = dict(prefix)
            for dim, pos in zip(dims["observation"], okey.split(":")):
                k[dim["id"]] = values(dim)[int(pos)]
            value = arr[0] if n_measures else None
            got = {a["id"]: (None if i is None else values(a)[i]) for a, i in zip(attrs, arr[n_measures:])}
            yield tuple(k[d] for d in T5.key_order), k["TIME_PERIOD"], value, got

    for ds in data["dataSets"]:
        for skey, s in ds.get("series", {}).items():
            prefix = {dim["id"]: values(dim)[int(p)] for dim, p in zip(dims["series"], skey.split(":"))}
            yield from obs_rows(prefix, s.get("observations", {}))
        yield from obs_rows({}, ds.get("observations", {}))


def test_sdmx_json_1_0_read_back_by_sdmx1():
    """sdmx1 reads the pre-release SDMX-JSON 1.0 layout (header/structure/dataSets at the top);
    with the official containers renamed it must find the values we wrote. sdmx1 drops an
    attribute that has no value in the message (its issue #64) and then misreads the attributes
    after it, so every attribute gets a value here."""
    full = [o.with_(currency="THB", comment="c") for o in sample()]
    doc = json.loads(write("application/vnd.sdmx.data+json;version=1.0.0", full))
    legacy = {"header": doc["meta"], "structure": doc["data"]["structure"], "dataSets": doc["data"]["dataSets"]}
    msg = _sdmx1(json.dumps(legacy).encode())
    rows = list(_sdmx1_rows(msg))
    assert len(rows) == len(full)
    by_time = {(r[0], r[1]): r for r in rows}
    for o in full:
        _, _, value, attrs = by_time[(o.key, sdmx_time(o.time))]
        assert (value is None) == (o.value is None) and (value is None or float(value) == o.value)
        assert attrs["CURRENCY"] == "THB" and attrs["COMMENT"] == "c"
        assert attrs["OBS_CONF"] == ("C" if o.confidential else "F")
        assert attrs.get("NOTE_SOURCE") == o.note_source and attrs.get("OBS_STATUS") == o.status


@pytest.mark.parametrize("media_type,dao", [c for c in cases() if c[0] in CSV])
def test_sdmx_csv_follows_the_field_guides_and_pysdmx_reads_it_back(media_type, dao):
    payload = write(media_type, dimension_at_observation=dao)
    assert payload.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8"), newline="")))
    head = rows[0]
    comps = [*T5.key_order, "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "OBS_CONF", "UNIT_MEASURE", "UNIT_MULT",
             "CURRENCY", "DECIMALS", "NOTE_CLASSIF", "NOTE_INDICATOR", "NOTE_SOURCE", "COMMENT"]
    if media_type.endswith("1.0.0"):
        assert head == ["DATAFLOW", *comps]                  # 1.0: first column DATAFLOW, every attribute
        assert {r[0] for r in rows[1:]} == {"ILMS:DF_ILMS_T05(1.0)"}
    else:
        assert head == ["STRUCTURE", "STRUCTURE_ID", "ACTION", *comps]
        assert {(r[0], r[1]) for r in rows[1:]} == {("dataflow", "ILMS:DF_ILMS_T05(1.0)")}
        assert {r[2] for r in rows[1:]} == ({"I"} if "2.0.0" in media_type else {"R"})
    assert all(len(r) == len(head) for r in rows)
    df = read_sdmx(payload.decode("utf-8")).data[0].data
    check_rows([(tuple(r[d] for d in T5.key_order), r["TIME_PERIOD"],
                 None if _missing(r["OBS_VALUE"]) else r["OBS_VALUE"],
                 {k: r[k] for k in comps[len(T5.key_order) + 2:]}) for r in df.to_dict("records")])


def test_sdmx_csv_2_0_read_back_by_sdmx1():
    flow = _sdmx1(st.structure_message("dataflow", ["DF_ILMS_T05"], references="all")).dataflow["DF_ILMS_T05"]
    msg = _sdmx1(write("application/vnd.sdmx.data+csv;version=2.0.0"), format="csv", structure=flow)
    check_rows(list(_sdmx1_rows(msg)))


@pytest.mark.parametrize("labels", ["both", "name"])
def test_csv_labels(labels):
    payload = write(f"application/vnd.sdmx.data+csv;version=2.0.0;labels={labels}").decode()
    rows = list(csv.reader(io.StringIO(payload, newline="")))
    if labels == "both":
        assert rows[0][3] == "REF_AREA: Reference area"
        assert rows[1][3] == "THA: Thailand" and rows[1][1].startswith("ILMS:DF_ILMS_T05(1.0): ")
    else:
        assert rows[0][:6] == ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "REF_AREA", "Reference area"]
        assert rows[1][4:6] == ["THA", "Thailand"]
    assert all(len(r) == len(rows[0]) for r in rows)
    with pytest.raises(InvalidOption):
        write("application/vnd.sdmx.data+csv;version=1.0.0", labels="name")


def test_confidential_values_are_masked_in_every_format():
    for media_type, dao in cases():
        text = write(media_type, [sample()[3]], dimension_at_observation=dao).decode()
        assert "OBS_CONF" in text or "+json" in media_type
        if "+xml" in media_type:
            assert "OBS_VALUE" not in text and ('OBS_CONF="C"' in text or 'id="OBS_CONF" value="C"' in text)
            assert 'OBS_STATUS="C"' in text or 'id="OBS_STATUS" value="C"' in text
        elif "+json" in media_type:
            doc = json.loads(text)
            (row,) = list(decode_json(doc))
            assert row[2] is None and row[3]["OBS_CONF"] == "C" and row[3]["OBS_STATUS"] == "C"
        else:
            head, row = list(csv.reader(io.StringIO(text, newline="")))
            rec = dict(zip(head, row))
            assert rec["OBS_VALUE"] == "" and rec["OBS_CONF"] == "C" and rec["OBS_STATUS"] == "C"


def test_currency_travels_with_wages(data_schema):
    t8 = structure().table(8)
    payload = write("application/vnd.sdmx.structurespecificdata+xml;version=2.1", wage_sample(), table=t8)
    assert_valid_xml(data_schema(8, "2.1"), payload)
    assert b'CURRENCY="VND"' in payload and b'OBS_VALUE="6543.21"' in payload and b'UNIT_MEASURE="LC"' in payload


@pytest.mark.parametrize("detail", ["dataonly", "serieskeysonly", "nodata"])
@pytest.mark.parametrize("media_type", [m for m in XML if XML[m] in ("2.1", "3.0")])
def test_detail(detail, media_type, data_schema):
    payload = write(media_type, detail=detail)
    assert_valid_xml(data_schema(5, XML[media_type]), payload)
    assert b"OBS_CONF" not in payload                       # attributes are observation-level: all gone
    if detail == "dataonly":
        assert b"1430.842" in payload
    else:
        assert b"1430.842" not in payload and b"Obs" not in payload.split(b"</message:Header>")[1]
        assert payload.count(b"MIG_STATUS_MIGRANT") == 1   # one series element each


def test_attributes_and_measures_v2(json_schema):
    doc = assert_valid_json(json_schema("data", "2.1.0"), write("application/vnd.sdmx.data+json;version=2.1.0",
                                                                 attributes=["OBS_STATUS", "COMMENT"], measures="none"))
    struct = doc["data"]["structures"][0]
    assert [a["id"] for a in struct["attributes"]["observation"]] == ["OBS_STATUS", "COMMENT"]
    assert struct["measures"]["observation"] == []
    first = next(iter(doc["data"]["dataSets"][0]["series"].values()))["observations"]["0"]
    assert len(first) == 2                                   # no measure, two attributes
    rows = list(csv.reader(io.StringIO(write("application/vnd.sdmx.data+csv;version=2.1.0", attributes="none").decode(), newline="")))
    assert rows[0][-2:] == ["TIME_PERIOD", "OBS_VALUE"] and {r[2] for r in rows[1:]} == {"M"}
    with pytest.raises(InvalidOption):
        write("application/vnd.sdmx.data+json;version=2.1.0", attributes=["NOPE"])


def test_options_the_service_must_refuse():
    with pytest.raises(InvalidOption):                       # not a dimension of table 5: 400
        write("application/vnd.sdmx.genericdata+xml;version=2.1", dimension_at_observation="AGE")
    for dao in ("AllDimensions", "SEX"):                     # time series formats: REST 406
        with pytest.raises(NotAcceptable):
            write("application/vnd.sdmx.generictimeseriesdata+xml;version=2.1", dimension_at_observation=dao)
    with pytest.raises(NotAcceptable):                       # REST: 406
        write("application/vnd.sdmx.data+json;version=9.0.0")
    with pytest.raises(InvalidOption):
        DataOptions(detail="everything")


def test_registry_defaults_and_content_types():
    assert default_media_type("v1") == "application/vnd.sdmx.genericdata+xml;version=2.1"
    assert default_media_type("v2") == "application/vnd.sdmx.data+json;version=2.1.0"
    assert content_type("application/vnd.sdmx.data+csv; version=1.0.0; labels=both") == \
        "application/vnd.sdmx.data+csv;version=1.0.0; charset=utf-8"
    assert len(media_types()) == 12


def test_numbers_and_periods():
    for v in (0.1, 1430.842, 1e-7, 12345678912345.0, 2 / 3, 1e22, -0.5, 100.0):
        assert float(number(v)) == v and len(number(v)) <= len(repr(v))
    assert number(100.0) == "100" and number(None) is None and number(float("nan")) is None
    assert [sdmx_time(p) for p in ("2019", "2021Q3", "2020M07", "2020S1")] == ["2019", "2021-Q3", "2020-07", "2020-S1"]


def test_empty_selection_gives_a_valid_message(data_schema):
    payload = write("application/vnd.sdmx.structurespecificdata+xml;version=2.1", [])
    assert_valid_xml(data_schema(5, "2.1"), payload)
    assert T5_KEY and T5_MIG
