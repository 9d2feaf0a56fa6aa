"""Answer a parsed query (either REST version): negotiate, plan, count, validate, stream."""
from __future__ import annotations

from typing import Iterator

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from ... import __version__
from ...store import read, releases
from ...tables import structure
from . import availability as avail
from . import http, outputs
from .errors import SdmxError, no_data_status
from .negotiation import MediaType, negotiate
from .plan import NoData, Plan, make_plan, one_table, shape
from .query import REFERENCE_TYPES, AvailabilityQuery, DataQuery, StructureQuery, version_matches

BULK_HINT = ("this response would hold {n} observations, more than the limit of {limit}: narrow the "
             "query (key, c[...] or period filters) or use the bulk download files of the release "
             "(see /api/v1/releases)")


def max_observations(request: Request) -> int:
    """More observations than this in one response is a 413 (``Settings.sdmx_max_observations``)."""
    return request.app.state.settings.sdmx_max_observations


def stream_batch(request: Request) -> int:
    return request.app.state.settings.stream_batch


def _engine(request: Request):
    return request.app.state.engine


def _headers(media_type: MediaType, tag: str, last_modified, gzip: bool) -> dict[str, str]:
    headers = {"ETag": tag, "Vary": "Accept, Accept-Encoding", "Cache-Control": "public, max-age=300"}
    modified = http.http_date(last_modified)
    if modified:
        headers["Last-Modified"] = modified
    if gzip:
        headers["Content-Encoding"] = "gzip"
    return headers


def _respond(request: Request, body: Iterator[bytes], media_type: MediaType, tag: str, last_modified) -> Response:
    if http.not_modified(request.headers, tag, last_modified):
        headers = _headers(media_type, tag, last_modified, False)
        return Response(status_code=304, headers=headers)
    gzip = http.wants_gzip(request.headers.get("accept-encoding"))
    headers = _headers(media_type, tag, last_modified, gzip)
    return StreamingResponse(http.gzipped(body) if gzip else body, media_type=str(media_type), headers=headers)


def _format_version(request: Request) -> str | None:
    return request.query_params.get("formatVersion")


# ---------------------------------------------------------------------------- data

def data(request: Request, query: DataQuery) -> Response:
    media_type = negotiate(query.api, "data", outputs.data_media_types(), request.headers.get("accept"),
                           query.format, _format_version(request))
    with _engine(request).connect() as conn:
        try:
            plan = make_plan(conn, query, media_type=str(media_type))
            n_obs, _ = avail.count(conn, plan.selection, plan.alternatives)
        except NoData:
            return Response(status_code=no_data_status(query.api))
        if n_obs == 0:
            return Response(status_code=no_data_status(query.api))
        limit = max_observations(request)
        if n_obs > limit and not (query.limit and query.limit <= limit):
            raise SdmxError(413, BULK_HINT.format(n=n_obs, limit=limit))
    release = plan.cut.release
    tag = http.etag("data", release.checksum, plan.cut.cut, plan.cut.updated_after, query.api,
                    request.url.path, request.url.query, media_type)
    options = dict(dimension_at_observation=plan.dimension_at_observation, detail=query.detail,
                   attributes=",".join(query.attributes), measures=",".join(query.measures), labels=query.labels or "id")
    body = outputs.write_data(str(media_type), plan.table, _observations(request, plan), options, release)
    return _respond(request, body, media_type, tag, release.published_at)


def _observations(request: Request, plan: Plan) -> Iterator:
    """Stream the plan's observations on a connection of its own (the response outlives the handler)."""
    engine, batch = _engine(request), stream_batch(request)

    def stream():
        with engine.connect() as conn:
            if plan.history:
                versions = read.versions(conn, plan.selection, public=True, batch=batch)
                yield from shape(plan, versions, obs_of=lambda v: v.observation)
            else:
                yield from shape(plan, read.observations(conn, plan.selection, public=True, batch=batch))
    if plan.history:
        return (v.observation for v in stream())
    return stream()


# ---------------------------------------------------------------------------- availability

def availability(request: Request, query: AvailabilityQuery) -> Response:
    supported = [m for m in outputs.CONSTRAINT_FORMATS]
    media_type = negotiate(query.data.api, "structure", supported, request.headers.get("accept"),
                           query.data.format, _format_version(request))
    with _engine(request).connect() as conn:
        table = one_table(query.data.flow)
        try:
            plan = make_plan(conn, query.data, table)
        except NoData:
            return Response(status_code=no_data_status(query.data.api))
        if plan.other_predicates or plan.first_n or plan.last_n:
            raise SdmxError(501, "availability takes keys (OR), equality filters and a period range; "
                                 "not operators, attribute or value filters, or first/last N")
        if query.components is not None:
            unknown = [c for c in query.components if c != "TIME_PERIOD" and not table.has_dimension(c)]
            if unknown:
                raise SdmxError(404, f"{table.id} has no dimension {unknown[0]}", "componentID")
        found = avail.availability(conn, table, plan.selection, query.components, query.mode, plan.alternatives)
    if found.obs_count == 0:
        return Response(status_code=no_data_status(query.data.api))
    release = plan.cut.release
    tag = http.etag("availability", release.checksum, plan.cut.cut, plan.cut.updated_after,
                    request.url.path, request.url.query, media_type)
    with _engine(request).connect() as conn:
        body = iter([outputs.constraint_message(table, found, str(media_type), query.references, conn)])
    return _respond(request, body, media_type, tag, release.published_at)


# ---------------------------------------------------------------------------- structures

def structures(request: Request, query: StructureQuery) -> Response:
    if query.type not in outputs.structure_types():
        if query.type in REFERENCE_TYPES:
            raise SdmxError(404, f"no {query.type} artefacts are published here; types: "
                                 + ", ".join(outputs.structure_types()), "structureType")
        raise SdmxError(400, f"{query.type!r} is not an SDMX structure type", "structureType")
    media_type = negotiate(query.api, "structure", outputs.structure_media_types(), request.headers.get("accept"),
                           query.format, _format_version(request))
    ref = query.ref
    agency = None                   # every owner: ILMS, and SDMX for the agency scheme SDMX:AGENCIES
    if ref.agencies is not None:
        owners = outputs.artefact_agencies()
        wanted = [a for a in ref.agencies if a in owners]
        if not wanted:
            raise SdmxError(404, f"no artefacts of agency {', '.join(ref.agencies)}; the agencies are "
                                 f"{', '.join(sorted(owners))}")
        agency = wanted[0] if len(set(wanted)) == 1 else None
    if ref.versions is not None and not any(version_matches(v, outputs.version()) for v in ref.versions):
        raise SdmxError(404, f"no artefacts of version {', '.join(ref.versions)}; every artefact is "
                             f"version {outputs.version()}")
    with _engine(request).connect() as conn:
        latest = releases.latest_published(conn)
        modified = latest.published_at if latest else None
        tag = http.etag("structure", __version__, latest.checksum if latest else "", request.url.path,
                        request.url.query, media_type)
        if http.not_modified(request.headers, tag, modified):
            return Response(status_code=304, headers={"ETag": tag})
        body = outputs.structure_message(query.type, ref.ids, str(media_type), query.detail,
                                         query.references, conn, agency=agency, items=query.items)
    return _respond(request, iter([body]), media_type, tag, modified)
