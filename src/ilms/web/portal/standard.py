"""``/standard`` and ``/standard/{n}``: the 17 standard tables as declared (``ilms.tables``) — each
table's definition, dimensions, every code of its classifications, the ILOSTAT indicators it
corresponds to — and ``/standard/questionnaire.xlsx``: the blank questionnaire of a country and
year, written by the questionnaire writer (``ilms.collect.questionnaire``)."""
from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...collect.questionnaire.writer import QuestionnaireError, build, check_request
from ...tables import structure
from . import published
from .errors import PageError
from .render import carried, page

router = APIRouter(include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _defaults() -> tuple[str, int]:
    s = structure()
    return s.default_region.all_members()[0], dt.date.today().year - 1


@router.get("/standard")
def standard_index(request: Request):
    s = structure()
    modules = [(letter, title, [t for t in s.tables.values() if t.module == letter])
               for letter, title in s.modules.items()]
    country, year = _defaults()
    return page(request, "standard/index.html", title=published.gettext_for(request)("The standard tables"),
                modules=modules, region=s.default_region, name=published.country_name, default_country=country,
                default_year=year)


@lru_cache(maxsize=32)
def blank_questionnaire(country: str, year: int) -> bytes:
    """The workbook of the questionnaire writer with no data and no source catalogue: it depends on
    the declarations only, so it is written once per country and year."""
    wb, _ = build(country, year, catalogue=[])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@router.get("/standard/questionnaire.xlsx")
def questionnaire(request: Request, country: str | None = None, year: str | None = None):
    """The blank questionnaire (all 17 tables) for ``country`` and ``year``."""
    default_country, default_year = _defaults()
    area = published.country(country, "/standard") if country else default_country
    if year is None or year == "":
        yr = default_year
    else:
        yr = int(published.year(year, back="/standard"))
    try:
        check_request(area, yr)
        content = blank_questionnaire(area, yr)
    except QuestionnaireError as e:
        raise PageError(400, str(e), "year", "/standard") from None
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="ILMS_questionnaire_{area}_{yr}.xlsx"'})


@router.get("/standard/{number}")
def standard_table(number: str, request: Request):
    t = published.table(number)
    s = structure()
    dims = []
    for d in t.dimensions:
        required = t.required.get(d.id, ())
        hierarchies = [h for h in s.hierarchies_for(d.codelist.id)]
        dims.append({"dimension": d, "required": required, "hierarchies": hierarchies,
                     "codes": () if d.codelist.open or d.codelist.id in ("CL_COUNTRY", "CL_PARTNER") else tuple(d.codelist)})
    keep = carried(request)
    country, year = _defaults()
    return page(request, "standard/table.html", title=f"{t.number}. {t.title}", t=t, dims=dims, s=s,
                module=s.modules[t.module], explorer=published.explorer(t.number, keep), name=published.country_name,
                default_country=country, default_year=year, region=s.default_region,
                previous=s.tables.get(t.number - 1), next=s.tables.get(t.number + 1))
