"""``/availability``: country x table x year, each cell coloured by the type of its sources and
linking to the data in the table explorer; the gaps are the empty cells. One GROUP BY
(``ilms.store.summaries.availability``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup, escape
from sqlalchemy import Connection

from ...store.summaries.availability import availability
from ...tables import structure
from ..deps import get_conn
from . import published
from .render import carried, page, url_for_query

router = APIRouter(include_in_schema=False)


def _codes(raw: str | None) -> list[str]:
    return [c.strip() for c in (raw or "").split(",") if c.strip()]


def country_rows(matrix, country: str, tables, years, link, titles: dict, values_word: str, no_data: str) -> Markup:
    """The body of one country's table x year matrix. Built here, not in the template: a page holds
    thousands of cells and this is several times faster (every text is escaped)."""
    out = []
    for n in tables:
        cells = []
        for y in years:
            cell = matrix.cells.get((country, n, y))
            if cell is None:
                cells.append(f'<td class="gap"><span class="visually-hidden">{no_data}</span></td>')
                continue
            kind = cell.source_types[0] if len(cell.source_types) == 1 else "mixed"
            cells.append(f'<td class="src-{kind}"><a href="{escape(link(n, country, y))}" '
                         f'title="{escape(", ".join(cell.sources))}: {cell.observations} {values_word}">'
                         f'{escape("+".join(cell.source_types))}</a></td>')
        out.append(f'<tr><th scope="row">{titles[n]}</th>{"".join(cells)}</tr>')
    return Markup("\n".join(out))


@router.get("/availability")
def availability_page(request: Request, conn: Connection = Depends(get_conn)):
    q = request.query_params
    back = "/availability"
    countries = [published.country(c, back) for c in _codes(q.get("country"))]
    tables = [published.table(n, back).number for n in _codes(q.get("table"))]
    s = structure()
    v = published.vintage(request, conn)
    matrix = availability(conn, v.cut, countries=countries, tables=tables) if v is not None else None
    shown_countries = countries or (sorted(set(s.default_region.all_members()) | set(matrix.countries),
                                           key=published.country_name) if matrix else [])
    overview: dict[tuple[str, int], int] = {}      # (country, table) -> years with data
    for (c, n, _y) in (matrix.cells if matrix else ()):
        overview[(c, n)] = overview.get((c, n), 0) + 1
    keep = carried(request)
    # built once: a page holds thousands of cells
    prefix = url_for_query("", keep)
    prefix = (prefix + "&") if prefix else "?"
    _ = published.gettext_for(request)
    titles = {n: Markup(f'<a href="{escape(url_for_query(f"/standard/{n}", keep))}" title="{escape(_(t.title))}">'
                        f'{n}</a> <span class="tshort">{escape(_(t.short))}</span>')
              for n, t in s.tables.items()}
    types = s.codelists["CL_SOURCE_TYPE"]
    return page(request, "availability.html", vintage=v, title=_("Data availability"), titles=titles,
                matrix=matrix, countries=shown_countries, tables=tables or sorted(s.tables), s=s,
                years=matrix.years if matrix else (), types=types, chosen_countries=countries, chosen_tables=tables,
                name=published.country_name, cell_link=lambda n, c, y: f"/tables/{n}{prefix}country={c}&year={y}",
                region=s.default_region, overview=overview, country_rows=country_rows)
