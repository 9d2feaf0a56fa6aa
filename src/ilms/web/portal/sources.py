"""``/sources`` and ``/sources/{code}``: the source catalogue — each survey, census or register
with its metadata and notes, and the tables it feeds in the published data."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection, select

from ...store import sources as source_store
from ...store.schema import source as source_table
from ...store.summaries.availability import by_source
from ...tables import structure
from ..deps import get_conn
from . import published
from .errors import PageError
from .render import carried, page

router = APIRouter(include_in_schema=False)

#: the catalogue fields a source page shows, in order, with their labels
FIELDS = (("type", "Type"), ("agency", "Agency"), ("periodicity", "Periodicity"), ("coverage", "Coverage"),
          ("migrant_definition", "Migrant definition"), ("reference_period", "Reference period"),
          ("classifications", "Classifications"), ("notes", "Notes"))


@router.get("/sources")
def sources_index(request: Request, conn: Connection = Depends(get_conn)):
    v = published.vintage(request, conn)
    q = request.query_params
    country = published.country(q["country"], "/sources") if q.get("country") else None
    rows = source_store.catalogue(conn, country)
    uses = by_source(conn, v.cut, countries=[country] if country else []) if v is not None else {}
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row["ref_area"], []).append(row)
    s = structure()
    return page(request, "sources/index.html", vintage=v,
                title=published.gettext_for(request)("Sources"),
                groups=sorted(groups.items(), key=lambda kv: published.country_name(kv[0])), uses=uses,
                types=s.codelists["CL_SOURCE_TYPE"], name=published.country_name, country=country,
                region=s.default_region)


@router.get("/sources/{code}")
def source_page(code: str, request: Request, conn: Connection = Depends(get_conn)):
    row = conn.execute(select(source_table).where(source_table.c.code == code.strip().upper())).first()
    if row is None:
        raise PageError(404, f"There is no source {code!r} in the catalogue.", "code", "/sources")
    row = dict(row._mapping)
    v = published.vintage(request, conn)
    uses = by_source(conn, v.cut, sources=[row["code"]]).get(row["code"], []) if v is not None else []
    s = structure()
    keep = carried(request)
    return page(request, "sources/detail.html", vintage=v, title=row["name"], source=row, uses=uses,
                fields=FIELDS, types=s.codelists["CL_SOURCE_TYPE"], tables=s.tables, name=published.country_name,
                ilostat=source_store.ilostat_code(row["code"]),
                explorer=lambda n, **f: published.explorer(n, keep, **f))
