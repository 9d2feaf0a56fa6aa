"""The one request-size middleware (``ilms.web.limits``), from ``Settings.limits``: a body over
``upload_bytes`` (plus the multipart framing) is a 413, a query string over ``query_length`` a 414,
each saying the limit and the setting (``ILMS_LIMIT_*``) that raises it."""
from __future__ import annotations

import importlib.util

from fastapi import Request
from fastapi.testclient import TestClient

from ilms.limits import Limits
from ilms.web import create_app
from ilms.web.limits import FRAMING, RequestLimits
from ilms.web.settings import Settings

UPLOAD = 10_000


def _app(sqlite_engine, **limits):
    app = create_app(sqlite_engine, Settings(limits=Limits(**limits)))
    seen = []

    @app.post("/_echo")               # stands for any upload route: the limit runs before it
    async def echo(request: Request):
        body = await request.body()
        seen.append(len(body))
        return {"bytes": len(body)}
    return TestClient(app), seen


def test_a_body_over_the_limit_is_a_413_before_the_route_runs(sqlite_engine):
    client, seen = _app(sqlite_engine, upload_bytes=UPLOAD)
    fits = UPLOAD + FRAMING                  # the file at its limit, with room for the multipart envelope
    assert client.post("/_echo", content=b"x" * fits).json() == {"bytes": fits}
    r = client.post("/_echo", content=b"x" * (fits + 1))
    assert r.status_code == 413
    assert r.json() == {"error": "the request body is 0.07554 MB, over the upload limit of 0.01 MB (10,000 bytes, "
                                 "ILMS_LIMIT_UPLOAD_BYTES); send a smaller file, or split it", "parameter": "body"}
    assert seen == [fits]


def test_a_chunked_body_is_cut_off_at_the_limit(sqlite_engine):
    client, seen = _app(sqlite_engine, upload_bytes=UPLOAD)

    def chunks():
        for _ in range(30):
            yield b"y" * 4_000
    r = client.post("/_echo", content=chunks())
    assert r.status_code == 413 and "over the upload limit of 0.01 MB" in r.json()["error"]
    assert "ILMS_LIMIT_UPLOAD_BYTES" in r.json()["error"]
    assert seen == []


def test_a_long_query_string_is_a_414_on_every_route(sqlite_engine):
    client, _ = _app(sqlite_engine, query_length=100)
    for path in ("/api/v1/tables", "/rest/dataflow", "/downloads/", "/api/v1/tables/5/data"):
        r = client.get(path, params={"q": "x" * 200})
        assert r.status_code == 414 and r.json()["parameter"] == "query", path
        assert "longer than 100 characters (ILMS_LIMIT_QUERY_LENGTH)" in r.json()["error"]
    assert client.get("/api/v1/tables").status_code == 200


def test_limits_come_from_the_environment_old_names_included():
    s = Settings.from_env({"ILMS_WEB_MAX_UPLOAD_MB": "5", "ILMS_LIMIT_QUERY_LENGTH": "300"})
    assert (s.limits.upload_bytes, s.limits.query_length) == (5_000_000, 300)


def test_exactly_one_body_size_middleware(sqlite_engine):
    app = create_app(sqlite_engine, Settings())
    assert [m.cls for m in app.user_middleware].count(RequestLimits) == 1
    assert importlib.util.find_spec("ilms.web.body_limit") is None
