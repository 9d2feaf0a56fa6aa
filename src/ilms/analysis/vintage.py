"""Which data an analysis reads: a published release (the named one, or the latest), by its cut.

The same rule as the public API (``ilms.web.vintage``): unpublished data are never analysed, and
confidential values are masked (``store.read.public_value``) before anything is summed.
"""
from __future__ import annotations

from sqlalchemy import Connection

from ..store import releases
from ..store.releases import Release


class AnalysisError(ValueError):
    """Bad input to an analysis (unknown release, nothing published, region without data)."""


def published_release(conn: Connection, name: str | None = None) -> Release:
    if name is not None:
        found = releases.get(conn, name)
        if found is None:
            known = [r.name for r in releases.all_releases(conn) if r.published]
            raise AnalysisError(f"release {name!r}: no such release"
                                + (f" (published: {', '.join(known)})" if known else " (none is published)"))
        if not found.published:
            raise AnalysisError(f"release {name!r} is not published: only published data are analysed")
        return found
    found = releases.latest_published(conn)
    if found is None:
        raise AnalysisError("no release has been published yet: the database holds nothing to analyse")
    return found
