"""The one request-size middleware: limits enforced before any route runs, from ``Settings.limits``.

* ``upload_bytes``: a request body larger than this (plus ``FRAMING`` for the multipart envelope
  and form fields) is a 413 with a message saying the limit and the setting that raises it:
  refused on its ``Content-Length`` before a byte is read, or, for a body sent in chunks without
  one, as soon as the bytes received pass the limit -- never held whole. The file inside is held
  to ``upload_bytes`` itself while it is saved (``ilms.web.uploads``).
* ``query_length``: a query string longer than this is a 414 (URI too long) saying so.

The other limits (``ilms.limits``) are enforced where they apply: ``filter_codes`` (a 400 naming
the parameter, ``ilms.web.query``), ``api_observations`` / ``sdmx_observations`` /
``explorer_observations`` (a 413 after a COUNT, before anything is streamed).
"""
from __future__ import annotations

import json

from ..limits import megabytes, setting
from .settings import Settings

#: room over ``upload_bytes`` for the multipart boundaries, part headers and small form fields
FRAMING = 64 * 1024


class RequestLimits:
    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limits = self.settings.limits
        limit = limits.upload_bytes + FRAMING
        if len(scope.get("query_string", b"")) > limits.query_length:
            return await _refuse(send, 414, f"the query string is longer than {limits.query_length} characters "
                                            f"({setting('query_length')}); narrow the query, or use the bulk "
                                            "download files of the release (see /api/v1/releases)", "query")
        length = dict(scope.get("headers", ())).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await _refuse(send, 413, _too_large(int(length), limits.upload_bytes, exact=True), "body")
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
                await _refuse(send, 413, _too_large(exc.received, limits.upload_bytes, exact=False), "body")


class BodyTooLarge(Exception):
    def __init__(self, received: int):
        super().__init__(received)
        self.received = received


def _too_large(size: int, limit: int, *, exact: bool) -> str:
    said = megabytes(size) if exact else f"over {megabytes(limit)}"
    return (f"the request body is {said}, over the upload limit of {megabytes(limit)} ({limit:,} bytes, "
            f"{setting('upload_bytes')}); send a smaller file, or split it")


async def _refuse(send, status: int, error: str, parameter: str) -> None:
    body = json.dumps({"error": error, "parameter": parameter}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def install(app, settings: Settings) -> None:
    from .errors import reraise
    app.add_middleware(RequestLimits, settings=settings)
    reraise(app, BodyTooLarge)     # past FastAPI's handlers, up to the middleware that answers it
