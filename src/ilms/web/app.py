"""The ASGI application: ``create_app(engine=None, settings=None)``."""
from __future__ import annotations

import contextlib

from fastapi import FastAPI
from sqlalchemy import Engine

from .. import __version__
from . import deprecations, errors, limits, portal, routes
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
    @contextlib.asynccontextmanager
    async def lifespan(_app):
        if settings.prebuild_downloads:
            _prebuild_downloads(engine, settings)
        yield

    app = FastAPI(lifespan=lifespan, title=settings.title, version=__version__, description=DESCRIPTION,
                  openapi_tags=routes.TAGS, docs_url=None, redoc_url=None,   # their pages load assets from a CDN
                  license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"})
    app.state.engine = engine
    app.state.settings = settings
    errors.install(app)
    limits.install(app, settings)
    deprecations.install(app)
    portal.install(app)        # Content-Security-Policy, HTML error pages for browsers
    for router in routes.routers():
        app.include_router(router)
    return app


def _prebuild_downloads(engine: Engine, settings: Settings) -> None:
    """Start building the latest release's bulk files in the background (no request waits)."""
    from ..store import releases
    from .downloads.builds import manifest
    from .downloads.router import downloads_root
    with engine.connect() as conn:
        latest = releases.latest_published(conn)
    if latest is not None:
        manifest(engine, latest, downloads_root(settings), wait=0)
