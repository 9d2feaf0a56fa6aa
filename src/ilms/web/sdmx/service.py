"""Answer a parsed query (either REST version): negotiate, plan, count, validate, stream."""
from __future__ import annotations

from itertools import groupby
from typing import Iterator

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from ... import __version__
from ...store import changesets, read, releases
from ...tables import TIME_DIMENSION, structure
from . import availability as avail
from . import computed, http, outputs
from .errors import SdmxError, no_data_status
from .negotiation import MediaType, negotiate
from .plan import (ALL_DIMENSIONS, NoData, Plan, Window, make_plans, no_such_dataflow, shape, stream_filters,
                   tables_of, windowed)
from .query import REFERENCE_TYPES, AvailabilityQuery, DataQuery, SchemaQuery, StructureQuery, version_matches

BULK_HINT = ("this response would hold {n} observations, more than the limit of {limit}: narrow the "
             "query (key, c[...] or period filters) or use the bulk download files of the release "
             "(see /api/v1/releases)")


def max_observations(request: Request) -> int:
    """More observations than this in one response is a 413 (``Limits.sdmx_observations``)."""
    return request.app.state.settings.limits.sdmx_observations


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
    """One dataflow, or several (v2 wildcards / lists): one message with a data set per dataflow
    that has matching data; the size limit applies to the whole message. A dataflow computed from
    the tables (``computed.COMPUTED``, e.g. DF_ILMS_INDICATORS) is answered by its own registration."""
    flow = computed.matching(query.flow)
    if flow is not None:
        return computed.data(request, query, flow)
    media_type = negotiate(query.api, "data", outputs.data_media_types(), request.headers.get("accept"),
                           query.format, _format_version(request))
    with _engine(request).connect() as conn:
        limit = max_observations(request)
        try:
            plans = make_plans(conn, query, str(media_type))
            if all(avail.within_release(plan.selection, plan.cut.release, limit) for plan in plans):
                # the dataflows are disjoint parts of one release no larger than the limit: whether
                # each has data is enough
                counts = [int(avail.has_data(conn, plan.selection, plan.alternatives)) for plan in plans]
            else:
                counts = [avail.count(conn, plan.selection, plan.alternatives)[0] for plan in plans]
        except NoData:
            return Response(status_code=no_data_status(query.api))
        plans = [plan for plan, n in zip(plans, counts) if n]
        n_obs = sum(counts)
        if n_obs == 0:
            return Response(status_code=no_data_status(query.api))
        if n_obs > limit and not (query.limit and query.limit <= limit):
            raise SdmxError(413, BULK_HINT.format(n=n_obs, limit=limit))
    if any(plan.changes for plan in plans) and not outputs.data_set_actions(str(media_type)):
        raise SdmxError(406, f"{media_type} cannot say a data set's action (Replace, Delete): for "
                             "updatedAfter and includeHistory use SDMX-ML, SDMX-JSON or SDMX-CSV 2.x", "Accept")
    first = plans[0]
    release = first.cut.release
    tag = http.etag("data", release.checksum, first.cut.cut, first.cut.updated_after, query.api,
                    request.url.path, request.url.query, media_type)
    options = dict(dimension_at_observation=first.dimension_at_observation, detail=query.detail,
                   attributes=",".join(query.attributes), measures=",".join(query.measures), labels=query.labels or "id")
    window = Window(query.offset, query.limit) if windowed(plans) else None
    datasets = (part for plan in plans for part in _data_sets(request, plan, window))
    body = outputs.write_datasets(str(media_type), datasets, options, release, tables=[p.table for p in plans])
    return _respond(request, body, media_type, tag, release.published_at)


def _data_sets(request: Request, plan: Plan, window: Window | None) -> Iterator[tuple]:
    """The data sets of one dataflow: (table, observations[, action, valid from, valid to]). One
    plain data set; for history and changes (includeHistory, updatedAfter) one per validity period,
    oldest first: ``Replace`` for the versions written, ``Delete`` for the deletions, valid from the
    changeset that wrote them to the one that replaced them (open when still valid at the cut)."""
    if not plan.changes:
        yield (plan.table, _observations(request, plan, window))
        return
    engine, batch = _engine(request), stream_batch(request)
    with engine.connect() as conn:
        written = changesets.written_at(conn, plan.cut.cut)
        versions = read.versions(conn, plan.selection, public=True, batch=batch)
        periods = groupby(versions, key=lambda v: (v.valid_from, plan.replaced_at(v.valid_to), v.deleted))
        for (valid_from, valid_to, deleted), group in periods:
            items = shape(plan, group, obs_of=lambda v: v.observation)
            items = window.take(items) if window else items
            yield (plan.table, (v.observation for v in items), "Delete" if deleted else "Replace",
                   written.get(valid_from), written.get(valid_to) if valid_to is not None else None)


def _observations(request: Request, plan: Plan, window: Window | None = None) -> Iterator:
    """Stream the plan's observations on a connection of its own (the response outlives the handler),
    opened when the writer reaches this data set. What SQL selects is the answer (no predicate, first/last
    N or window left to apply): a ``read.PublicRead``, whose driver tuples a writer may format itself."""
    engine, batch = _engine(request), stream_batch(request)
    if not (window or plan.predicates or plan.first_n or plan.last_n or plan.offset or plan.limit):
        return read.PublicRead(engine, plan.selection, batch)

    def stream():
        with engine.connect() as conn:
            items = shape(plan, read.observations(conn, plan.selection, public=True, batch=batch))
            yield from (window.take(items) if window else items)
    return stream()


# ---------------------------------------------------------------------------- availability

def availability(request: Request, query: AvailabilityQuery) -> Response:
    """One Actual data constraint per dataflow with matching data (several dataflows: v2 wildcards
    and lists, context ``datastructure``), all in one message."""
    supported = [m for m in outputs.CONSTRAINT_FORMATS]
    media_type = negotiate(query.data.api, "structure", supported, request.headers.get("accept"),
                           query.data.format, _format_version(request))
    with _engine(request).connect() as conn:
        try:
            plans = make_plans(conn, query.data)
        except NoData:
            return Response(status_code=no_data_status(query.data.api))
        filters = {plan.table.number: stream_filters(plan.table, query.data.components) for plan in plans}
        if any(avail.sql_filters(conn, plan.table, filters[plan.table.number]) is None for plan in plans):
            raise SdmxError(501, "availability filters on dimensions, TIME_PERIOD and attributes (any "
                                 "operator); not on OBS_VALUE", "c[OBS_VALUE]")
        if query.components is not None and len(plans) == 1:     # over several dataflows: those they have
            table = plans[0].table
            unknown = [c for c in query.components if c != "TIME_PERIOD" and not table.has_dimension(c)]
            if unknown:
                raise SdmxError(404, f"{table.id} has no dimension {unknown[0]}", "componentID")
        found = [(plan.table, avail.availability(conn, plan.table, plan.selection, query.components, query.mode,
                                                 plan.alternatives, filters[plan.table.number])) for plan in plans]
    found = [(table, f) for table, f in found if f.obs_count]
    if not found:
        return Response(status_code=no_data_status(query.data.api))
    release = plans[0].cut.release
    tag = http.etag("availability", release.checksum, plans[0].cut.cut, plans[0].cut.updated_after,
                    request.url.path, request.url.query, media_type)
    with _engine(request).connect() as conn:
        body = iter([outputs.constraint_message(found, str(media_type), query.references, conn)])
    return _respond(request, body, media_type, tag, release.published_at)


# ---------------------------------------------------------------------------- schemas

def schema(request: Request, query: SchemaQuery) -> Response:
    """The structure-specific XML schema of a dataflow's or DSD's data (one artefact)."""
    media_type = negotiate(query.api, "schema", list(outputs.SCHEMA_FORMATS), request.headers.get("accept"),
                           query.format, _format_version(request))
    if query.ref.context not in ("dataflow", "datastructure"):
        raise SdmxError(404, f"no {query.ref.context} is published here", "context")
    tables = tables_of(query.ref)
    if not tables:
        raise no_such_dataflow()
    table = tables[0]
    dao = query.dimension_at_observation or TIME_DIMENSION
    if dao not in (TIME_DIMENSION, ALL_DIMENSIONS) and not table.has_dimension(dao):
        raise SdmxError(400, f"{table.id} has no dimension {dao}", "dimensionAtObservation")
    tag = http.etag("schema", __version__, request.url.path, request.url.query, media_type)
    return _respond(request, iter([outputs.schema_message(table, str(media_type), dao)]), media_type, tag, None)


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
