"""sdmx1 and pysdmx, two independent SDMX implementations, read a REAL running server (uvicorn on
a free loopback port): the structure of every dataflow and the data of all 17 tables, and get
back the values in the database."""
from __future__ import annotations

import io
import socket
import threading
import time
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from ilms.observation import Observation
from ilms.store import releases, sources, write
from ilms.tables import structure
from ilms.web import create_app


def seed_all_tables(engine) -> dict[int, tuple[tuple[str, ...], float]]:
    """One observation per table, from the first codes of each dimension (generic: no table-specific code)."""
    seeded = {}
    with engine.begin() as conn:
        sources.upsert(conn, "BA_1", "THA", name="Labour Force Survey")
        obs = []
        for n, table in structure().tables.items():
            key = tuple("BA_1" if d.id == "SOURCE" else ("THA" if d.id == "REF_AREA" else d.codelist.codes[0].id)
                        for d in table.dimensions)
            value = 1000.0 + n + 0.5
            obs.append(Observation(n, key, "2020", value, currency="THB" if table.unit.currency_required else None))
            seeded[n] = (key, value)
        write.write(conn, obs, kind="load", by="pytest")
        releases.create(conn, "R1", by="pytest")
        releases.publish(conn, "R1", by="pytest")
    return seeded


@pytest.fixture
def server(sqlite_engine):
    seeded = seed_all_tables(sqlite_engine)
    with sqlite_engine.connect() as conn:
        release = releases.get(conn, "R1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(sqlite_engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield Server(f"http://127.0.0.1:{port}/rest", seeded, release.name, release.checksum)
    srv.should_exit = True
    thread.join(10)


@dataclass
class Server:
    base: str
    seeded: dict[int, tuple[tuple[str, ...], float]]
    release: str
    checksum: str

    def __iter__(self):                 # base, seeded = server
        return iter((self.base, self.seeded))


GENERIC = "application/vnd.sdmx.genericdata+xml;version=2.1"
STRUCTURE_SPECIFIC = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"


def _sdmx1_obs(sdmx, payload: bytes, **kw):
    msg = sdmx.read_sdmx(io.BytesIO(payload), **kw)
    return msg, [o for ds in msg.data for o in ds.obs]


def _sdmx1_key(obs) -> tuple[str, ...]:
    return tuple(str(kv.value) for kv in obs.key.values.values() if kv.id != "TIME_PERIOD")


def test_sdmx1_reads_every_dataflow_and_all_17_tables(server):
    """The v1 default (SDMX-ML 2.1 generic: no Accept, as sdmx1's client asks) and structure-specific
    data of every table, with the DSD of the dataflow's structure message; the release name and
    checksum in the header's Source."""
    sdmx = pytest.importorskip("sdmx")
    base, seeded = server
    with httpx.Client(timeout=30) as http:
        for n, (key, value) in seeded.items():
            flow = structure().table(n).id
            r = http.get(f"{base}/dataflow/{structure().agency}/{flow}/latest", params={"references": "all"})
            assert r.status_code == 200, r.text
            msg = sdmx.read_sdmx(io.BytesIO(r.content))
            assert flow in msg.dataflow
            dsd = msg.structure[msg.dataflow[flow].structure.id]
            assert [d.id for d in dsd.dimensions] == [*structure().table(n).key_order, "TIME_PERIOD"]

            r = http.get(f"{base}/data/{flow}")
            assert r.status_code == 200, r.text
            assert r.headers["content-type"] == GENERIC
            for kw in ({"structure": dsd}, {}):             # with the DSD, and without (sdmx1 infers it)
                data, obs = _sdmx1_obs(sdmx, r.content, **kw)
                assert len(obs) == 1, (flow, kw)
                assert float(obs[0].value) == value
                assert _sdmx1_key(obs[0]) == key
                assert str(obs[0].dimension.values["TIME_PERIOD"].value) == "2020"
                assert {k: str(v.value) for k, v in obs[0].attached_attribute.items()}["OBS_CONF"] == "F"
                source = str(data.header.source)
                assert f"ILMS release {server.release}" in source and server.checksum in source

            r = http.get(f"{base}/data/{flow}", headers={"Accept": STRUCTURE_SPECIFIC})
            assert r.status_code == 200, r.text
            assert r.headers["content-type"] == STRUCTURE_SPECIFIC
            data, obs = _sdmx1_obs(sdmx, r.content, structure=dsd)
            assert len(obs) == 1
            assert float(obs[0].value) == value
            assert _sdmx1_key(obs[0]) == key
            assert server.checksum in str(data.header.source)


def test_sdmx1_client_gets_the_default_data_of_a_table(server):
    """sdmx1's own REST client, with our service as a custom source, asks its own URL shapes
    (``/dataflow/ILMS/...``, ``/data/DF/key``) and reads the v1 default answer."""
    sdmx = pytest.importorskip("sdmx")
    base, seeded = server
    sdmx.add_source({"id": structure().agency, "url": base, "name": "ILMS test server"}, override=True)
    client = sdmx.Client(structure().agency)
    for n in (1, 15):
        flow = structure().table(n).id
        key, value = seeded[n]
        flows = client.dataflow(flow)
        assert flow in flows.dataflow
        data = client.data(flow, key=".".join(key))
        obs = [o for ds in data.data for o in ds.obs]
        assert [(_sdmx1_key(o), float(o.value)) for o in obs] == [(key, value)]
        assert data.response.headers["content-type"] == GENERIC


def test_pysdmx_reads_the_v1_default_generic_data_of_all_17_tables(server):
    pysdmx_io = pytest.importorskip("pysdmx.io")
    base, seeded = server
    with httpx.Client(timeout=30) as http:
        for n, (key, value) in seeded.items():
            flow = structure().table(n).id
            r = http.get(f"{base}/data/{structure().agency},{flow},1.0/all/all")
            assert r.status_code == 200, r.text
            assert r.headers["content-type"] == GENERIC
            msg = pysdmx_io.read_sdmx(r.text)
            frame = msg.data[0].data
            assert len(frame) == 1
            assert float(frame["OBS_VALUE"].iloc[0]) == value
            assert tuple(str(frame[d].iloc[0]) for d in structure().table(n).key_order) == key
            assert str(frame["TIME_PERIOD"].iloc[0]) == "2020"
            assert f"ILMS release {server.release}" in msg.header.source and server.checksum in msg.header.source


def test_pysdmx_reads_all_17_tables_over_v2(server):
    pysdmx_io = pytest.importorskip("pysdmx.io")
    base, seeded = server
    with httpx.Client(timeout=30) as http:
        for n, (key, value) in seeded.items():
            flow = structure().table(n).id
            r = http.get(f"{base}/v2/structure/dataflow/{structure().agency}/{flow}/+")
            assert r.status_code == 200
            assert pysdmx_io.read_sdmx(r.text).structures, flow
            r = http.get(f"{base}/v2/data/dataflow/{structure().agency}/{flow}/+/*",
                         headers={"Accept": "application/vnd.sdmx.data+csv;version=2.0.0"})
            assert r.status_code == 200, r.text
            datasets = pysdmx_io.read_sdmx(r.text).data
            frame = datasets[0].data
            assert len(frame) == 1
            assert float(frame["OBS_VALUE"].iloc[0]) == value
            assert tuple(str(frame[d].iloc[0]) for d in structure().table(n).key_order) == key
