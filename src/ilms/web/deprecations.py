"""Deprecated paths, announced on every response with ``Deprecation`` (RFC 9745), ``Sunset``
(RFC 8594) and a ``Link`` to the successor; a path is withdrawn no sooner than 12 months after
it was announced (a declaration with less notice is refused at start-up).

Versioned paths are permanent; this list is for the rare path that must go. Add an entry, never
remove one before its sunset.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime

#: the least notice a deprecation gives
MIN_NOTICE = dt.timedelta(days=365)


@dataclass(frozen=True)
class Deprecation:
    path: str                        # the path, and everything under it
    announced: dt.date
    sunset: dt.date
    successor: str | None = None

    def __post_init__(self):
        if self.sunset - self.announced < MIN_NOTICE:
            raise ValueError(f"deprecation of {self.path}: the sunset {self.sunset} is less than 12 months "
                             f"after the announcement {self.announced}")

    def covers(self, path: str) -> bool:
        return path == self.path or path.startswith(self.path.rstrip("/") + "/")

    def headers(self) -> list[tuple[bytes, bytes]]:
        midnight = dt.datetime.combine(self.announced, dt.time(), dt.timezone.utc)
        sunset = dt.datetime.combine(self.sunset, dt.time(), dt.timezone.utc)
        out = [(b"deprecation", f"@{calendar.timegm(midnight.timetuple())}".encode()),
               (b"sunset", format_datetime(sunset, usegmt=True).encode())]
        if self.successor:
            out.append((b"link", f'<{self.successor}>; rel="successor-version"'.encode()))
        return out


DEPRECATIONS: tuple[Deprecation, ...] = ()


class DeprecationHeaders:
    """ASGI middleware: adds the headers of the deprecation covering the request's path."""

    def __init__(self, app, deprecations: tuple[Deprecation, ...]):
        self.app, self.deprecations = app, deprecations

    async def __call__(self, scope, receive, send):
        found = (next((d for d in self.deprecations if d.covers(scope["path"])), None)
                 if scope["type"] == "http" else None)
        if found is None:
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *found.headers()]}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def install(app, deprecations: tuple[Deprecation, ...] | None = None) -> None:
    deprecations = DEPRECATIONS if deprecations is None else deprecations
    if deprecations:
        app.add_middleware(DeprecationHeaders, deprecations=tuple(deprecations))
