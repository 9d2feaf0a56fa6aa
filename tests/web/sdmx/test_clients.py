"""sdmx1 and pysdmx, two independent SDMX implementations, read a REAL running server (uvicorn on
a free loopback port): the structure of every dataflow and the data of all 17 tables, and get
back the values in the database."""
from __future__ import annotations

import io
import socket
import threading
import time

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
    yield f"http://127.0.0.1:{port}/rest", seeded
    srv.should_exit = True
    thread.join(10)


def test_sdmx1_reads_every_dataflow_and_all_17_tables(server):
    sdmx = pytest.importorskip("sdmx")
    base, seeded = server
    with httpx.Client(timeout=30) as http:
        for n, (key, value) in seeded.items():
            flow = structure().table(n).id
            r = http.get(f"{base}/dataflow/{structure().agency}/{flow}/latest", params={"references": "all"})
            assert r.status_code == 200, r.text
            msg = sdmx.read_sdmx(io.BytesIO(r.content))
            assert flow in msg.dataflow
            # structure-specific: sdmx1 2.28 stops on the <Source> header element of our generic messages
            r = http.get(f"{base}/data/{flow}",
                         headers={"Accept": "application/vnd.sdmx.structurespecificdata+xml;version=2.1"})
            assert r.status_code == 200, r.text
            dsd = msg.dataflow[flow].structure
            data = sdmx.read_sdmx(io.BytesIO(r.content), structure=msg.structure[dsd.id])
            obs = [o for ds in data.data for o in ds.obs]
            assert len(obs) == 1
            assert float(obs[0].value) == value
            assert tuple(str(kv.value) for kv in obs[0].key.values.values() if kv.id != "TIME_PERIOD") == key


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
