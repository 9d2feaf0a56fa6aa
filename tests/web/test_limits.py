"""Limits from Settings, answered before any route runs: a body over ``max_upload_mb`` is a 413,
a query string over ``max_query_length`` a 414, each saying the limit and the setting."""
from __future__ import annotations

from fastapi import Request
from fastapi.testclient import TestClient

from ilms.web import create_app
from ilms.web.settings import Settings


def _app(sqlite_engine, **limits):
    app = create_app(sqlite_engine, Settings(**limits))
    seen = []

    @app.post("/_echo")               # stands for any upload route: the limit runs before it
    async def echo(request: Request):
        body = await request.body()
        seen.append(len(body))
        return {"bytes": len(body)}
    return TestClient(app), seen


def test_a_body_over_the_limit_is_a_413_before_the_route_runs(sqlite_engine):
    client, seen = _app(sqlite_engine, max_upload_mb=0.01)
    assert client.post("/_echo", content=b"x" * 9_000).json() == {"bytes": 9_000}
    r = client.post("/_echo", content=b"x" * 20_000)
    assert r.status_code == 413
    assert r.json() == {"error": "the request body is 0.02 MB, over the limit of 0.01 MB (ILMS_WEB_MAX_UPLOAD_MB); "
                                 "send a smaller file, or split it", "parameter": "body"}
    assert seen == [9_000]


def test_a_chunked_body_is_cut_off_at_the_limit(sqlite_engine):
    client, seen = _app(sqlite_engine, max_upload_mb=0.01)

    def chunks():
        for _ in range(10):
            yield b"y" * 4_000
    r = client.post("/_echo", content=chunks())
    assert r.status_code == 413 and "over the limit of" in r.json()["error"]
    assert seen == []


def test_a_long_query_string_is_a_414_on_every_route(sqlite_engine):
    client, _ = _app(sqlite_engine, max_query_length=100)
    for path in ("/api/v1/tables", "/rest/dataflow", "/downloads/"):
        r = client.get(path, params={"q": "x" * 200})
        assert r.status_code == 414 and r.json()["parameter"] == "query", path
        assert "ILMS_WEB_MAX_QUERY_LENGTH" in r.json()["error"]
    assert client.get("/api/v1/tables").status_code == 200


def test_limits_come_from_the_environment():
    s = Settings.from_env({"ILMS_WEB_MAX_UPLOAD_MB": "5", "ILMS_WEB_MAX_QUERY_LENGTH": "300"})
    assert (s.max_upload_mb, s.max_query_length) == (5.0, 300)
