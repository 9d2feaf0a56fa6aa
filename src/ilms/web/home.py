"""``/``: where a person lands — the 17 tables, the latest release and the ways in to the data.

(The public portal with charts and curation pages comes later; this page only points the way.)
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection

from ..store import releases
from ..tables import structure
from .deps import get_conn
from .downloads.pages import render
from .models import SYNTHETIC_NOTICE

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, conn: Connection = Depends(get_conn)):
    s = structure()
    latest = releases.latest_published(conn)
    modules = [(letter, title, [t for t in s.tables.values() if t.module == letter])
               for letter, title in s.modules.items()]
    return render("home.html", title="International Labour Migration Statistics", modules=modules,
                  latest=latest, notice=SYNTHETIC_NOTICE if latest is not None and latest.synthetic else None,
                  agency=s.agency)
