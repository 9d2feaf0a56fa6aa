"""``/tables/{n}/download?format=csv|xlsx|sdmx-csv``: exactly the explorer's selection as a file,
written by the project's writers (``publish.tidy`` for CSV and XLSX, the SDMX-CSV 1.0 writer), from
the same vintage (``release=`` / ``as_of=``), confidential values masked."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Engine
from starlette.background import BackgroundTask

from ...publish import tabular, tidy
from ...publish.sdmx.data import write_data
from ...publish.sdmx.data.csv10 import DATA_CSV_10
from ...store import read, sources
from ..deps import get_engine, get_settings
from ..settings import Settings
from .errors import PageError
from .explorer import resolve_filters
from .render import vintage_of
from .selection import lookup, parse

router = APIRouter(include_in_schema=False)

FORMATS = ("csv", "xlsx", "sdmx-csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _observations(engine: Engine, selection, batch: int):
    with engine.connect() as conn:
        yield from read.observations(conn, selection, public=True, batch=batch)


@router.get("/tables/{number}/download")
def download(number: str, request: Request, engine: Engine = Depends(get_engine),
             settings: Settings = Depends(get_settings)):
    table = lookup(number)
    fmt = request.query_params.get("format", "csv")
    if fmt not in FORMATS:
        raise PageError(400, f"format={fmt!r}: one of {', '.join(FORMATS)}", "format",
                        back=f"/tables/{table.number}")
    state = parse(table, request.query_params, settings)
    with engine.connect() as conn:
        vintage = vintage_of(request, conn)
        if vintage is None:
            raise PageError(404, "No release has been published yet.")
        filters, _ = resolve_filters(conn, state, vintage.cut)
        selection = state.selection(vintage.cut, filters)
    stem = f"ilms-{table.id}-{vintage.release.name}"
    headers = {"Content-Disposition": f'attachment; filename="{stem}.{"csv" if fmt != "xlsx" else "xlsx"}"',
               "X-ILMS-Release": vintage.release.name, "X-ILMS-Synthetic": "true" if vintage.synthetic else "false"}
    observations = _observations(engine, selection, settings.stream_batch)
    if fmt == "sdmx-csv":
        return StreamingResponse(write_data(table, observations, DATA_CSV_10),
                                 media_type="text/csv; charset=utf-8", headers=headers)
    with engine.connect() as conn:
        source_names = {r["code"]: r["name"] for r in sources.catalogue(conn)}
    if fmt == "csv":
        def lines():
            buffer = io.StringIO()
            tabular.write_csv(buffer, tidy.header(table.number), [])
            for n, row in enumerate(tidy.rows(table.number, observations, source_names), 1):
                tabular.write_csv(buffer, None, [row])
                if n % settings.chunk_rows == 0:
                    yield buffer.getvalue()
                    buffer = io.StringIO()
            yield buffer.getvalue()
        return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)
    folder = Path(tempfile.mkdtemp(prefix="ilms-portal-"))
    path = folder / f"{stem}.xlsx"
    about = [("Table", f"{table.number}. {table.title}"), ("Release", vintage.release.name),
             ("Query", str(request.query_params)), ("Unit", table.unit.label)]
    if vintage.notice:
        about.insert(0, ("Notice", vintage.notice))
    tabular.write_xlsx(path, [(f"Table {table.number}", tidy.header(table.number),
                               tidy.rows(table.number, observations, source_names)),
                              ("About", ("Field", "Value"), about)])

    def clean():
        path.unlink(missing_ok=True)
        folder.rmdir()
    return Response(path.read_bytes(), media_type=XLSX, headers=headers, background=BackgroundTask(clean))
