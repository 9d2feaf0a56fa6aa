"""``/countries/`` and ``/countries/{ISO3}``: country profiles — migrants in the labour market,
inflows, nationals abroad and outflows, with the sources behind each figure. The figures come
from ``ilms.store.summaries.profiles`` (SQL over the published state); this module only lays them out."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection

from ...store import sources as source_store
from ...store.schema import note
from ...store.summaries import profiles
from ...store.summaries.availability import availability
from ...tables import structure
from ..deps import get_conn
from . import published, svg_charts
from .render import carried, page

router = APIRouter(include_in_schema=False)

SEXES = ("SEX_T", "SEX_F", "SEX_M")
#: migrant bases a profile can be narrowed to (default: each figure from the preferred one)
BASES = ("BIR", "CIT")
#: the headline figures of a profile, in order; ratios are shown as percentages
HEADLINES = ("stock", "employment_share", "inflows", "nationals_abroad", "outflows_employment")


@router.get("/countries")
@router.get("/countries/")
def countries_index(request: Request, conn: Connection = Depends(get_conn)):
    v = published.vintage(request, conn)
    s = structure()
    region = s.default_region
    rows, others = [], []
    if v is not None:
        matrix = availability(conn, v.cut)
        stock = profiles.latest_by_country(conn, v.cut, "stock")
        abroad = profiles.latest_by_country(conn, v.cut, "nationals_abroad")
        have = set(matrix.countries)
        for code in sorted(set(region.all_members()) | have, key=published.country_name):
            entry = {"code": code, "name": published.country_name(code),
                     "tables": sorted({t for (c, t, _) in matrix.cells if c == code}),
                     "years": sorted({y for (c, _, y) in matrix.cells if c == code}),
                     "stock": stock.get(code), "abroad": abroad.get(code)}
            (rows if code in region.members else others).append(entry)
    return page(request, "countries/index.html", vintage=v, title="Country profiles", region=region, rows=rows,
                others=others)


def _sex(request: Request, back: str) -> str:
    return published.choice(request.query_params.get("sex"), SEXES, "sex", "SEX_T", back)


@router.get("/countries/{code}")
def country_profile(code: str, request: Request, conn: Connection = Depends(get_conn)):
    area = published.country(code)
    back = f"/countries/{area}"
    sex = _sex(request, back)
    basis = published.choice(request.query_params.get("basis"), BASES, "basis", None, back)
    v = published.vintage(request, conn)
    profile = profiles.profile(conn, v.cut, area, sex=sex, basis=basis) if v is not None else None
    s = structure()
    catalogue = {row["code"]: row for row in source_store.catalogue(conn, None)}
    used = profile.sources if profile else ()
    note_codes = sorted({n for pts in (profile.figures.values() if profile else ()) for p in pts for n in p.notes})
    notes = {r.code: r.text for r in conn.execute(note.select().where(note.c.code.in_(note_codes)))} if note_codes else {}
    keep = carried(request)
    charts = _charts(profile, s, published.gettext_for(request)) if profile else {}
    return page(request, "countries/profile.html", vintage=v, title=published.country_name(area), area=area,
                profile=profile, sex=sex, sexes=SEXES, sex_list=s.codelists["CL_SEX"],
                basis=basis, bases=BASES, basis_list=s.codelists["CL_BASIS"], catalogue=catalogue,
                used_sources=[catalogue.get(c, {"code": c, "name": c}) for c in used], notes=notes,
                figures=profiles.FIGURES, ratios=profiles.RATIOS, headlines=HEADLINES,
                latest=profiles.latest, tables=s.tables, charts=charts,
                explorer=lambda n, **f: published.explorer(n, keep, **f), name=published.country_name,
                member=area in s.default_region.members)


def _charts(p: profiles.Profile, s, _) -> dict:
    """The SVG charts of a profile (each has its table on the page)."""
    out = {}
    stock = {_(profiles.FIGURES[k].label): [(pt.period, pt.value) for pt in p.figures[k]]
             for k in ("stock", "employed_migrants") if p.figures[k]}
    if stock:
        out["stock"] = svg_charts.line_chart(stock, title=_("Migrants over time (thousands)"),
                                             unit=_("thousands"))
    flows = {_(profiles.FIGURES[k].label): [(pt.period, pt.value) for pt in p.figures[k]]
             for k in ("inflows", "outflows", "outflows_employment") if p.figures[k]}
    if flows:
        out["flows"] = svg_charts.line_chart(flows, title=_("Inflows and outflows over time (thousands)"),
                                             unit=_("thousands"))
    for d in p.distributions:
        out[f"dist{d.table}"] = svg_charts.bar_chart(
            [(_(r.label), r.migrants) for r in d.rows],
            title=_("Employed migrants by %(what)s, %(year)s",
                    what=_(s.tables[d.table].dimension(d.dimension).name).lower(), year=d.period),
            confidential=_("confidential"))
    for t, part in p.partners.items():
        out[f"partners{t}"] = svg_charts.bar_chart(
            [(published.country_name(c), val) for c, val in part.top],
            title=f"{_(s.tables[t].short)}, {part.period}", label_width=220, confidential=_("confidential"))
    return out
