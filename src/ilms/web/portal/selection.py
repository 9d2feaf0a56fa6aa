"""The explorer's state, read from and written to the query string (every view is a permalink).

Filters use the data API's parameters (``country``, ``year``, a dimension id per breakdown,
``release``, ``as_of``), parsed by ``ilms.web.query`` so that the page, its downloads and the API
agree. A dimension the query does not name gets its default: the first code of its codelist
(the total) for sex and the table's own breakdowns when that code has data, else every code;
``DIM=*`` asks for every code. View parameters: ``cols`` (the dimension across the columns,
default the period), ``rows`` (the order of the others), ``labels`` (name | code | both),
``chart`` (line | bar).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from starlette.datastructures import QueryParams

from ...store.read import Selection
from ...tables import TIME_DIMENSION, Table, structure
from .. import query
from ..errors import ApiError
from ..settings import Settings
from .errors import PageError

VIEW = ("cols", "rows", "labels", "chart", "lang", "year_from", "year_to")
LABELS = ("name", "code", "both")
CHARTS = ("line", "bar")
ALL = "*"
#: dimensions whose default is their first code (the total) rather than every code
DEFAULT_TO_TOTAL = ("SEX",)


@dataclass(frozen=True)
class State:
    table: Table
    request: query.DataRequest
    given: Mapping[str, tuple[str, ...]]      # filters the query names (ALL: every code)
    cols: str
    rows: tuple[str, ...]
    labels: str
    chart: str | None
    params: Mapping[str, str] = field(default_factory=dict)   # the query string as given

    def selection(self, cut: int, filters: Mapping[str, tuple[str, ...]] | None = None) -> Selection:
        return Selection(table=self.table.number, filters=self.request.filters if filters is None else filters,
                         start=self.request.start, end=self.request.end, cut=cut)

    def defaults_wanted(self) -> tuple[str, ...]:
        """Dimensions whose default is their first code (asked only when the query does not name them)."""
        own = tuple(d.id for d in self.table.own_dimensions)
        return tuple(d for d in (*DEFAULT_TO_TOTAL, *own) if d not in self.given)


def _split(params: QueryParams) -> tuple[QueryParams, dict[str, tuple[str, ...]], dict[str, str]]:
    """(data parameters for ``query.parse``, dimensions asked with ``*``, view parameters)."""
    data, every, view = [], {}, {}
    for k, v in params.multi_items():
        if k in VIEW:
            view[k] = v
        elif v.strip() == ALL:     # every code (a form sends it beside its boxes: boxes ticked win)
            every[k.upper() if k != "country" else query.COUNTRY_DIMENSION] = (ALL,)
        elif k != "format" and v.strip():
            data.append((k, v))
    named = {k.upper() if k != "country" else query.COUNTRY_DIMENSION for k, _ in data}
    every = {k: v for k, v in every.items() if k not in named}
    if ("year_from" in view or "year_to" in view) and "year" not in dict(data):
        span = f"{view.get('year_from', '').strip()}:{view.get('year_to', '').strip()}"
        if span != ":":
            data.append(("year", span))
    return QueryParams(data), every, view


def parse(table: Table, params: QueryParams, settings: Settings) -> State:
    data, every, view = _split(params)
    try:
        req = query.parse(table, data, settings, {"json": None})
    except ApiError as e:
        raise PageError(e.status, e.error, e.parameter) from None
    unknown = [d for d in every if not table.has_dimension(d)]
    if unknown:
        raise PageError(400, f"{unknown[0]} is not a dimension of table {table.number} "
                             f"({', '.join(table.key_order)})", unknown[0])
    given = {**req.filters, **every}
    dims = (*table.key_order, TIME_DIMENSION)
    cols = view.get("cols", TIME_DIMENSION).upper()
    if cols not in dims:
        raise PageError(400, f"cols={view['cols']!r}: one of {', '.join(dims)}", "cols")
    rows = tuple(r.strip().upper() for r in view.get("rows", "").split(",") if r.strip())
    bad = [r for r in rows if r not in dims]
    if bad:
        raise PageError(400, f"rows: {', '.join(bad)} not a dimension of table {table.number}", "rows")
    labels = view.get("labels", "name")
    if labels not in LABELS:
        raise PageError(400, f"labels={labels!r}: one of {', '.join(LABELS)}", "labels")
    chart = view.get("chart")
    if chart is not None and chart not in CHARTS:
        raise PageError(400, f"chart={chart!r}: one of {', '.join(CHARTS)}", "chart")
    return State(table, req, given, cols, rows, labels, chart, dict(params))


def lookup(number: str) -> Table:
    s = structure()
    try:
        return s.table(int(number))
    except (ValueError, KeyError):
        raise PageError(404, f"There is no table {number!r}: the ILMS tables are numbered 1 to {len(s.tables)}.",
                        back="/tables") from None


def sdmx_key(table: Table, filters: Mapping[str, tuple[str, ...]]) -> str:
    """The SDMX series key of a selection: codes joined by '+', an empty part for every code."""
    return ".".join("+".join(filters.get(d, ())) for d in table.key_order)
