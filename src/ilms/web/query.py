"""Parse the query string of a data request into a store selection; every error names its parameter."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping

from ..limits import setting
from ..store.read import Selection
from ..tables import TIME_DIMENSION, Table
from .errors import bad_parameter
from .settings import Settings

#: query parameters of the data route other than dimension ids
RESERVED = ("country", "year", "release", "as_of", "format")
#: ``country`` is the friendly name of this dimension
COUNTRY_DIMENSION = "REF_AREA"
_YEAR = re.compile(r"\d{4}")
_SOURCE_CODE = re.compile(r"[A-Z0-9_]{1,40}")
#: an offset "+07:00" sent unescaped in a URL arrives as " 07:00"
_UNESCAPED_OFFSET = re.compile(r"(T[\d:.]+) (\d{2}:?\d{2})$")


@dataclass(frozen=True)
class DataRequest:
    filters: Mapping[str, tuple[str, ...]]
    start: str | None
    end: str | None
    release: str | None
    as_of: dt.datetime | None
    format: str

    def selection(self, table: Table, cut: int) -> Selection:
        return Selection(table=table.number, filters=self.filters, start=self.start, end=self.end, cut=cut)


def codes(parameter: str, values: list[str], settings: Settings) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(p.strip().upper() for v in values for p in v.split(",") if p.strip()))
    if not out:
        raise bad_parameter(parameter, f"{parameter}: give at least one code")
    if len(out) > settings.limits.filter_codes:
        raise bad_parameter(parameter, f"{parameter}: at most {settings.limits.filter_codes} codes, got {len(out)} "
                                       f"({setting('filter_codes')}); split the query, or use the bulk download "
                                       "files of the release (see /api/v1/releases)")
    return out


def years(raw: str) -> tuple[str | None, str | None]:
    """``2015:2024``, ``2020``, ``2015:`` or ``:2024``."""
    start, sep, end = raw.strip().partition(":")
    if not sep:
        end = start
    for part in (start, end):
        if part and not _YEAR.fullmatch(part):
            raise bad_parameter("year", f"year={raw!r}: give YYYY or YYYY:YYYY (either side may be empty)")
    if not (start or end):
        raise bad_parameter("year", "year: give YYYY or YYYY:YYYY")
    if start and end and start > end:
        raise bad_parameter("year", f"year={raw!r}: the first year is after the last")
    return start or None, end or None


def as_of(raw: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(_UNESCAPED_OFFSET.sub(r"\1+\2", raw.strip()))
    except ValueError:
        raise bad_parameter("as_of", f"as_of={raw!r}: give an ISO 8601 date or date-time, "
                                     "e.g. 2025-03-01T12:00:00Z") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def _dimension_of(table: Table, name: str) -> str:
    wanted = name.upper()
    if wanted == TIME_DIMENSION:
        raise bad_parameter(name, f"{name}: filter periods with year=YYYY:YYYY")
    if table.has_dimension(wanted):
        return wanted
    raise bad_parameter(name, f"unknown parameter {name!r} for table {table.number}: use "
                              f"{', '.join(RESERVED)} or a dimension id ({', '.join(table.key_order)})")


def _check_codes(table: Table, dim: str, parameter: str, wanted: tuple[str, ...]) -> None:
    codelist = table.dimension(dim).codelist
    if codelist.open:
        bad = [c for c in wanted if not _SOURCE_CODE.fullmatch(c)]
    else:
        bad = [c for c in wanted if c not in codelist]
    if bad:
        raise bad_parameter(parameter, f"{parameter}: {', '.join(bad[:10])} not in {codelist.id}"
                                       f" (see /api/v1/tables/{table.number})")


def parse(table: Table, params, settings: Settings, formats) -> DataRequest:
    """``params``: the request's query parameters (a multi-dict: repeated parameters add codes)."""
    if len(str(params)) > settings.limits.query_length:
        raise bad_parameter("query", f"the query string is longer than {settings.limits.query_length} characters "
                                     f"({setting('query_length')})")
    filters: dict[str, tuple[str, ...]] = {}
    given: dict[str, str] = {}
    for name in dict.fromkeys(params.keys()):
        values = params.getlist(name)
        if name in RESERVED:
            if name != "country" and len(values) > 1:
                raise bad_parameter(name, f"{name}: give it once")
            continue
        dim = _dimension_of(table, name)
        if dim in given:
            raise bad_parameter(name, f"{name}: given twice (also as {given[dim]})")
        given[dim] = name
        filters[dim] = codes(name, values, settings)
        _check_codes(table, dim, name, filters[dim])
    if "country" in params:
        if COUNTRY_DIMENSION in given:
            raise bad_parameter("country", f"give country or {given[COUNTRY_DIMENSION]}, not both")
        filters[COUNTRY_DIMENSION] = codes("country", params.getlist("country"), settings)
        _check_codes(table, COUNTRY_DIMENSION, "country", filters[COUNTRY_DIMENSION])
    start, end = years(params["year"]) if "year" in params else (None, None)
    fmt = params.get("format", "json").strip().lower()
    if fmt not in formats:
        raise bad_parameter("format", f"format={fmt!r}: one of {', '.join(formats)}")
    release = params.get("release")
    if release is not None and not release.strip():
        raise bad_parameter("release", "release: give a release name")
    return DataRequest(filters=filters, start=start, end=end,
                       release=release.strip() if release else None,
                       as_of=as_of(params["as_of"]) if "as_of" in params else None, format=fmt)
