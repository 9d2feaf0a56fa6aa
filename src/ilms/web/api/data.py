"""``/api/v1/tables/{number}/data``: one table's observations, filtered, streamed whole as JSON or CSV.

The data come from the latest published release unless ``release`` or ``as_of`` say otherwise
(see ``vintage``); confidential values always come out masked (value null, ``confidential`` true).
The selection is counted in SQL first: more than ``Limits.api_observations`` is a 413 saying how to
narrow the query or where the bulk files are, before a byte of data is sent.
"""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine

from ...limits import setting
from ...store import read, sources
from ...store.read import Selection
from ...tables import COMMON_DIMENSIONS, Table, structure
from .. import query
from ..deps import get_engine, get_settings
from ..errors import ERROR_RESPONSES, ApiError, ErrorBody
from ..formats import FORMATS, Format
from ..models import DataMeta, DataResponse, ReleaseRef
from ..sdmx.availability import count, within_release
from ..settings import Settings
from ..vintage import Vintage, resolve
from . import PREFIX
from .tables import lookup

router = APIRouter(prefix=f"{PREFIX}/tables", tags=["data"])


def _dimension_parameters() -> list[dict]:
    """Every dimension id any table has, as an optional query parameter (from the declarations)."""
    s = structure()
    out = []
    for dim in s.dimensions.values():
        if dim.id == query.COUNTRY_DIMENSION:
            continue
        tables = [t.number for t in s.tables.values() if t.has_dimension(dim.id)]
        where = ("every table" if dim.id in COMMON_DIMENSIONS else
                 f"table{'s' if len(tables) > 1 else ''} {', '.join(map(str, tables))}")
        out.append({"name": dim.id, "in": "query", "required": False, "schema": {"type": "string"},
                    "description": f"{dim.name}: comma-separated {dim.codelist.id} codes ({where})."})
    return out


def stream(engine: Engine, selection: Selection, batch: int) -> read.PublicRead:
    """The selection's public observations, read on a connection of its own while the body is sent
    (the tidy CSV formats the driver's tuples)."""
    return read.PublicRead(engine, selection, batch)


def too_large(table: Table, n_obs: int, limit: int) -> ApiError:
    """The 413 of a selection over ``Limits.api_observations``: how to narrow it, where the bulk files are."""
    return ApiError(413, f"this selection holds {n_obs:,} observations, more than the limit of {limit:,} for one "
                         f"response ({setting('api_observations')}): narrow it with filters (country, year, or "
                         f"a dimension of the table, see /api/v1/tables/{table.number}), or download the whole "
                         "table from the bulk files of the release (see /api/v1/releases and /downloads)", None)


def meta_of(table: Table, vintage: Vintage, request: query.DataRequest) -> DataMeta:
    r = vintage.release
    return DataMeta(
        table=table.number, dataflow=table.id, basis=vintage.basis,
        release=ReleaseRef(name=r.name, checksum=r.checksum, synthetic=r.synthetic,
                           published_at=r.published_at) if r else None,
        as_of=vintage.as_of, cut=vintage.cut, synthetic=vintage.synthetic, notice=vintage.notice,
        notes=list(vintage.notes), filters={d: list(c) for d, c in request.filters.items()},
        start=request.start, end=request.end)


def headers(table: Table, meta: DataMeta, fmt: Format) -> dict[str, str]:
    """The metadata again as headers (for CSV, which has no room for them); ASCII only."""
    out = {"X-ILMS-Basis": meta.basis, "X-ILMS-Cut": str(meta.cut),
           "X-ILMS-Synthetic": "true" if meta.synthetic else "false"}
    if meta.release:
        out["X-ILMS-Release"] = _ascii(meta.release.name)
        out["X-ILMS-Release-Checksum"] = meta.release.checksum
    if meta.notice:
        out["X-ILMS-Notice"] = meta.notice.replace("\u2014", "-")
    if fmt.name != "json":
        vintage = _ascii(meta.release.name) if meta.release else meta.basis
        out["Content-Disposition"] = f'attachment; filename="ilms-{table.id}-{vintage}.{fmt.extension}"'
    return out


def _ascii(text: str) -> str:
    """Header-safe text: anything outside printable ASCII (and quotes) percent-encoded."""
    return quote(text, safe=" !#$&'()*+,-./:;<=>?@[]^_`{|}~")


@router.get(
    "/{number}/data", response_model=DataResponse, summary="Observations of one table",
    description="Filters: `country`, `year` and any dimension of the table by its id "
                "(`SEX=SEX_F,SEX_M`, `ECO=ECO_ISIC4_A`); codes are comma-separated. The whole "
                "selection is streamed; `count` closes the JSON document. A selection of more "
                "observations than the server's limit (`ILMS_LIMIT_API_OBSERVATIONS`) is a 413 "
                "before anything is sent: narrow it, or use the bulk download files.",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                     "description": "JSON (`format=json`, default) or CSV (`format=csv`)."},
               **ERROR_RESPONSES,
               413: {"model": ErrorBody, "description": "The selection holds more observations than the limit "
                                                        "(`ILMS_LIMIT_API_OBSERVATIONS`): narrow it, or use the "
                                                        "bulk download files."}},
    openapi_extra={"parameters": _dimension_parameters()})
def get_data(
    number: str, request: Request,
    country: str | None = Query(None, description="ISO 3166-1 alpha-3 codes, comma-separated, e.g. THA,VNM"),
    year: str | None = Query(None, description="YYYY or YYYY:YYYY (either side may be empty), e.g. 2015:2024"),
    release: str | None = Query(None, description="A published release by name; default: the latest published "
                                                  "one (before the first release there is no public data: 404)"),
    as_of: str | None = Query(None, description="ISO 8601 date-time: the published data as they stood then"),
    format: str = Query("json", description=" or ".join(FORMATS)),   # noqa: A002
    engine: Engine = Depends(get_engine), settings: Settings = Depends(get_settings),
):
    table = lookup(number)
    req = query.parse(table, request.query_params, settings, FORMATS)
    with engine.connect() as conn:
        vintage = resolve(conn, req.release, req.as_of)
        selection = req.selection(table, vintage.cut)
        limit = settings.limits.api_observations
        if not within_release(selection, vintage.release, limit):        # else no COUNT is needed
            n_obs, _ = count(conn, selection)
            if n_obs > limit:
                raise too_large(table, n_obs, limit)
        names = {r["code"]: r["name"] for r in sources.catalogue(conn)}
    meta = meta_of(table, vintage, req)
    fmt = FORMATS[req.format]
    observations = stream(engine, selection, settings.stream_batch)
    return StreamingResponse(fmt.render(table, meta, observations, names, settings.chunk_rows),
                             media_type=fmt.media_type,
                             headers=headers(table, meta, fmt))
