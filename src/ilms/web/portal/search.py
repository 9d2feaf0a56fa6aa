"""``/search?q=``: one box for tables, countries, sources, ILOSTAT indicators, codes and labels
(``ilms.search``); each hit links to the page that answers it."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection

from ...search import KINDS, Hit, SearchError, search
from ..deps import get_conn
from . import published
from .errors import PageError
from .render import carried, page, url_for_query

router = APIRouter(include_in_schema=False)

KIND_TITLES = {"table": "Tables", "country": "Countries", "source": "Sources", "indicator": "ILOSTAT indicators",
               "code": "Codes and labels"}


def target(hit: Hit, keep: dict) -> str:
    """The page a hit leads to."""
    if hit.kind == "table":
        return url_for_query(f"/tables/{hit.id}", keep)
    if hit.kind == "country":
        return url_for_query(f"/countries/{hit.id}", keep)
    if hit.kind == "source":
        return url_for_query(f"/sources/{hit.id}", keep)
    if hit.kind == "indicator":
        return url_for_query(f"/standard/{hit.table}", keep)
    return url_for_query(f"/standard/{hit.table}", keep) + f"#{hit.id}"


@router.get("/search")
def search_page(request: Request, conn: Connection = Depends(get_conn)):
    q = request.query_params.get("q", "")
    try:
        hits = search(conn, q)
    except SearchError as e:
        raise PageError(400, str(e), "q", "/search") from None
    keep = carried(request)
    groups = [(kind, KIND_TITLES[kind], [h for h in hits if h.kind == kind]) for kind in KINDS]
    return page(request, "search.html", conn=conn, title=published.gettext_for(request)("Search"), q=q,
                hits=hits, groups=[g for g in groups if g[2]], target=lambda h: target(h, keep),
                explorer=lambda h, n=None: published.explorer(n or h.table, keep, **{h.dimension: h.id}))
