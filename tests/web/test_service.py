"""Health, redirects, the OpenAPI document, and the real server."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from ilms.web import create_app
from ilms.web.redirects import REDIRECTS

from tests.conftest import free_port


def test_health_ok(client, backend):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["backend"] == backend


def test_health_503_when_the_database_is_unreachable(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.sqlite'}")
    r = TestClient(create_app(engine)).get("/health")
    assert r.status_code == 503 and r.json()["status"] == "unavailable" and r.json()["error"]


def test_health_503_when_the_schema_is_missing(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    r = TestClient(create_app(engine)).get("/health")
    assert r.status_code == 503 and "ilms db upgrade" in r.json()["error"]


def test_redirect_is_permanent_and_keeps_the_query(client):
    r = client.get("/api/tables/5/data?SEX=SEX_T", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "/api/v1/tables/5/data?SEX=SEX_T"
    assert client.get("/api/tables").json()["tables"][0]["number"] == 1


def test_every_redirect_leads_somewhere_served_and_shadows_nothing(client):
    api_paths = client.get("/openapi.json").json()["paths"]
    for r in REDIRECTS:
        assert client.get(r.new).status_code == 200, r
        assert not any(p == r.old or p.startswith(r.old + "/") for p in api_paths), r


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate
    doc = client.get("/openapi.json").json()
    validate(doc)
    assert doc["info"]["title"] and doc["info"]["description"]
    assert {t["name"] for t in doc["tags"]} >= {"tables", "data", "releases", "sources"}
    data = doc["paths"]["/api/v1/tables/{number}/data"]["get"]
    names = {p["name"] for p in data["parameters"]}
    assert {"country", "year", "release", "as_of", "format", "SEX", "ECO", "DESTINATION"} <= names
    assert data["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/DataResponse")
    assert data["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "/api/tables" not in doc["paths"]                    # redirects are not part of the API


def test_ilms_serve_answers_health(sqlite_engine, tmp_path):
    ilms = Path(sys.executable).with_name("ilms")
    port = free_port()
    env = {**os.environ, "ILMS_DATABASE_URL": str(sqlite_engine.url), "ILMS_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([str(ilms), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"ilms serve did not answer: {proc.stdout.read().decode(errors='replace')[-2000:]}"
                                if proc.poll() is not None else "ilms serve did not answer within 30 s")
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["backend"] == "sqlite"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_deprecated_paths_carry_the_headers(published, monkeypatch):
    import datetime as dt

    from ilms.web import deprecations
    old = deprecations.Deprecation("/api/v1/sources", dt.date(2025, 1, 1), dt.date(2026, 1, 1),
                                   successor="/api/v2/sources")
    monkeypatch.setattr(deprecations, "DEPRECATIONS", (old,))
    client = TestClient(create_app(published.engine))
    r = client.get("/api/v1/sources?country=THA")
    assert r.status_code == 200
    assert r.headers["deprecation"] == "@1735689600"                    # 2025-01-01T00:00:00Z
    assert r.headers["sunset"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert r.headers["link"] == '</api/v2/sources>; rel="successor-version"'
    assert "deprecation" not in client.get("/api/v1/tables").headers


def test_a_deprecation_needs_12_months_notice():
    import datetime as dt

    from ilms.web.deprecations import Deprecation
    with pytest.raises(ValueError, match="12 months"):
        Deprecation("/api/v1/x", dt.date(2025, 1, 1), dt.date(2025, 12, 1))
