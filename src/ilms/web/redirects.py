"""Paths that moved, served as permanent redirects: a path or id once published keeps working.

Add a line here whenever a path or id changes; never remove one. ``subtree`` moves everything
under the old path too (``/api/tables/5`` -> ``/api/v1/tables/5``). The query string is kept.
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

#: 308 Permanent Redirect: cached by clients, and the method and body are kept
STATUS = 308


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str
    subtree: bool = True
    since: str = ""            # the date the move took effect (YYYY-MM-DD)


REDIRECTS: tuple[Redirect, ...] = (
    Redirect("/api/tables", "/api/v1/tables", since="2025-01-01"),
)


def target(redirect: Redirect, rest: str, query: str) -> str:
    url = redirect.new + (f"/{rest}" if rest else "")
    return f"{url}?{query}" if query else url


def _endpoint(redirect: Redirect):
    def follow(request: Request, rest: str = "") -> RedirectResponse:
        return RedirectResponse(target(redirect, rest, request.url.query), status_code=STATUS)
    return follow


def build_router(redirects=REDIRECTS) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for r in redirects:
        router.add_api_route(r.old, _endpoint(r), methods=["GET", "HEAD"])
        if r.subtree:
            router.add_api_route(r.old + "/{rest:path}", _endpoint(r), methods=["GET", "HEAD"])
    return router


router = build_router()
