"""The home page on both backends: headline figures with their coverage, the map and its table,
what changed, the tables; HTML errors and the security header."""
from __future__ import annotations

import re

from ilms.tables import structure
from ilms.web.portal import headlines


def test_home_shows_headlines_with_year_and_coverage_the_map_and_the_changes(portal, demo_db):
    page = portal.get("/")
    assert page.status_code == 200
    html = page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "demonstration data" in html.lower()
    with demo_db.engine.connect() as conn:
        from ilms.store import releases
        latest = releases.latest_published(conn)
        figures = headlines.figures(conn, latest.cut)
    region = structure().default_region
    members = region.all_members()
    for f in figures:
        assert f.value is not None and f.year is not None
        in_year = region.members_in(int(f.year))          # the region as it was that year
        assert set(f.covered) | set(f.missing) == set(in_year) and not set(f.covered) & set(f.missing)
        assert f"{f.year} · {len(f.covered)} of {len(in_year)} countries" in html
    assert latest.name == "portal-2024"
    assert "Compared with release portal-2023" in html
    assert html.count('class="country"') >= len(members)          # every member on the map
    assert re.search(r'<table class="data" id="map-data">', html)
    assert 'aria-describedby="map-data"' in html


def test_headline_is_the_sum_of_the_covered_countries_in_its_year(demo_db):
    from sqlalchemy import func, select

    from ilms.store import releases
    from ilms.store.read import visible_at
    from ilms.store.schema import observation, series
    with demo_db.engine.connect() as conn:
        cut = releases.latest_published(conn).cut
        stock = headlines.figure(conn, headlines.declarations()["stock"], cut, structure().default_region)
        # independently: per covered country, its preferred-basis first-source TOTAL of that year
        total = 0.0
        for country in stock.covered:
            row = conn.execute(
                select(series.c.basis, series.c.source, observation.c.value)
                .join(series, series.c.id == observation.c.series_id)
                .where(series.c.table_no == 3, series.c.ref_area == country, series.c.sex == "SEX_T",
                       series.c.c1 == "TOTAL", observation.c.time_period == stock.year, visible_at(cut))
                .order_by(func.lower(series.c.basis) != "bir", series.c.source)).first()
            total += row.value
    assert abs(stock.value - total) < 1e-6


def test_map_choice_is_in_the_query_string(portal):
    page = portal.get("/?map=abroad")
    assert page.status_code == 200
    assert '<option value="abroad" selected>' in page.text
    assert "Nationals abroad: the map&#39;s data" in page.text


def test_unknown_release_is_an_html_404_for_browsers_and_json_for_clients(portal):
    page = portal.get("/?release=nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "no published release named" in page.text and 'href="/"' in page.text
    assert portal.get("/no-such-page").status_code == 404
    api = portal.get("/api/v1/tables/99", headers={"accept": "application/json"})
    assert api.status_code == 404 and api.json()["error"]


def test_static_files_are_served_and_nothing_outside_them(portal):
    css = portal.get("/static/portal.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert portal.get("/static/../render.py").status_code == 404
    assert portal.get("/static/map/countries-50m.json").status_code == 200
