"""The public portal: server-rendered pages over the published data (see docs/portal.md).

One router module per page family (``home``, ``explorer``, ...), registered in
``ilms.web.routes.ROUTERS``; templates in ``templates/``; static files (CSS, scripts, map shapes)
in ``static/``, served by the application itself under ``/static/``. ``install(app)`` adds what
every page needs beyond a route: the Content-Security-Policy header and HTML error pages.
"""
from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    from . import errors, security
    security.install(app)
    errors.install(app)
