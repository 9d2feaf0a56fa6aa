"""JSON or HTML for the page routes: ``?format=`` wins, then the Accept header; JSON by default."""
from __future__ import annotations

from fastapi import Request

from ..errors import bad_parameter

FORMATS = ("json", "html")


def _quality(accept: str, media: str) -> float:
    best = 0.0
    family = media.split("/")[0] + "/*"
    for part in accept.split(","):
        kind, *params = [p.strip() for p in part.split(";")]
        if kind.lower() not in (media, family, "*/*"):
            continue
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        # an exact type outranks a wildcard of the same quality
        best = max(best, q + (0.001 if kind.lower() == media else 0.0))
    return best


def wants_html(request: Request, format: str | None) -> bool:
    if format is not None:
        if format not in FORMATS:
            raise bad_parameter("format", f"format must be one of {', '.join(FORMATS)}, not {format!r}")
        return format == "html"
    accept = request.headers.get("accept") or ""
    if "html" not in accept:
        return False
    return _quality(accept, "text/html") > _quality(accept, "application/json")
