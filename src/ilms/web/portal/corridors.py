"""``/corridors``: origin -> destination views of one partner table and year — a ranking, a
matrix, a flow diagram, a map of one country's inward or outward corridors — and the mirror
comparison of what origin and destination each report. Figures from
``ilms.store.summaries.corridors``; every chart and the map have a table on the page."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup
from sqlalchemy import Connection

from ...store.summaries import corridors as summary
from ...tables import structure
from ..deps import get_conn
from . import map as choropleth_map
from . import published, svg_charts
from .render import carried, number, page, url_for_query

router = APIRouter(include_in_schema=False)

DIRECTIONS = ("inward", "outward")
SEXES = ("SEX_T", "SEX_F", "SEX_M")
#: corridors drawn in the flow diagram and listed in the ranking
FLOW_LIMIT, RANK_LIMIT = 15, 30


@router.get("/corridors")
def corridors_page(request: Request, conn: Connection = Depends(get_conn)):
    q = request.query_params
    back = "/corridors"
    tables = tuple(sorted(summary.partner_tables()))
    table_no = int(published.choice(q.get("table"), tuple(map(str, tables)), "table", "3", back))
    year = published.year(q.get("year"), back=back)
    sex = published.choice(q.get("sex"), SEXES, "sex", "SEX_T", back)
    direction = published.choice(q.get("direction"), DIRECTIONS, "direction", "inward", back)
    focus = published.country(q["country"], back) if q.get("country") else None
    s = structure()
    _ = published.gettext_for(request)
    v = published.vintage(request, conn)
    ctx = dict(vintage=v, title=_("Migration corridors"), tables=tables, table=s.tables[table_no], sex=sex,
               sexes=SEXES, sex_list=s.codelists["CL_SEX"], direction=direction, focus=focus, years=(), year=year,
               name=published.country_name, reporter=summary.partner_tables()[table_no][1],
               explorer=lambda n, **f: published.explorer(n, carried(request), **f), s=s)
    if v is None:
        return page(request, "corridors.html", **ctx)
    counts = summary.years(conn, v.cut, table_no)
    years = tuple(counts)
    if year is None:
        year = summary.best_year(counts)
    flows = summary.flows(conn, v.cut, table_no, years=[year] if year else [], sex=sex) if year else []
    ranked = sorted(flows, key=lambda f: (f.value is None, -(f.value or 0), f.origin, f.destination))
    origins = sorted({f.origin for f in flows}, key=lambda c: -sum(f.value or 0 for f in flows if f.origin == c))
    dests = sorted({f.destination for f in flows}, key=lambda c: -sum(f.value or 0 for f in flows if f.destination == c))
    cells = {(f.origin, f.destination): f for f in flows}
    names = {c: _(published.country_name(c)) for c in set(origins) | set(dests)}
    flow_svg = svg_charts.sankey([(f.origin, f.destination, f.value) for f in ranked[:FLOW_LIMIT]],
                                 title=_("The %(n)s largest corridors, %(year)s", n=min(FLOW_LIMIT, len(ranked)),
                                         year=year or ""), names=names)
    region = s.default_region.all_members()
    if focus is None:      # the member with the largest total in this direction
        end = (lambda f: f.destination) if direction == "inward" else (lambda f: f.origin)
        totals = {c: sum(f.value or 0 for f in flows if end(f) == c) for c in region}
        focus = max(totals, key=lambda c: (totals[c], c)) if any(totals.values()) else None
    map_svg, legend, map_rows = Markup(""), [], []
    if focus:
        if direction == "inward":
            mine = {f.origin: f.value for f in flows if f.destination == focus}
        else:
            mine = {f.destination: f.value for f in flows if f.origin == focus}
        map_rows = sorted(mine.items(), key=lambda kv: (kv[1] is None, -(kv[1] or 0), kv[0]))
        codes = tuple(sorted((set(mine) | {focus} | set(region)) & set(choropleth_map.shapes())))
        if codes:
            what = _("from") if direction == "inward" else _("to")

            def describe(code, value):
                if code == focus:
                    return f"{names.get(code, published.country_name(code))}: {_('selected country')}"
                if value is None:
                    return f"{published.country_name(code)}: {_('no figure') if code not in mine else _('confidential')}"
                return f"{published.country_name(code)}: {number(value)} {_('thousand')}"

            svg_text, legend = choropleth_map.choropleth(
                codes, {c: mine.get(c) for c in codes},
                title=_("Corridors %(what)s %(country)s, %(year)s", what=what,
                        country=published.country_name(focus), year=year or ""),
                describe=describe, href=lambda c: url_for_query(
                    "/corridors", {**carried(request), "table": table_no, "year": year, "country": c,
                                   "direction": direction}), table_id="map-table")
            map_svg = Markup(svg_text)
    mirrors = summary.mirror(conn, v.cut, years=[year] if year else [], sex=sex,
                             countries=[focus]) if focus else []
    ctx.update(years=years, year=year, ranked=ranked[:RANK_LIMIT], n_flows=len(flows), origins=origins,
               dests=dests, cells=cells, flow_svg=flow_svg, map_svg=map_svg, legend=legend, map_rows=map_rows,
               focus=focus, mirrors=mirrors, names=names,
               region=[c for c in region])
    return page(request, "corridors.html", **ctx)
