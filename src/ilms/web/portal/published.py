"""What the data pages of the portal share: the published vintage they read (or none yet), country
and table lookups that answer a 404 page, and links into the table explorer."""
from __future__ import annotations

from fastapi import Request
from sqlalchemy import Connection

from ...tables import Table, structure
from ..vintage import Vintage
from .errors import PageError
from .render import url_for_query, vintage_of


def vintage(request: Request, conn: Connection) -> Vintage | None:
    return vintage_of(request, conn)


def country(code: str, back: str = "/countries/") -> str:
    """An ISO 3166-1 alpha-3 code of CL_COUNTRY (any case), or a 404 page."""
    upper = code.strip().upper()
    if len(upper) != 3 or structure().codelists["CL_COUNTRY"].get(upper) is None:
        raise PageError(404, f"There is no country with the code {code!r}: use an ISO 3166-1 alpha-3 code "
                             "such as THA or PHL.", "country", back)
    return upper


def country_name(code: str) -> str:
    return structure().codelists["CL_PARTNER"].label(code)


def table(number: str | int, back: str = "/standard") -> Table:
    try:
        return structure().table(number)
    except KeyError:
        raise PageError(404, f"There is no ILMS table {number!r}: the tables are numbered 1 to 17.",
                        "table", back) from None


def explorer(table_no: int, carried: dict, **filters) -> str:
    """The table explorer's URL for ``filters`` (its query parameters: country, year, dimension ids)."""
    return url_for_query(f"/tables/{table_no}", {**carried, **filters})


def year(raw: str | None, parameter: str = "year", back: str | None = None) -> str | None:
    if raw is None or raw == "":
        return None
    raw = raw.strip()
    if not (len(raw) == 4 and raw.isdigit()):
        raise PageError(400, f"{parameter}={raw!r}: give a year as four digits, e.g. 2020.", parameter, back)
    return raw


def choice(raw: str | None, allowed, parameter: str, default, back: str | None = None):
    if raw is None or raw == "":
        return default
    value = raw.strip()
    if value not in allowed:
        raise PageError(400, f"{parameter}={raw!r} is not one of: {', '.join(map(str, allowed))}.", parameter, back)
    return value


def gettext_for(request: Request):
    """The request's translation function, for text built in Python (chart titles)."""
    from . import i18n
    language = i18n.negotiate(request.query_params.get("lang"), request.headers.get("accept-language"))
    return i18n.translation(language).gettext
