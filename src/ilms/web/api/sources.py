"""``/api/v1/sources``: the source catalogue (surveys, censuses, registers), optionally of one country."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from ...store import sources
from ...tables import structure
from ..deps import get_conn
from ..errors import ERROR_RESPONSES, bad_parameter
from ..models import SourceList, SourceOut
from . import PREFIX

router = APIRouter(prefix=f"{PREFIX}/sources", tags=["sources"])


@router.get("", response_model=SourceList, responses={400: ERROR_RESPONSES[400]},
            summary="The source catalogue")
def list_sources(country: str | None = Query(None, description="ISO 3166-1 alpha-3 code, e.g. THA"),
                 conn: Connection = Depends(get_conn)) -> SourceList:
    ref_area = None
    if country is not None:
        ref_area = country.strip().upper()
        if ref_area not in structure().codelists["CL_COUNTRY"]:
            raise bad_parameter("country", f"country={country!r}: not an ISO 3166-1 alpha-3 code in CL_COUNTRY")
    rows = sources.catalogue(conn, ref_area)
    return SourceList(sources=[SourceOut(ilostat_code=sources.ilostat_code(r["code"]),
                                         **{k: r[k] for k in SourceOut.model_fields if k in r})
                               for r in rows])
