"""``/api/v1/quality``: the source-quality map and gap analysis of a published release (JSON),
computed by ``ilms.analysis.quality`` — the same data ``ilms quality`` writes."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from ...analysis import quality
from ...analysis.regional import region_of
from ...analysis.vintage import AnalysisError
from ..deps import get_conn
from ..errors import ERROR_RESPONSES, bad_parameter, not_found
from ..vintage import resolve
from . import PREFIX

router = APIRouter(prefix=f"{PREFIX}/quality", tags=["quality"])


class QualityOut(BaseModel):
    release: str
    checksum: str
    synthetic: bool
    notice: str | None = None
    region: str
    first_year: int
    last_year: int
    rows: list[dict[str, Any]] = Field(description="one per country x table: sources, years, breaks, "
                                                   "completeness (0-1), comparability, gap, could_fill")


@router.get("", response_model=QualityOut, responses=ERROR_RESPONSES,
            summary="Source-quality map and gaps of a published release")
def get_quality(release: str | None = Query(None, description="A published release; default the latest"),
                region: str | None = Query(None, description="Region id (default: the default region)"),
                country: str | None = Query(None, description="Only this country (ISO alpha-3)"),
                conn: Connection = Depends(get_conn)) -> QualityOut:
    try:
        reg = region_of(region)
    except AnalysisError as exc:
        raise bad_parameter("region", str(exc)) from None
    if country and country.strip().upper() not in reg.members:
        raise bad_parameter("country", f"country={country!r}: not a member of {reg.id}")
    vintage = resolve(conn, release)
    try:
        qmap = quality.quality_map(conn, vintage.cut, release_name=vintage.release.name,
                                   checksum=vintage.release.checksum, synthetic=vintage.synthetic, region=reg)
    except AnalysisError as exc:
        raise not_found(str(exc), "region") from None
    rows = [r.as_dict() for r in qmap.rows if not country or r.country == country.strip().upper()]
    return QualityOut(release=qmap.release, checksum=qmap.checksum, synthetic=qmap.synthetic,
                      notice=vintage.notice, region=qmap.region, first_year=qmap.first_year,
                      last_year=qmap.last_year, rows=rows)
