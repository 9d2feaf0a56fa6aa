"""The HTTP Accept header, parsed once for every route that negotiates (pages, SDMX)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AcceptRange:
    type: str            # "text/html", "application/*", "*/*", lower case
    params: dict         # media-type parameters other than q (e.g. version)
    q: float             # quality, 0..1
    order: int           # position in the header (ties go to the earlier)


def parse_accept(header: str | None) -> list[AcceptRange]:
    ranges = []
    for n, part in enumerate((header or "").split(",")):
        part = part.strip()
        if not part:
            continue
        fields = [f.strip() for f in part.split(";")]
        params = {}
        for f in fields[1:]:
            name, _, value = f.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            q = 0.0
        ranges.append(AcceptRange(fields[0].lower(), params, max(0.0, min(q, 1.0)), n))
    return ranges


def quality(ranges: list[AcceptRange], media: str) -> float:
    """How much the client wants ``media``; an exact type outranks a wildcard of the same q."""
    family = media.split("/")[0] + "/*"
    best = 0.0
    for r in ranges:
        if r.type in (media, family, "*/*"):
            best = max(best, r.q + (0.001 if r.type == media else 0.0))
    return best
