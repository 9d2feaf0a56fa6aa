"""The ASGI application: ``create_app(engine=None, settings=None)``."""
from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from .. import __version__
from . import deprecations, errors, routes
from .settings import Settings

DESCRIPTION = """\
The International Labour Migration Statistics (ILMS) database: the 17 ILMS tables, their
structure, and their published data.

Versioned paths (`/api/v1/...`), table numbers and dataflow ids are permanent. A path that moves
keeps a permanent redirect; a deprecation is announced with a `Deprecation` header at least
12 months before anything is withdrawn. Errors are JSON: `{"error": ..., "parameter": ...}`.
"""


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    if engine is None:
        from ..store.db import make_engine
        engine = make_engine()
    settings = settings or Settings.from_env()
    app = FastAPI(title=settings.title, version=__version__, description=DESCRIPTION,
                  openapi_tags=routes.TAGS, docs_url=None, redoc_url=None,   # their pages load assets from a CDN
                  license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"})
    app.state.engine = engine
    app.state.settings = settings
    errors.install(app)
    deprecations.install(app)
    for router in routes.routers():
        app.include_router(router)
    return app
