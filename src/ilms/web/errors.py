"""Errors as JSON: ``{"error": "...", "parameter": "..."}``.

Bad input is a 400 that names the parameter; an unknown table or release a 404; a 500 is a bug.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The body of every error response."""
    error: str
    parameter: str | None = None


#: what route decorators list under ``responses=`` so the OpenAPI document shows the error shape
ERROR_RESPONSES = {
    400: {"model": ErrorBody, "description": "A parameter is invalid; `parameter` names it."},
    404: {"model": ErrorBody, "description": "No such table, release or path."},
}


class ApiError(Exception):
    def __init__(self, status: int, error: str, parameter: str | None = None):
        super().__init__(error)
        self.status, self.error, self.parameter = status, error, parameter


def bad_parameter(parameter: str, error: str) -> ApiError:
    return ApiError(400, error, parameter)


def not_found(error: str, parameter: str | None = None) -> ApiError:
    return ApiError(404, error, parameter)


def error_response(status: int, error: str, parameter: str | None = None, headers=None) -> JSONResponse:
    return JSONResponse(ErrorBody(error=error, parameter=parameter).model_dump(), status_code=status,
                        headers=headers)


async def _api_error(_request: Request, exc: ApiError):
    return error_response(exc.status, exc.error, exc.parameter)


async def _validation_error(_request: Request, exc: RequestValidationError):
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body", "header")]
    parameter = loc[0] if loc else None
    message = first.get("msg", "invalid request")
    return error_response(400, f"{parameter}: {message}" if parameter else message, parameter)


async def _http_error(_request: Request, exc: HTTPException):
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 404 and detail == "Not Found":
        detail = "no such path (see /openapi.json)"
    return error_response(exc.status_code, detail, None, getattr(exc, "headers", None))


async def _unexpected(_request: Request, exc: Exception):
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal error")


def reraise(app: FastAPI, exc_class: type[Exception]) -> None:
    """Let ``exc_class`` pass the handlers up to the middleware that handles it (the body limit)."""
    async def _again(_request: Request, exc: Exception):
        raise exc
    app.add_exception_handler(exc_class, _again)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
