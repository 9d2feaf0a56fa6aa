"""``/api/v1/indicators``: the declared indicators, and their values for one published release —
by country (each source and basis) and for the region, with the coverage of every regional value.

The values are computed by ``ilms.analysis`` from the release's public data (the same vintage
rule as the data route); this module only parses parameters and shapes the response.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from ...analysis import indicators, records, regional
from ...analysis.declarations import declarations
from ...analysis.vintage import AnalysisError
from ...tables import structure
from ..deps import get_conn
from ..errors import ERROR_RESPONSES, bad_parameter, not_found
from ..vintage import resolve
from . import PREFIX

router = APIRouter(prefix=f"{PREFIX}/indicators", tags=["indicators"])


class IndicatorOut(BaseModel):
    id: str = Field(description="permanent indicator id")
    name: str
    table: int = Field(description="the ILMS table it is computed from")
    dataflow: str
    bases: list[str] = Field(description="migrant bases it is computed for, each separately: BIR, CIT or _Z")
    by: list[str] = Field(description="breakdown dimensions besides country, basis and year")
    unit: str
    formula: str
    terms: dict[str, dict[str, Any]]
    aggregate: str = Field(description="pooled: regional value = formula of the terms summed over the "
                                       "reporting members; none: no regional value")
    note: str | None = None


class IndicatorList(BaseModel):
    indicators: list[IndicatorOut]


class IndicatorValues(BaseModel):
    indicator: IndicatorOut
    release: str
    checksum: str
    synthetic: bool
    notice: str | None = None
    region: str
    countries: list[dict[str, Any]] = Field(description="one value per country, source, basis, breakdown, year")
    regional: list[dict[str, Any]] = Field(description="regional values, each with its coverage")


@router.get("", response_model=IndicatorList, summary="The declared indicators")
def list_indicators() -> IndicatorList:
    return IndicatorList(indicators=[IndicatorOut(**records.describe(i)) for i in declarations().indicators.values()])


def _codes(text: str | None) -> list[str] | None:
    return [c.strip().upper() for c in text.split(",") if c.strip()] if text else None


@router.get("/{indicator_id}", response_model=IndicatorValues, responses=ERROR_RESPONSES,
            summary="An indicator's values for a published release, by country and for the region")
def indicator_values(
    indicator_id: str,
    release: str | None = Query(None, description="A published release; default the latest"),
    country: str | None = Query(None, description="ISO 3166-1 alpha-3 codes, comma-separated"),
    basis: str | None = Query(None, description="BIR, CIT or _Z (default: every basis of the indicator)"),
    year: str | None = Query(None, description="YYYY or YYYY:YYYY"),
    region: str | None = Query(None, description="Region id (default: the default region, e.g. ASEAN)"),
    conn: Connection = Depends(get_conn),
) -> IndicatorValues:
    try:
        ind = declarations().indicator(indicator_id)
    except KeyError as exc:
        raise not_found(exc.args[0], "indicator_id") from None
    countries = _codes(country)
    for c in countries or ():
        if c not in structure().codelists["CL_COUNTRY"]:
            raise bad_parameter("country", f"country={c!r}: not an ISO 3166-1 alpha-3 code in CL_COUNTRY")
    bases = _codes(basis)
    if bases and set(bases) - set(ind.bases):
        raise bad_parameter("basis", f"basis={basis!r}: {ind.id} is computed for {', '.join(ind.bases)}")
    start, end = _years(year)
    try:
        reg = regional.region_of(region)
    except AnalysisError as exc:
        raise bad_parameter("region", str(exc)) from None
    vintage = resolve(conn, release)
    values = indicators.compute(conn, ind.id, vintage.cut, region=reg, bases=bases)
    pooled = regional.aggregate(conn, ind.id, vintage.cut, reg, values=values)

    def keep(v) -> bool:
        return start <= v.time[:4] <= end
    shown = [records.country_record(v) for v in values if keep(v) and (countries is None or v.ref_area in countries)]
    return IndicatorValues(indicator=IndicatorOut(**records.describe(ind)), release=vintage.release.name,
                           checksum=vintage.release.checksum, synthetic=vintage.synthetic, notice=vintage.notice,
                           region=reg.id, countries=shown,
                           regional=[records.regional_record(r) for r in pooled if keep(r)])


def _years(spec: str | None) -> tuple[str, str]:
    if not spec:
        return "0000", "9999"
    first, sep, last = spec.partition(":")
    if not sep:
        last = first
    for part in (first, last):
        if part and not (part.isdigit() and len(part) == 4):
            raise bad_parameter("year", f"year={spec!r}: give YYYY or YYYY:YYYY")
    return first or "0000", last or "9999"
