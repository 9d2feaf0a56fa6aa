"""``/status``: what is running and what it serves — version, database backend, schema revision,
the latest published release and the number of observations. JSON or a small HTML page."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import Connection, Engine, func, select

from ... import __version__
from ...store import migrate, releases
from ...store.schema import observation
from ..deps import get_conn, get_engine
from .negotiate import wants_html
from .pages import render
from .router import release_summary

router = APIRouter(tags=["service"])


def current_observations(conn: Connection) -> int:
    """Observations in the store now (current versions that are not deletions), published or not."""
    return int(conn.execute(select(func.count()).select_from(observation)
                            .where(observation.c.valid_to.is_(None), observation.c.deleted.is_(False))).scalar())


@router.get("/status", summary="Service version, database, schema revision, latest release")
def status(request: Request, format: str | None = Query(None, description="`json` or `html`"),
           conn: Connection = Depends(get_conn), engine: Engine = Depends(get_engine)):
    latest = releases.latest_published(conn)
    body = {
        "service": "ilms",
        "version": __version__,
        "database": {"backend": engine.dialect.name, "schema_revision": migrate.current(engine)},
        "latest_release": release_summary(latest) if latest else None,
        "observations": {"published": latest.n_observations if latest else None,
                         "current": current_observations(conn)},
    }
    if wants_html(request, format):
        return render("status.html", title="Service status", status=body)
    return body
