"""``/indicators`` and ``/indicators/{indicator_id}``: the declared indicators (``indicators.yaml``)
computed from the published data — each by country and for the region, every regional value with
its coverage (the countries that went in, the members missing), and links to the JSON API, the
SDMX REST query of DF_ILMS_INDICATORS and the release's bulk files.

The values come from ``ilms.analysis`` (the same functions as ``/api/v1/indicators``) at the cut of
the page's vintage, so the page shows what the public may see.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection

from ...analysis import indicators, records, regional
from ...analysis.declarations import declarations
from ...tables import structure
from ..deps import get_conn
from ..downloads.router import page_path
from . import published
from .errors import PageError
from .render import page

router = APIRouter(include_in_schema=False)

#: the bulk files of a release holding the indicators (formats of ``ilms.publish.bulk_formats``)
DOWNLOADS = (("indicators", "Indicators (CSV)"), ("indicators-sdmx", "Indicators (SDMX-CSV 2.0.0)"),
             ("indicators-structure", "Indicator structures (SDMX-ML 2.1)"))


def _breakdown(key) -> str:
    return ", ".join(c for _, c in key)


@router.get("/indicators")
def indicators_index(request: Request, conn: Connection = Depends(get_conn)):
    v = published.vintage(request, conn)
    described = [records.describe(i) for i in declarations().indicators.values()]
    return page(request, "indicators/index.html", vintage=v, title=published.gettext_for(request)("Indicators"),
                indicators=described, downloads=DOWNLOADS, region=structure().default_region,
                release_page=page_path(v.release) if v is not None else None)


@router.get("/indicators/{indicator_id}")
def indicator_page(indicator_id: str, request: Request, conn: Connection = Depends(get_conn)):
    try:
        ind = declarations().indicator(indicator_id)
    except KeyError:
        raise PageError(404, f"There is no indicator {indicator_id!r}: the indicators are "
                             f"{', '.join(declarations().indicators)}.", "indicator_id", "/indicators") from None
    v = published.vintage(request, conn)
    region = structure().default_region
    countries, pooled = [], []
    if v is not None:
        countries = indicators.compute(conn, ind.id, v.cut, region=region)
        pooled = regional.aggregate(conn, ind.id, v.cut, region, values=countries)
    return page(request, "indicators/detail.html", vintage=v, title=ind.name, indicator=records.describe(ind),
                countries=countries, regional=pooled, region=region, breakdown=_breakdown,
                downloads=DOWNLOADS, name=published.country_name,
                release_page=page_path(v.release) if v is not None else None)
