"""``/tables``: the list of tables; ``/tables/{n}``: the table explorer.

The explorer reads one selection of one table (``selection.State``, from the query string):
the filter form offers only codes that still have data given the other filters
(``choices``: series keys with data, from SQL); the selection is counted before it is read and a selection
too large for a page is a 413 page that keeps the filters (the downloads and the API take any
size); the observations go into a pivot table with their flags and notes, a chart (SVG) and the
API panel.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection, select

from ...store import read
from ...store.read import Selection
from ...store.summaries.memo import per_cut
from ...store.schema import note as note_table, source as source_table
from ...tables import TIME_DIMENSION, structure
from ..deps import get_conn, get_settings
from ..sdmx.availability import count
from ..settings import Settings
from . import api_panel, charts, pivot
from .choices import Choices, choices
from .render import page, svg, translation_for, url_for_query, vintage_of
from .selection import ALL, State, lookup, parse

router = APIRouter(include_in_schema=False)

#: lines a time-series chart draws at most (the table shows every series)
CHART_SERIES = 10
CHART_BARS = 25


@router.get("/tables")
def tables(request: Request):
    s = structure()
    modules = [(letter, title, [t for t in s.tables.values() if t.module == letter])
               for letter, title in s.modules.items()]
    return page(request, "tables.html", title="Data explorer", modules=modules)


@per_cut
def counted(conn: Connection, cut: int, table_no: int, filters: dict, start: str | None, end: str | None):
    """(observations, series) of a selection: one aggregate query, kept per database state."""
    return count(conn, Selection(table=table_no, filters=filters, start=start, end=end, cut=cut))


def resolve_filters(conn: Connection, state: State, cut: int) -> tuple[dict, Choices]:
    """(the filters read, what the form offers): defaults filled in from the data."""
    explicit = {d: c for d, c in state.given.items() if c != (ALL,)}
    filters = dict(explicit)
    start, end, number = state.request.start, state.request.end, state.table.number
    wanted = state.defaults_wanted()
    if wanted:
        first = choices(conn, cut, number, explicit, start, end)
        for dim in wanted:
            present = set(first.values.get(dim, ()))
            total = next((c.id for c in state.table.dimension(dim).codelist.codes if c.id in present), None)
            if total is not None:
                filters[dim] = (total,)
    return filters, choices(conn, cut, number, filters, start, end)


def names_of(conn: Connection, codes: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(source code -> name, source code -> notes) for the sources in a selection."""
    rows = conn.execute(select(source_table.c.code, source_table.c.name, source_table.c.notes)
                        .where(source_table.c.code.in_(sorted(codes)))).all()
    return {r.code: r.name for r in rows}, {r.code: r.notes for r in rows if r.notes}


def note_texts(conn: Connection, observations) -> dict[str, str]:
    codes = sorted({c for o in observations for c in pivot.note_codes(o)})
    if not codes:
        return {}
    return {r.code: r.text for r in conn.execute(select(note_table.c.code, note_table.c.text)
                                                  .where(note_table.c.code.in_(codes)))}


def labeller(state: State, source_names: dict[str, str], mode: str, translate=lambda text: text):
    def name(dim: str, code: str) -> str:
        if dim == TIME_DIMENSION:
            return code
        if dim == "SOURCE":
            return source_names.get(code, code)
        return translate(state.table.dimension(dim).codelist.label(code)) if dim in state.table.key_order else code

    def label(dim: str, code: str) -> str:
        if mode == "code" or dim == TIME_DIMENSION:
            return code
        if mode == "both":
            return f"{name(dim, code)} ({code})"
        return name(dim, code)
    return label


def chart_of(state: State, grid: pivot.Pivot, label, chart: str, title: str):
    """(SVG, legend, what the chart leaves out): lines over time, or bars for the latest period."""
    table = state.table
    periods = sorted({o.observation.time for o in grid.cells.values()})
    by_series: dict[tuple, dict[str, float | None]] = {}
    series_dims = [d for d in (*grid.row_dims, grid.cols) if d != TIME_DIMENSION]
    for cell in grid.cells.values():
        o = cell.observation
        key = tuple(o.key[table.key_order.index(d)] for d in series_dims)
        by_series.setdefault(key, {})[o.time] = o.value
    def series_label(key):
        return " · ".join(label(d, c) for d, c in zip(series_dims, key)) or title
    keys = list(by_series)
    if chart == "line":
        shown = keys[:CHART_SERIES]
        picture, legend = charts.line_chart(title, periods, [(series_label(k), [by_series[k].get(p) for p in periods])
                                                             for k in shown], "pivot")
        return picture, legend, len(keys) - len(shown)
    last = periods[-1] if periods else None
    bars = sorted(((series_label(k), by_series[k].get(last)) for k in keys),
                  key=lambda b: -(b[1] if b[1] is not None else -1))
    return charts.bar_chart(f"{title}, {last}", bars[:CHART_BARS], "pivot"), [], max(0, len(bars) - CHART_BARS)


@router.get("/tables/{number}")
def explorer(number: str, request: Request, conn: Connection = Depends(get_conn),
             settings: Settings = Depends(get_settings)):
    table = lookup(number)
    state = parse(table, request.query_params, settings)
    vintage = vintage_of(request, conn)
    context = {"table": table, "state": state, "title": f"{table.number}. {table.title}"}
    if vintage is None:
        return page(request, "explorer.html", vintage=None, **context)
    filters, form = resolve_filters(conn, state, vintage.cut)
    selection = state.selection(vintage.cut, filters)
    n_obs, n_series = counted(conn, vintage.cut, table.number, filters, state.request.start, state.request.end)
    base = str(request.base_url).rstrip("/")
    download_query = {**{d: ",".join(c) for d, c in filters.items()},
                      **({"year": f"{state.request.start or ''}:{state.request.end or ''}"}
                         if state.request.start or state.request.end else {}),
                      **{k: request.query_params[k] for k in ("release", "as_of") if request.query_params.get(k)}}
    context.update(filters=filters, form=form, n_obs=n_obs, n_series=n_series,
                   years=form.years, api=api_panel.snippets(base, state, filters),
                   sdmx_url=api_panel.sdmx_url(base, state, filters),
                   downloads={fmt: url_for_query(f"/tables/{table.number}/download", {**download_query, "format": fmt})
                              for fmt in ("csv", "xlsx", "sdmx-csv")})
    if n_obs > settings.limits.explorer_observations:      # a 413 page pointing to the downloads
        context.update(too_large=True, page_limit=settings.limits.explorer_observations, label=labeller(state, {}, state.labels, translation_for(request).gettext))
        return page(request, "explorer.html", status_code=413, vintage=vintage, **context)
    observations = list(read.observations(conn, selection, public=True))
    present_sources = {o.key[table.key_order.index("SOURCE")] for o in observations}
    source_names, source_notes = names_of(conn, present_sources | set(form.values.get("SOURCE", ())))
    grid = pivot.build(table, observations, state.cols, state.rows, note_texts(conn, observations), source_notes)
    label = labeller(state, source_names, state.labels, translation_for(request).gettext)
    periods = {o.time for o in observations}
    chart = state.chart or ("line" if len(periods) > 1 else "bar")
    picture = legend = left_out = None
    if observations:
        picture, legend, left_out = chart_of(state, grid, label, chart, table.short)
    context.update(grid=grid, label=label, chart=chart, chart_svg=svg(picture) if picture else None,
                   legend=legend, left_out=left_out,
                   shown=CHART_SERIES if chart == "line" else CHART_BARS, source_names=source_names, n_periods=len(periods))
    return page(request, "explorer.html", vintage=vintage, **context)
