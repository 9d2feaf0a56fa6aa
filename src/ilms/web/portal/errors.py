"""HTML error pages: a clear message, the right 4xx status and a way back, never a traceback.

* Portal routes raise ``PageError`` (always an HTML page).
* Every other error of the application (unknown path, a bad parameter of the JSON API) becomes
  an HTML page only when the client prefers HTML over JSON (a browser); JSON clients keep the
  JSON errors of ``ilms.web.errors``.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from ..accept import parse_accept, quality
from ..errors import ApiError

log = logging.getLogger(__name__)

TITLES = {400: "This request cannot be answered", 404: "Not found", 405: "Not allowed",
          413: "This selection is too large", 500: "Something went wrong on our side"}


class PageError(Exception):
    """An error a portal page shows as HTML: ``status`` (4xx), a message, the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None, back: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter, self.back = status, message, parameter, back


def wants_html(request: Request) -> bool:
    ranges = parse_accept(request.headers.get("accept"))
    return quality(ranges, "text/html") > quality(ranges, "application/json")


def error_page(request: Request, status: int, message: str, parameter: str | None = None,
               back: str | None = None):
    from .render import context_for, environment, url_for_query
    from fastapi.responses import HTMLResponse
    context = context_for(request, None)
    # the parameters at fault are not carried into the ways back
    context.update(carried={}, link=lambda target, **params: url_for_query(target, params))
    html = environment().get_template("error.html").render(
        **context, status=status, title=context["_"](TITLES.get(status, "This request cannot be answered")),
        message=message, parameter=parameter, back=back)
    return HTMLResponse(html, status_code=status)


def install(app: FastAPI) -> None:
    json_handlers = dict(app.exception_handlers)

    async def page_error(request: Request, exc: PageError):
        return error_page(request, exc.status, exc.message, exc.parameter, exc.back)

    def either(cls, describe):
        fallback = json_handlers[cls]

        async def handler(request: Request, exc):
            if wants_html(request):
                status, message, parameter = describe(exc)
                return error_page(request, status, message, parameter)
            return await fallback(request, exc)
        app.add_exception_handler(cls, handler)

    def http(exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is no page at this address."
        return exc.status_code, detail, None

    def validation(exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body", "header")]
        return 400, first.get("msg", "invalid request"), loc[0] if loc else None

    def unexpected(exc: Exception):
        log.exception("unhandled error", exc_info=exc)
        return 500, "The error has been logged. Please try again later.", None

    app.add_exception_handler(PageError, page_error)
    either(ApiError, lambda e: (e.status, e.error, e.parameter))
    either(HTTPException, http)
    either(RequestValidationError, validation)
    either(Exception, unexpected)
