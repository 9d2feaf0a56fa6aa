"""``/tables``: the list of tables; ``/tables/{n}``: the table explorer (see ``explorer_view``)."""
from __future__ import annotations

from fastapi import APIRouter, Request

from ...tables import structure
from .render import page

router = APIRouter(include_in_schema=False)


@router.get("/tables")
def tables(request: Request):
    s = structure()
    modules = [(letter, title, [t for t in s.tables.values() if t.module == letter])
               for letter, title in s.modules.items()]
    return page(request, "tables.html", title="Data explorer", modules=modules)
