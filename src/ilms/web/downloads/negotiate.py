"""JSON or HTML for the page routes: ``?format=`` wins, then the Accept header; JSON by default."""
from __future__ import annotations

from fastapi import Request

from ..accept import parse_accept, quality
from ..errors import bad_parameter

FORMATS = ("json", "html")


def wants_html(request: Request, format: str | None) -> bool:
    if format is not None:
        if format not in FORMATS:
            raise bad_parameter("format", f"format must be one of {', '.join(FORMATS)}, not {format!r}")
        return format == "html"
    accept = request.headers.get("accept") or ""
    if "html" not in accept:
        return False
    ranges = parse_accept(accept)
    return quality(ranges, "text/html") > quality(ranges, "application/json")
