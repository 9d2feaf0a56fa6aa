"""``fetch ilostat`` against a local HTTP server serving fixture SDMX-CSV (see fixtures/README.md)."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from ilms.collect.fetch import CSV_MEDIA_TYPE, FetchError, data_url, fetch_ilostat
from ilms.collect.load import LoadRefused
from ilms.collect.registry import detect, read
from ilms.store import read as store_read
from ilms.store.read import Selection
from ilms.store.schema import observation, source

FIXTURES = Path(__file__).parent / "fixtures" / "ilo_sdmx"
ROUTES = {
    "/rest/data/ILO,DF_MNA_OEMP_SEX_CDS_NB,1.0/THA.A...": "DF_MNA_OEMP_SEX_CDS_NB_THA.csv",
    "/rest/data/ILO,DF_MST_TEMP_SEX_ECO_CBR_NB,1.0/BRN.A....": "DF_MST_TEMP_SEX_ECO_CBR_NB_BRN.csv",
}


class IloStub:
    """A tiny SDMX service on 127.0.0.1: fixture bodies for ROUTES, 404 otherwise, 500 on demand."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []
        self.fail_with: int | None = None
        self.bodies = {path: (FIXTURES / name).read_bytes() for path, name in ROUTES.items()}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                stub.requests.append((self.path, self.headers.get("Accept", "")))
                path = urlsplit(self.path).path
                status = stub.fail_with or (200 if path in stub.bodies else 404)
                body = stub.bodies.get(path, b"NoResultsFound") if status == 200 else b"error"
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/rest"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ilo():
    stub = IloStub()
    yield stub
    stub.close()


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_query_url_has_one_wildcard_per_dimension():
    assert data_url("https://sdmx.ilo.org/rest/", "MNA_OEMP_SEX_CDS_NB", "THA") == \
        "https://sdmx.ilo.org/rest/data/ILO,DF_MNA_OEMP_SEX_CDS_NB,1.0/THA.A..."
    assert data_url("https://sdmx.ilo.org/rest", "MST_TEMP_SEX_ECO_CBR_NB", "BRN").endswith("/BRN.A....")


def test_fetch_table_15_loads_with_the_given_source(engine, ilo):
    result = fetch_ilostat(engine, 15, "THA", by="pytest", base_url=ilo.base_url, source="XA:77",
                           start="2022", end="2023")
    assert [d.indicator for d in result.downloads] == ["MNA_OEMP_SEX_CDS_NB"]
    path, accept = ilo.requests[0]
    assert path == "/rest/data/ILO,DF_MNA_OEMP_SEX_CDS_NB,1.0/THA.A...?startPeriod=2022&endPeriod=2023"
    assert accept == CSV_MEDIA_TYPE
    assert result.load.summary.added == 30
    with engine.connect() as conn:
        obs = {(o.key, o.time): o for o in store_read.observations(conn, Selection(table=15))}
        assert conn.execute(select(source.c.code, source.c.ref_area)).all() == [("XA_77", "THA")]
    total = obs[(("THA", "XA_77", "_Z", "SEX_T", "TOTAL"), "2023")]
    assert total.value == pytest.approx(52.85) and total.note_source == "R1:3903"
    assert total.provenance == "DF_MNA_OEMP_SEX_CDS_NB:29"
    again = fetch_ilostat(engine, 15, "THA", by="pytest", base_url=ilo.base_url, source="XA:77")
    assert (again.load.summary.added, again.load.summary.changed, again.load.summary.unchanged) == (0, 0, 30)


def test_fetch_table_5_maps_both_classifications_and_reports_empty_flows(engine, ilo):
    result = fetch_ilostat(engine, 5, "BRN", by="pytest", base_url=ilo.base_url)
    assert result.empty == ["MST_TEMP_SEX_ECO_CCT_NB"]                  # the stub has no CCT data: 404
    assert result.load.summary.added == 9
    with engine.connect() as conn:
        obs = {o.key: o for o in store_read.observations(conn, Selection(table=5))}
    foreign = obs[("BRN", "BA_9001", "BIR", "SEX_F", "ECO_ISIC4_F", "MIG_STATUS_MIGRANT")]
    assert foreign.value == 4.5 and foreign.status == "B"


def test_a_source_named_only_by_name_needs_source_and_nothing_is_written(engine, ilo):
    with pytest.raises(LoadRefused) as refused:
        fetch_ilostat(engine, 15, "THA", by="pytest", base_url=ilo.base_url)
    assert "DF_MNA_OEMP_SEX_CDS_NB, line 2: column SOURCE" in str(refused.value)
    assert "--source" in str(refused.value)
    assert count(engine, observation) == 0


def test_service_errors_stop_the_fetch(engine, ilo):
    ilo.fail_with = 503
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch_ilostat(engine, 15, "THA", by="pytest", base_url=ilo.base_url, source="XA:77")
    assert count(engine, observation) == 0


def test_no_data_at_all_loads_nothing(engine, ilo):
    result = fetch_ilostat(engine, 15, "VNM", by="pytest", base_url=ilo.base_url, source="XA:77")
    assert result.load is None and result.empty == ["MNA_OEMP_SEX_CDS_NB"]


def test_a_saved_ilo_download_is_detected_and_read(tmp_path):
    path = FIXTURES / "DF_MST_TEMP_SEX_ECO_CBR_NB_BRN.csv"
    assert detect(path).name == "ilo-sdmx-csv"
    assert len(list(read(path))) == 9
    bad = tmp_path / "bad.csv"
    text = path.read_text(encoding="utf-8").replace("ECO_ISIC4_A,", "ECO_ISIC4_Z,")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as err:
        list(read(bad))
    assert "bad.csv, line 5: column classif1: code 'ECO_ISIC4_Z' is not in CL_ECO" in str(err.value)
