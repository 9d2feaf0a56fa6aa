"""docs/deployment.md tried: nginx with the documented configuration in front of
``ilms serve --workers 2``, on SQLite and PostgreSQL. Pages, the JSON API and SDMX through the
proxy; a release's bulk file served by nginx from disk (no request reaches the application); the
health check; the X-Forwarded headers (the client's address and scheme, the public host and port
in absolute links, none of them spoofable by the client); the limits (413, 414) answered through
the proxy, by the application and by nginx's own body limit. Skipped when nginx is not installed
(``scripts/system-packages.sh nginx-light``)."""
from __future__ import annotations

import os
import subprocess
import time

import httpx
import pytest

from . import nginx
from ..store.durability import ILMS, demo_rows, run_ilms, write_ilostat

pytestmark = pytest.mark.skipif(nginx.nginx() is None,
                                reason="nginx is not installed: scripts/system-packages.sh nginx-light")
RELEASE = "proxy-1"
BODY_LIMIT = 20 * 1024 * 1024 + 64 * 1024     # the application's default body limit (docs/limits.md)


def _wait_ready(base: str, proc: subprocess.Popen, log) -> list[dict]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"ilms serve ended ({proc.returncode}): {log.read_text()[-2000:]}"
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                r = httpx.get(f"{base}/downloads/{RELEASE}/manifest.json", timeout=30)
                if r.status_code == 200:
                    return r.json()["files"]
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("ilms serve was not ready in time")


@pytest.fixture
def served(database_url, tmp_path):
    data = tmp_path / "data"
    env = {"ILMS_DATA_DIR": str(data)}
    run_ilms(database_url, "load", "--no-check", str(write_ilostat(tmp_path / "t1.csv", demo_rows(400))), **env)
    run_ilms(database_url, "release", "create", RELEASE, **env)
    run_ilms(database_url, "release", "publish", "--no-downloads", RELEASE, **env)
    port = nginx.free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        app = subprocess.Popen([*ILMS, "serve", "--port", str(port), "--workers", "2", "--log-level", "info"],
                               env=dict(os.environ, ILMS_DATABASE_URL=database_url, ILMS_ACTOR="pytest", **env),
                               stdout=out, stderr=subprocess.STDOUT)
    proxy = None
    try:
        files = _wait_ready(f"http://127.0.0.1:{port}", app, log)
        proxy = nginx.start(tmp_path / "nginx", app_port=port, downloads=data / "downloads")
        yield proxy, port, files, data, log
    finally:
        if proxy is not None:
            proxy.stop()
        app.terminate()
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def _last(proxy: nginx.Proxy, uri: str, seen: int = 0) -> str:
    """nginx's log line of the last request for ``uri``, after the first ``seen`` lines."""
    for _ in range(50):                          # nginx writes its log line after the response
        lines = [line for line in proxy.log()[seen:] if f" {uri} " in line]
        if lines:
            return lines[-1]
        time.sleep(0.05)
    raise AssertionError(f"{uri} not in nginx's log: {proxy.log()[-5:]}")


def test_the_documented_nginx_in_front_of_two_workers(served):
    proxy, app_port, files, data, log = served
    upstream = f"upstream=127.0.0.1:{app_port}"
    with httpx.Client(base_url=proxy.base, timeout=60) as client:
        # the health check, pages, the JSON API and SDMX: answered by the application
        health = client.get("/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert upstream in _last(proxy, "/health")
        for path, kind in [("/", "text/html"), (f"/downloads/{RELEASE}/", "text/html"),
                           ("/api/v1/tables/1/data?country=BRN", "application/json"),
                           ("/rest/dataflow/ILMS/DF_ILMS_T01/1.0", "xml"),
                           ("/rest/data/DF_ILMS_T01/BRN?startPeriod=2000", "xml")]:
            r = client.get(path, headers={"Accept": "text/html"} if kind == "text/html" else {})
            assert r.status_code == 200 and kind in r.headers["content-type"], (path, r.status_code)
            assert upstream in _last(proxy, path)
        # a bulk file of the release: from disk, by nginx; the same bytes as the file
        bulk = next(f["name"] for f in files if f["name"].endswith(".csv.gz"))
        path = f"/downloads/{RELEASE}/{bulk}"
        r = client.get(path)
        assert r.status_code == 200
        assert r.content == (data / "downloads" / RELEASE / bulk).read_bytes()
        assert r.headers["cache-control"] == "public, max-age=3600"
        assert "upstream=-" in _last(proxy, path)            # no request reached the application
        # anything else under /downloads goes to the application (the manifest, a 404)
        assert client.get(f"/downloads/{RELEASE}/manifest.json").status_code == 200
        assert upstream in _last(proxy, f"/downloads/{RELEASE}/manifest.json")
        missing = client.get(f"/downloads/{RELEASE}/ilms-t99.csv.gz")
        assert missing.status_code == 404 and upstream in _last(proxy, f"/downloads/{RELEASE}/ilms-t99.csv.gz")


def test_forwarded_headers_reach_the_application_and_cannot_be_spoofed(served):
    proxy, app_port, files, data, log = served
    with httpx.Client(base_url=proxy.base, timeout=60) as client:
        r = client.get(f"/downloads/{RELEASE}/?format=json", headers={"X-Forwarded-For": "203.0.113.9",
                                                                     "X-Forwarded-Proto": "https"})
        assert r.status_code == 200
        # absolute links name the proxy, as the client reached it (host and port), with its scheme
        citation = r.json()["citation"]
        assert f"http://127.0.0.1:{proxy.port}/downloads/{RELEASE}/" in citation, citation
        assert f":{app_port}" not in r.text and "https://127.0.0.1" not in r.text
    time.sleep(0.5)
    served_log = log.read_text()
    assert "203.0.113.9" not in served_log          # the client's own X-Forwarded-For is not believed
    assert '127.0.0.1:' in served_log


def test_limits_through_the_proxy(served):
    proxy, app_port, files, data, log = served
    with httpx.Client(base_url=proxy.base, timeout=60) as client:
        # the documented client_max_body_size is the application's body limit: one byte over is
        # nginx's own 413, the body never forwarded; at the limit it is forwarded (and refused
        # by the route for what it is, never a 413 or a 502)
        seen = len(proxy.log())
        r = client.post("/api/v1/submissions", content=b"x" * (BODY_LIMIT + 1))
        assert r.status_code == 413 and "nginx" in r.text
        assert "upstream=-" in _last(proxy, "/api/v1/submissions", seen)
        seen = len(proxy.log())
        r = client.post("/api/v1/submissions", content=b"x" * BODY_LIMIT)
        assert r.status_code not in (413, 502) and r.status_code < 500, r.text[:300]
        assert f"upstream=127.0.0.1:{app_port}" in _last(proxy, "/api/v1/submissions", seen)
        # a query string over ILMS_LIMIT_QUERY_LENGTH (8,000): the application's 414, through the proxy
        r = client.get("/api/v1/tables/1/data?country=" + "THA," * 2100)
        assert r.status_code == 414
