"""Dataflows computed from the tables (not stored as series): their data queries.

``COMPUTED`` registers each such dataflow by id with what serves it: how its rows are computed
from a published release, its dimensions (the key positions), and a writer per media type. The
structures of these dataflows come through the same artefact registry as the 17 tables'
(``ilms.publish.sdmx.artefacts.COMPUTED_DATAFLOWS``).

A data query names the dataflow by id (v1 ``/rest/data/ILMS,DF_ILMS_INDICATORS,1.0/...``, v2
``/rest/v2/data/dataflow/ILMS/DF_ILMS_INDICATORS/1.0/...``). Served: the key (any position a code,
a ``+`` list or empty), ``startPeriod``/``endPeriod`` (v2 ``c[TIME_PERIOD]=ge:/le:``), ``release``
and the public-data rule of ``ilms.web.vintage``; formats SDMX-CSV 2.0.0 (v2) / 1.0.0 (v1, whose
negotiation knows no 2.x CSV) and SDMX-ML 2.1 structure-specific (``AllDimensions``). Other parameters (``c[...]`` on other components,
``updatedAfter``, ``includeHistory``, ``asOf``, ``firstNObservations``/``lastNObservations``,
``offset``/``limit``) are a 501 for these dataflows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from fastapi import Request
from fastapi.responses import Response

from ...tables import structure
from .. import vintage
from . import http
from .errors import SdmxError, no_data_status
from .negotiation import negotiate
from .query import ALL, ArtefactRef, DataQuery, version_matches


@dataclass(frozen=True)
class ComputedDataflow:
    id: str
    dimensions: tuple[str, ...]                              # key positions, in order
    rows: Callable[[object, object], Iterable[dict]]         # (engine, release) -> rows (column -> text)
    writers: dict[str, Callable[..., Iterator[str]]]         # media type -> (rows, release) -> pieces


def _indicator_rows(engine, release) -> Iterable[dict]:
    from ...analysis import regional, sdmx
    results = regional.release_results(engine, release)
    return sdmx.observations((v for values, _ in results for v in values), (r for _, pooled in results for r in pooled))


def _csv(version: str) -> Callable[..., Iterator[str]]:
    def write(rows, release) -> Iterator[str]:
        from ...analysis import sdmx
        return sdmx.csv_lines(rows, version=version)
    return write


def _structure_specific(rows, release) -> Iterator[str]:
    from ...analysis import sdmx_xml
    return sdmx_xml.write(rows, message_id=f"ILMS_INDICATORS_{release.name}",
                          source=f"ILMS release {release.name}, SHA-256 {release.checksum}")


def _indicators() -> ComputedDataflow:
    from ...analysis import sdmx
    return ComputedDataflow(sdmx.DATAFLOW, sdmx.DIMENSIONS, _indicator_rows,
                            {"application/vnd.sdmx.data+csv;version=1.0.0": _csv("1.0.0"),
                             "application/vnd.sdmx.data+csv;version=2.0.0": _csv("2.0.0"),
                             "application/vnd.sdmx.structurespecificdata+xml;version=2.1": _structure_specific})


#: dataflow id -> how to build its ComputedDataflow
COMPUTED: dict[str, Callable[[], ComputedDataflow]] = {"DF_ILMS_INDICATORS": _indicators}


def matching(ref: ArtefactRef) -> ComputedDataflow | None:
    """The computed dataflow a data query names (by id; wildcards select the tables only)."""
    if ref.ids is ALL or len(ref.ids) != 1 or ref.ids[0] not in COMPUTED:
        return None
    if ref.context not in ("dataflow", "*"):
        return None
    if ref.agencies is not ALL and structure().agency not in ref.agencies:
        return None
    from ...publish.sdmx.artefacts import VERSION
    if ref.versions is not ALL and not any(version_matches(v, VERSION) for v in ref.versions):
        return None
    return COMPUTED[ref.ids[0]]()


def _unsupported(query: DataQuery) -> str | None:
    checks = {"c[...]": any(c != "TIME_PERIOD" for c in query.components), "updatedAfter": query.updated_after,
              "includeHistory": query.include_history, "asOf": query.as_of, "firstNObservations": query.first_n,
              "lastNObservations": query.last_n, "offset": query.offset, "limit": query.limit}
    return next((name for name, used in checks.items() if used), None)


def _keep(flow: ComputedDataflow, query: DataQuery) -> Callable[[dict], bool]:
    for key in query.keys:
        if len(key) > len(flow.dimensions):
            raise SdmxError(400, f"the key has {len(key)} positions; {flow.id} has {len(flow.dimensions)} "
                                 f"dimensions ({'.'.join(flow.dimensions)})", "key")
    start, end = query.start or "", query.end or ""

    def keep(row: dict) -> bool:
        time = row["TIME_PERIOD"]
        if (start and time[:len(start)] < start) or (end and time[:len(end)] > end):
            return False
        return any(all(codes is None or row[dim] in codes for dim, codes in zip(flow.dimensions, key))
                   for key in query.keys)
    return keep


def data(request: Request, query: DataQuery, flow: ComputedDataflow) -> Response:
    """The dataflow's data for the published release the query names (or the latest)."""
    media_type = negotiate(query.api, "data", list(flow.writers), request.headers.get("accept"), query.format,
                           request.query_params.get("formatVersion"))
    unsupported = _unsupported(query)
    if unsupported:
        raise SdmxError(501, f"{unsupported} is not implemented for {flow.id} (a computed dataflow): its data are "
                             "queried by key, period and release", unsupported)
    keep = _keep(flow, query)
    engine = request.app.state.engine
    with engine.connect() as conn:
        try:
            release = vintage.resolve(conn, query.release).release
        except vintage.NoRelease:
            return Response(status_code=no_data_status(query.api))
    rows = [row for row in flow.rows(engine, release) if keep(row)]
    if not rows:
        return Response(status_code=no_data_status(query.api))
    tag = http.etag("data", release.checksum, query.api, request.url.path, request.url.query, media_type)
    body = (piece.encode("utf-8") for piece in flow.writers[str(media_type)](iter(rows), release) if piece)
    from .service import _respond
    return _respond(request, body, media_type, tag, release.published_at)
