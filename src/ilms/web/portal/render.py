"""``page(request, template, **context)``: render a portal page with what every page needs.

Every page gets: the vintage of the published data it shows (``ilms.web.vintage``: the latest
published release, or ``release=`` / ``as_of=`` from the query string; ``None`` before the first
release), the synthetic-data notice when that vintage is synthetic, the translation functions
``_`` and ``ngettext``, the language and the languages available, the navigation, ``url``
(the current URL with some query parameters changed: every view is a permalink), and ``me``: the
account of a signed-in person (session cookie), for the header's account link.

A page that needs the vintage before rendering calls ``vintage_of(request, conn)`` and passes it
on as ``vintage=``. Errors a page raises are ``PageError`` (``errors.py``): an HTML page with a
4xx status and a way back.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import Connection

from ... import __version__
from ...tables import structure
from .. import auth
from ..errors import ApiError
from ..query import as_of as parse_as_of
from ..vintage import NoRelease, Vintage, resolve
from . import i18n
from .errors import PageError

#: the portal's navigation: (path, label); every page family has its entry
NAV: tuple[tuple[str, str], ...] = (
    ("/", "Home"),
    ("/tables", "Data explorer"),
    ("/countries", "Countries"),
    ("/corridors", "Corridors"),
    ("/availability", "Availability"),
    ("/sources", "Sources"),
    ("/indicators", "Indicators"),
    ("/standard", "The standard"),
    ("/downloads/", "Downloads"),
)

#: query parameters that choose the vintage or the language: kept by every link of a page
CARRIED = ("release", "as_of", "lang")


def number(value, decimals: int | None = None) -> str:
    """A number for reading: thousands separators, at most ``decimals`` (default: 0 for big, 1 for small)."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 2
    return f"{value:,.{decimals}f}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("ilms.web.portal", "templates"),
                      autoescape=select_autoescape(["html", "svg"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = number
    env.globals["version"] = __version__
    env.globals["nav"] = NAV
    return env


def vintage_of(request: Request, conn: Connection) -> Vintage | None:
    """The vintage the query string asks for; None when nothing is published yet."""
    params = request.query_params
    release = (params.get("release") or "").strip() or None
    try:
        as_of = parse_as_of(params["as_of"]) if params.get("as_of") else None
        return resolve(conn, release, as_of)
    except NoRelease:
        return None
    except ApiError as e:
        raise PageError(e.status, e.error, e.parameter) from None


def url_for_query(path: str, params: Mapping[str, object]) -> str:
    """``path?query`` from ``params`` (lists become comma-separated; None and empty are left out)."""
    items = []
    for k, v in params.items():
        if v is None or v == "" or v == () or v == []:
            continue
        items.append((k, ",".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)))
    return path + ("?" + urlencode(items, safe=",:") if items else "")


def carried(request: Request) -> dict[str, str]:
    """The vintage and language parameters of this request, for links to other pages."""
    return {k: request.query_params[k] for k in CARRIED if request.query_params.get(k)}


def translation_for(request: Request) -> i18n.Translation:
    """The request's language (``?lang=``, else ``Accept-Language``, else English)."""
    return i18n.translation(i18n.negotiate(request.query_params.get("lang"),
                                           request.headers.get("accept-language")))


def signed_in(request: Request):
    """The account of the session cookie, or None (no cookie, an expired session, a bad token):
    one session lookup, only when the cookie is there, cached on the request."""
    if not request.cookies.get(auth.SESSION_COOKIE):
        return None
    try:
        caller = auth.identify(request)
    except ApiError:
        return None
    return caller.account if caller else None


def context_for(request: Request, vintage: Vintage | None) -> dict:
    tr = translation_for(request)
    language = tr.language
    keep = carried(request)

    def url(**changes) -> str:
        """This page's URL with query parameters changed (None removes one)."""
        params = dict(request.query_params)
        for k, v in changes.items():
            params.pop(k, None) if v is None else params.__setitem__(k, v)
        return url_for_query(request.url.path, params)

    def link(path: str, **params) -> str:
        """A link to another page that keeps this page's vintage and language."""
        return url_for_query(path, {**keep, **params})

    def label(codelist, code: str) -> str:
        return tr.gettext(codelist.label(code))

    def country_name(code: str) -> str:
        return tr.gettext(structure().codelists["CL_COUNTRY"].label(code))

    return {"request": request, "vintage": vintage, "notice": vintage.notice if vintage else None,
            "_": tr.gettext, "ngettext": tr.ngettext, "lang": language, "translation": tr,
            "languages": {code: i18n.translation(code).name for code in i18n.languages()},
            "url": url, "link": link, "label": label, "country_name": country_name,
            "tables": structure().tables, "path": request.url.path, "carried": keep,
            "me": signed_in(request)}


def page(request: Request, template: str, *, status_code: int = 200, conn: Connection | None = None,
         headers: dict | None = None, **context) -> HTMLResponse:
    """Render ``template`` with the common context (see the module doc) and ``context``."""
    if "vintage" not in context:
        if conn is None:
            with request.app.state.engine.connect() as own:
                context["vintage"] = vintage_of(request, own)
        else:
            context["vintage"] = vintage_of(request, conn)
    full = {**context_for(request, context["vintage"]), **context}
    html = environment().get_template(template).render(**full)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def svg(markup: str) -> Markup:
    """SVG built by the portal's own components (their text is escaped as it is built)."""
    return Markup(markup)
