"""Every public GET route of the application, walked for a confidential cell and its complements:
no response (JSON API, SDMX in every format and version, availability, downloads in every file,
pages) contains the value of a withheld cell -- and the walk does reach the published data.

The routes are enumerated from the application itself: a route added later with a path parameter
this walk cannot fill fails the test until ``PARAMS`` says what to ask it for the cell.
"""
from __future__ import annotations

import gzip
import io
import re
import zipfile

import openpyxl
import pytest
from fastapi.testclient import TestClient

from ilms.disclosure import pattern
from ilms.publish.sdmx.data import media_types
from ilms.store import releases, sources, write
from ilms.web import create_app
from ilms.web.settings import Settings

from .helpers import sex_by_origin

REL = "R-SDC"
DATA = dict(men={"IND": 0.2053, "CHN": 1.2417, "X": 5.0311}, women={"IND": 0.1937, "CHN": 1.1173, "X": 4.0529})
KEY_V1 = "THA....IND+CHN"
PATHS = {   # what each path parameter is asked for: per route, or by name
    ("/rest/data/{path:path}", "path"): ["DF_ILMS_T09", f"DF_ILMS_T09/{KEY_V1}", "ILMS,DF_ILMS_T09,1.0/all?startPeriod=2020",
                                        "ILMS,DF_ILMS_INDICATORS,1.0/FEM_SHARE_INFLOW"],
    ("/rest/availableconstraint/{path:path}", "path"): ["DF_ILMS_T09", f"DF_ILMS_T09/{KEY_V1}"],
    ("/rest/v2/data/{path:path}", "path"): ["dataflow/ILMS/DF_ILMS_T09/1.0", "dataflow/ILMS/DF_ILMS_T09/1.0/THA.*.*.*.IND"],
    ("/rest/v2/availability/{path:path}", "path"): ["dataflow/ILMS/DF_ILMS_T09/1.0"],
    ("/rest/v2/structure/{path:path}", "path"): ["dataflow/ILMS/DF_ILMS_T09"],
    ("/rest/v2/{resource}/{path:path}", "path"): ["ILMS/DF_ILMS_T09"],
    ("/rest/schema/{path:path}", "path"): ["dataflow/ILMS/DF_ILMS_T09"],
    ("/rest/v2/schema/{path:path}", "path"): ["dataflow/ILMS/DF_ILMS_T09/1.0"],
    ("/static/{path:path}", "path"): ["portal.css"],
    ("/rest/{structure_type}/{path:path}", "path"): ["ILMS/DF_ILMS_T09"],
    ("/api/tables/{rest:path}", "rest"): ["9/data?REF_AREA=THA"],
    ("/countries/{code}", "code"): ["THA"],
    ("/sources/{code}", "code"): ["XA_9083"],
    "indicator_id": ["FEM_SHARE_INFLOW"],      # women's share of inflows: table 9
    "sub_id": ["1"],                           # submissions: not public (refused), walked all the same
    "number": ["9"],
    "name": [REL],
    "release": [REL],
    "structure_type": ["dataflow"],
    "resource": ["metadata"],
}
ACCEPTS = [None, "text/html", "text/csv", "application/json"]
SDMX_ACCEPTS = ACCEPTS + media_types()          # every SDMX data format and version
NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _get_routes(app):
    def walk(routes):
        for r in routes:
            if hasattr(r, "original_router"):
                yield from walk(r.original_router.routes)
            elif "GET" in (getattr(r, "methods", None) or ()):
                yield r.path
    return sorted(set(walk(app.routes)))


def _numbers(body: bytes) -> set[float]:
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    if body[:4] == b"PK\x03\x04":                 # a zip (xlsx), not text that starts with "PK"
        found = set()
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            if any(n.startswith("xl/") for n in z.namelist()):
                wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
                for ws in wb.worksheets:
                    for row in ws.iter_rows(values_only=True):
                        for v in row:
                            if isinstance(v, (int, float)):
                                found.add(round(float(v), 6))
                            elif isinstance(v, str):
                                found |= _numbers(v.encode())
                return found
            for n in z.namelist():
                found |= _numbers(z.read(n))
        return found
    out = set()
    for m in NUMBER.findall(body):
        try:
            out.add(round(float(m), 6))
        except ValueError:
            pass
    return out


def _urls(path: str, files: list[str]) -> list[str]:
    params = re.findall(r"{([^}:]+)(?::path)?}", path)
    urls = [path]
    for p in params:
        token = re.search(r"{%s(?::path)?}" % p, path).group(0)
        if p == "file" or (path.startswith("/downloads/latest/") and p == "rest"):
            values = files
        else:
            values = PATHS.get((path, p)) or PATHS.get(p)
        assert values, f"the walk does not know what to ask {path} for {{{p}}}: add it to PATHS"
        urls = [u.replace(token, v) for u in urls for v in values]
    return urls


@pytest.fixture
def site(engine, tmp_path):
    cells = [c.with_(decimals=4) for c in sex_by_origin(**DATA, confidential={("SEX_F", "IND")})]
    with engine.begin() as conn:
        sources.ensure(conn, {"XA_9083": "THA"})
        write.write(conn, cells, kind="load", by="pytest")
        releases.create(conn, REL, by="pytest")
        releases.publish(conn, REL, by="pytest")
        hidden = {c.cell() for c in cells if c.confidential} | set(pattern.cells(conn, REL))
    app = create_app(engine, Settings(downloads_dir=str(tmp_path / "downloads")))
    secret = {round(c.value, 6) for c in cells if c.cell() in hidden}
    shown = {round(c.value, 6) for c in cells if c.cell() not in hidden}
    return TestClient(app), secret, shown


def test_no_public_route_shows_a_withheld_value(site):
    client, secret, shown = site
    assert len(secret) == 4 and not secret & shown                  # the primary and its 3 complements
    manifest = client.get(f"/downloads/{REL}/manifest.json").json()
    assert manifest["disclosure"]["secondary_cells"] == 3 and manifest["disclosure"]["primary_cells"] == 1
    files = [f["name"] for f in manifest["files"] if "-t09" in f["name"] or "-all" in f["name"]]
    assert files
    seen_published, requests = set(), 0
    for route in _get_routes(client.app):
        for url in _urls(route, files):
            for accept in SDMX_ACCEPTS if route.startswith("/rest") else ACCEPTS:
                resp = client.get(url, headers={"accept": accept} if accept else {})
                requests += 1
                assert resp.status_code < 500 or resp.status_code == 501, (url, accept, resp.text[:300])
                found = _numbers(resp.content)
                leaked = secret & found
                assert not leaked, f"{url} (Accept: {accept}) shows withheld value(s) {sorted(leaked)}"
                seen_published |= shown & found
    assert seen_published == shown, "the walk never reached some published values"   # it did look at the data
    assert requests > 100
