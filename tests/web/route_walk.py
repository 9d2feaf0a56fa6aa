"""Every route of the application, walked from ``app.routes`` itself (through included routers),
so that a test over "every route" also covers the routes added later."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    name: str


def walk(routes, prefix: str = ""):
    for r in routes:
        if hasattr(r, "original_router"):                  # an included router (FastAPI >= 0.16x)
            yield from walk(r.original_router.routes, prefix + (r.include_context.prefix or ""))
        elif hasattr(r, "path"):
            yield RouteInfo(prefix + r.path, frozenset(getattr(r, "methods", None) or ()), getattr(r, "name", ""))
        elif hasattr(r, "routes"):                         # a mounted sub-application or router
            yield from walk(r.routes, prefix + getattr(r, "path", ""))


def routes(app) -> list[RouteInfo]:
    return list(walk(app.routes))
