"""Request limits enforced before any route runs (an ASGI middleware), from ``Settings``.

* ``max_upload_mb``: a request body (an upload) larger than this is a 413 with a message saying
  the limit and the setting that raises it: refused on its ``Content-Length`` before a byte is
  read, or, for a body sent in chunks without one, as soon as the bytes received pass the limit.
* ``max_query_length``: a query string longer than this is a 414 (URI too long) saying so.

The other limits live with what they limit, set in the same ``Settings``: ``max_codes`` (codes in
one filter, a 400 naming the parameter) and ``sdmx_max_observations`` (an SDMX data response, a 413
pointing to the bulk downloads).
"""
from __future__ import annotations

import json

from .settings import Settings


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.3g} MB"


class RequestLimits:
    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = int(self.settings.max_upload_mb * 1_000_000)
        if len(scope.get("query_string", b"")) > self.settings.max_query_length:
            return await _refuse(send, 414, f"the query string is longer than {self.settings.max_query_length} "
                                            "characters (ILMS_WEB_MAX_QUERY_LENGTH)", "query")
        length = dict(scope.get("headers", ())).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await _refuse(send, 413, _too_large(int(length), limit, exact=True), "body")
        received = 0
        refused = False

        async def counting_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise BodyTooLarge(received)
            return message

        started = False

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:
            if not started:
                await _refuse(send, 413, _too_large(exc.received, limit, exact=False), "body")


class BodyTooLarge(Exception):
    def __init__(self, received: int):
        super().__init__(received)
        self.received = received


def _too_large(size: int, limit: int, *, exact: bool) -> str:
    said = _mb(size) if exact else f"over {_mb(limit)}"
    return (f"the request body is {said}, over the limit of {_mb(limit)} (ILMS_WEB_MAX_UPLOAD_MB); "
            "send a smaller file, or split it")


async def _refuse(send, status: int, error: str, parameter: str) -> None:
    body = json.dumps({"error": error, "parameter": parameter}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def install(app, settings: Settings) -> None:
    app.add_middleware(RequestLimits, settings=settings)
