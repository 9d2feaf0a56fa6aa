"""``/``: what the database is, the headline figures of the latest release for the region, a map
coloured by a chosen figure (with its data table), what changed in the release, the tables."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection

from ...publish import release_diff
from ...store import releases
from ...store.summaries.memo import per_cut
from ...tables import structure
from ..deps import get_conn
from . import headlines
from .map import choropleth
from .render import number, page, svg, vintage_of

router = APIRouter(include_in_schema=False)


def previous_release(conn: Connection, release) -> releases.Release | None:
    earlier = [r for r in releases.all_releases(conn)
               if r.published_at is not None and r.cut < release.cut]
    return earlier[-1] if earlier else None


def changes(conn: Connection, vintage) -> dict:
    """What the vintage's release changed since the release before it, by table (counts from SQL)."""
    before = previous_release(conn, vintage.release)
    return {"previous": before, "tables": _by_table(conn, vintage.release.cut, before.cut if before else None)}


@per_cut
def _by_table(conn: Connection, cut: int, before: int | None) -> dict:
    """Added, revised, removed per table between two release cuts (a published pair never changes)."""
    by_table: dict[int, dict] = {}
    for c in release_diff.diff(conn, before, cut):
        t = by_table.setdefault(c.table, {"added": 0, "revised": 0, "removed": 0, "countries": set()})
        for k in ("added", "revised", "removed"):
            t[k] += getattr(c, k)
        t["countries"].add(c.country)
    return dict(sorted(by_table.items()))


@router.get("/")
def home(request: Request, conn: Connection = Depends(get_conn)):
    s = structure()
    vintage = vintage_of(request, conn)
    modules = [(letter, title, [t for t in s.tables.values() if t.module == letter])
               for letter, title in s.modules.items()]
    context = {"modules": modules, "agency": s.agency, "region": s.default_region}
    if vintage is not None:
        figures = headlines.figures(conn, vintage.cut)
        chosen = request.query_params.get("map")
        by_id = {f.declaration.id: f for f in figures}
        shown = by_id.get(chosen) or figures[0]
        members = s.default_region.all_members()
        country = s.codelists["CL_COUNTRY"]

        def describe(code: str, value) -> str:
            latest = shown.latest.get(code)
            if latest is None:
                return f"{country.label(code)}: no data"
            unit = "%" if shown.declaration.is_share else " thousand"
            return f"{country.label(code)}: {number(latest.value)}{unit} ({latest.year})"

        picture, legend = choropleth(
            members, {c: v.value for c, v in shown.latest.items()}, title=shown.declaration.label,
            describe=describe, href=lambda c: f"/countries/{c}", table_id="map-data")
        context.update(figures=figures, shown=shown, map_svg=svg(picture), legend=legend,
                       changes=changes(conn, vintage), members=members)
    return page(request, "home.html", title="International Labour Migration Statistics", vintage=vintage,
                **context)
