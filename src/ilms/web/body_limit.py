"""The upload limit at the door: a request body larger than ``Settings.max_upload_bytes`` (plus
room for the multipart framing and form fields) is refused with 413 -- at once when its
Content-Length says so, else as soon as that many bytes have arrived -- and never held whole."""
from __future__ import annotations

import json

FRAMING = 64 * 1024


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app, settings):
        self.app = app
        self.limit = settings.max_upload_bytes + FRAMING
        self.file_limit = settings.max_upload_bytes

    async def _refuse(self, send) -> None:
        body = json.dumps({"error": f"the request is larger than the upload limit of {self.file_limit:,} bytes",
                           "parameter": "file"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._refuse(send)
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        async def watch(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)
