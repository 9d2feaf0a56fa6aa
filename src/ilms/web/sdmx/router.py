"""The SDMX REST routes: v1 (1.5.0) under ``/rest/`` and v2 (2.2.2) under ``/rest/v2/``.

Each route only splits its path into the segments of its REST version, parses them with the query
string into the one query model (``query.py``) and hands it to ``service.py``. Trailing segments
may be left out (their defaults: ``all``/``latest`` in v1, ``*``/``~`` in v2). Standard resources
this service does not implement answer 501.
"""
from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..errors import error_response
from . import service
from .errors import SdmxError
from .query import (QueryError, parse_availability_v1, parse_availability_v2, parse_data_v1,
                    parse_data_v2, parse_schema, parse_structure_v1, parse_structure_v2, query_params)

router = APIRouter(tags=["sdmx"])

#: REST v1 structure resources (v1.5.0); those not published answer 501, anything else 404
V1_STRUCTURE_TYPES = (
    "datastructure", "metadatastructure", "dataflow", "metadataflow", "provisionagreement", "structureset",
    "process", "categorisation", "contentconstraint", "actualconstraint", "allowedconstraint",
    "attachmentconstraint", "structure", "conceptscheme", "codelist", "categoryscheme", "hierarchicalcodelist",
    "organisationscheme", "agencyscheme", "dataproviderscheme", "dataconsumerscheme", "organisationunitscheme",
    "transformationscheme", "rulesetscheme", "userdefinedoperatorscheme", "customtypescheme",
    "namepersonalisationscheme", "namealiasscheme", "reportingtaxonomy", "vtlmappingscheme")
#: REST v2 resources not implemented here
V2_NOT_IMPLEMENTED = ("metadata", "registration")


def _segments(path: str, defaults: tuple[str, ...]) -> list[str] | None:
    parts = [p for p in path.split("/")] if path else []
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if len(parts) > len(defaults):
        return None
    return parts + list(defaults[len(parts):])


def _answer(request: Request, work: Callable[[dict], Response]) -> Response:
    try:
        return work(query_params(request.url.query))
    except QueryError as exc:
        return error_response(400, exc.message, exc.parameter)
    except SdmxError as exc:
        return error_response(exc.status, exc.message, exc.parameter)


def _too_many(path: str) -> Response:
    return error_response(404, f"no such SDMX resource: {path}")


# ---------------------------------------------------------------------------- v2

@router.get("/rest/v2/data/{path:path}")
def data_v2(path: str, request: Request) -> Response:
    seg = _segments(path, ("*", "*", "*", "*", "*"))
    if seg is None:
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.data(request, parse_data_v2(*seg, params=p)))


@router.get("/rest/v2/availability/{path:path}")
def availability_v2(path: str, request: Request) -> Response:
    seg = _segments(path, ("*", "*", "*", "*", "*", "*"))
    if seg is None:
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.availability(request, parse_availability_v2(*seg, params=p)))


@router.get("/rest/v2/structure/{path:path}")
def structure_v2(path: str, request: Request) -> Response:
    seg = _segments(path, ("*", "*", "*", "~", "*"))
    if seg is None:
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.structures(request, parse_structure_v2(*seg, params=p)))


@router.get("/rest/v2/schema/{path:path}")
def schema_v2(path: str, request: Request) -> Response:
    seg = _segments(path, ("", "", "", "~"))
    if seg is None or not all(seg[:3]):
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.schema(request, parse_schema(2, *seg, params=p)))


@router.get("/rest/v2/{resource}/{path:path}")
def not_implemented_v2(resource: str, path: str, request: Request) -> Response:
    if resource in V2_NOT_IMPLEMENTED:
        return error_response(501, f"{resource} queries are not implemented by this service")
    return _too_many(request.url.path)


# ---------------------------------------------------------------------------- v1

@router.get("/rest/data/{path:path}")
def data_v1(path: str, request: Request) -> Response:
    seg = _segments(path, ("", "all", "all"))
    if seg is None or not seg[0]:
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.data(request, parse_data_v1(*seg, params=p)))


@router.get("/rest/availableconstraint/{path:path}")
def availability_v1(path: str, request: Request) -> Response:
    seg = _segments(path, ("", "all", "all", "all"))
    if seg is None or not seg[0]:
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.availability(request, parse_availability_v1(*seg, params=p)))


@router.get("/rest/schema/{path:path}")
def schema_v1(path: str, request: Request) -> Response:
    seg = _segments(path, ("", "", "", "latest"))
    if seg is None or not all(seg[:3]):
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.schema(request, parse_schema(1, *seg, params=p)))


@router.get("/rest/{structure_type}")
@router.get("/rest/{structure_type}/{path:path}")
def structure_v1(structure_type: str, request: Request, path: str = "") -> Response:
    if structure_type not in V1_STRUCTURE_TYPES:
        return _too_many(request.url.path)
    seg = _segments(path, ("all", "all", "latest", "all"))
    if seg is None:
        return _too_many(request.url.path)
    return _answer(request, lambda p: service.structures(request, parse_structure_v1(structure_type, *seg, params=p)))
