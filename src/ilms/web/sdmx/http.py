"""HTTP around the SDMX messages: validators (ETag, Last-Modified, 304) and streamed gzip."""
from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from email.utils import format_datetime, parsedate_to_datetime
from typing import Iterable, Iterator


def etag(*parts) -> str:
    """A strong validator from what determines the bytes: release checksum, cut, query, media type."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f'"{digest[:32]}"'


def http_date(when: dt.datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return format_datetime(when.astimezone(dt.timezone.utc).replace(microsecond=0), usegmt=True)


def not_modified(headers, tag: str, last_modified: dt.datetime | None) -> bool:
    """If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)."""
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or tag in tags
    ims = headers.get("if-modified-since")
    if ims and last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.timezone.utc)
        modified = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=dt.timezone.utc)
        return modified.replace(microsecond=0) <= since
    return False


def wants_gzip(accept_encoding: str | None) -> bool:
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            q = params.strip().removeprefix("q=")
            try:
                return not params or float(q) > 0
            except ValueError:
                return True
    return False


def gzipped(pieces: Iterable[bytes], level: int = 6) -> Iterator[bytes]:
    """Compress a stream as it goes (gzip container, RFC 1952)."""
    comp = zlib.compressobj(level, zlib.DEFLATED, 31)
    for piece in pieces:
        out = comp.compress(piece)
        if out:
            yield out
    yield comp.flush()
