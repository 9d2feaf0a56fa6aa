"""Rendering and guarding the workflow pages.

The workflow pages share the portal's layout (``portal/templates/base.html``: header, navigation,
footer, stylesheet, language, the Content-Security-Policy's rules): the template loader looks in
``workflow/templates`` first and then in the portal's, and every page gets the portal's common
context (``portal.render.context_for``) plus the caller (``me``) and the session's CSRF token.
``workflow/templates/_workflow.html`` adds the workflow's own menu, shown only to a signed-in
person; the public navigation does not list the workflow pages.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from ... import __version__
from ...accounts.accounts import Account
from ...check.arithmetic import fmt
from .. import auth
from ..errors import ApiError
from ..portal import render as portal
from ..portal.errors import PageError


def current_item(path: str, hrefs) -> str | None:
    """The menu entry a page belongs to: the longest of ``hrefs`` that ``path`` is or is under."""
    under = [h for h in hrefs if path == h or path.startswith(h.rstrip("/") + "/")]
    return max(under, key=len, default=None)


@lru_cache(maxsize=1)
def environment() -> Environment:
    loader = ChoiceLoader([PackageLoader("ilms.web.workflow", "templates"),
                           PackageLoader("ilms.web.portal", "templates")])
    env = Environment(loader=loader, autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = portal.number
    env.globals.update(version=__version__, fmt=fmt, nav=portal.NAV, current_item=current_item)
    return env


def page(request: Request, template: str, *, status: int = 200, caller: auth.Caller | None = None,
         **context) -> HTMLResponse:
    caller = caller if caller is not None else _quiet_identify(request)
    common = portal.context_for(request, _public_vintage(request))
    html = environment().get_template(template).render(
        {**common, "caller": caller, "me": caller.account if caller else None,
         "csrf": caller.csrf if caller else None, **context})
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _quiet_identify(request: Request) -> auth.Caller | None:
    try:
        return auth.identify(request)
    except ApiError:
        return None


def _public_vintage(request: Request):
    """The published release the portal's footer names (None before the first, or for a bad
    ``release``/``as_of`` in the query string: a workflow page does not read them)."""
    try:
        with request.app.state.engine.connect() as conn:
            return portal.vintage_of(request, conn)
    except PageError:
        return None


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status=status, message=message)


async def guard(request: Request, allowed: Callable[[Account], bool] | None = None,
                what: str = "see this page") -> auth.Caller | Response:
    """The caller, or the response to send instead: the login page (with the way back) for an
    anonymous GET, else an error page (401/403) that says why."""
    try:
        return await auth.require(request, allowed, what)
    except auth.Unauthenticated as exc:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return error_page(request, 401, exc.error)
    except ApiError as exc:
        return error_page(request, exc.status, exc.error)


def back(url: str) -> RedirectResponse:
    """After a successful form: see the result (303, so a reload does not send the form again)."""
    return RedirectResponse(url, status_code=303)
