"""The table explorer and its downloads on both backends (TestClient over the demo data)."""
from __future__ import annotations

import csv
import html
import io
import re

import openpyxl


def test_explorer_defaults_to_totals_and_offers_only_codes_with_data(portal):
    page = portal.get("/tables/5")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    text = page.text
    assert 'name="ECO" value="ECO_ISIC4_TOTAL" checked' in text         # the total by default
    assert 'name="ECO" value="ECO_ISIC4_A"' in text                     # offered, not ticked
    # only countries with data in table 10 (inflows by education: gaps in the demo data)
    t10 = portal.get("/tables/10").text
    offered = set(re.findall(r'name="REF_AREA" value="([A-Z]{3})"', t10))
    assert offered and len(offered) < 11
    thin = portal.get("/tables/10?country=" + sorted(offered)[0]).text
    assert "No data for this selection" not in thin


def test_pivot_swaps_rows_and_columns_and_labels_follow_the_query(portal):
    normal = portal.get("/tables/3?country=THA&SEX=*").text
    assert re.search(r'<th scope="col" class="num">20\d\d</th>', normal)     # years across
    swapped = portal.get("/tables/3?country=THA&SEX=*&cols=SEX").text
    assert '<th scope="col" class="num">Total</th>' in swapped and re.search(r'<th scope="row">20\d\d</th>', swapped)
    codes = portal.get("/tables/3?country=THA&SEX=*&cols=SEX&labels=code").text
    assert '<th scope="col" class="num">SEX_T</th>' in codes
    both = portal.get("/tables/3?country=THA&labels=both").text
    assert "Thailand (THA)" in both


def test_flags_notes_banner_and_chart_switch(portal):
    page = portal.get("/tables/5?country=THA").text
    assert re.search(r"\d+ notes? appl(y|ies) to your selection", page)
    assert 'class="flag"' in page                                        # P on 2024 values
    assert "<svg" in page and 'aria-describedby="pivot"' in page and "<path d=" in page   # time series
    bars = portal.get("/tables/5?country=THA&chart=bar").text
    assert "<rect" in bars and 'aria-current="true">Bars' in bars



def test_chart_caption_counts_what_the_chart_leaves_out(portal):
    from ilms.web.portal.explorer import CHART_BARS, CHART_SERIES
    page = portal.get("/tables/5?country=THA&ECO=*&SEX=*&chart=line").text
    assert len(re.findall(r'<li><svg class="swatch"', page)) == CHART_SERIES
    line = re.search(r"The chart shows the first (\d+) series \((\d+) more in the table\)", page)
    assert line and int(line[1]) == CHART_SERIES
    bars = portal.get("/tables/5?country=THA&ECO=*&SEX=*&chart=bar").text
    bar = re.search(r"The chart shows the (\d+) largest values \((\d+) more in the table\)", bars)
    assert bar and int(bar[1]) == CHART_BARS
    assert int(line[2]) + CHART_SERIES == int(bar[2]) + CHART_BARS      # the same series, counted twice


def test_confidential_values_never_reach_the_page_or_the_files(portal, demo_db):
    from sqlalchemy import select

    from ilms.store.schema import observation, series
    with demo_db.engine.connect() as conn:
        row = conn.execute(select(series.c.table_no, series.c.ref_area, series.c.c1, series.c.sex, observation.c.value,
                                  observation.c.time_period)
                           .join(series, series.c.id == observation.c.series_id)
                           .where(observation.c.confidential.is_(True), observation.c.valid_to.is_(None))
                           .limit(1)).first()
    assert row is not None
    query = f"/tables/{row.table_no}?country={row.ref_area}&SEX={row.sex}&{ 'ORIGIN' }={row.c1}&year={row.time_period}"
    page = portal.get(query).text
    assert 'class="num conf"' in page and f'data-value="{row.value}"' not in page
    tidy = portal.get(query.replace(f"/tables/{row.table_no}", f"/tables/{row.table_no}/download") + "&format=csv").text
    cells = [r for r in csv.DictReader(io.StringIO(tidy)) if r["CONFIDENTIAL"] == "true"]
    assert cells and all(r["OBS_VALUE"] == "" for r in cells)


def test_downloads_hold_exactly_the_selection_in_three_formats(portal):
    query = "country=THA,MYS&SEX=*&year=2021:2023"
    page = portal.get(f"/tables/4?{query}").text
    n_obs = int(re.search(r"([\d,]+) observations", page).group(1).replace(",", ""))
    tidy = list(csv.DictReader(io.StringIO(portal.get(f"/tables/4/download?{query}&format=csv").text)))
    sdmx = list(csv.DictReader(io.StringIO(portal.get(f"/tables/4/download?{query}&format=sdmx-csv").text)))
    xlsx = portal.get(f"/tables/4/download?{query}&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)["Table 4"]
    xrows = list(sheet.iter_rows(values_only=True))[1:]
    assert len(tidy) == len(sdmx) == len(xrows) == n_obs > 0
    assert {r["REF_AREA"] for r in tidy} == {"THA", "MYS"} and {r["TIME_PERIOD"] for r in tidy} <= {"2021", "2022", "2023"}
    assert {r["ORIGIN"] for r in tidy} == {"TOTAL"}                     # the default, as on the page
    key = lambda r: (r["REF_AREA"], r["SOURCE"], r["BASIS"], r["SEX"], r["ORIGIN"], r["TIME_PERIOD"])
    assert {key(r): float(r["OBS_VALUE"]) for r in tidy} == {key(r): float(r["OBS_VALUE"]) for r in sdmx}


def test_bad_input_gets_an_html_4xx_with_a_way_back(portal):
    cases = {"/tables/99": 404, "/tables/abc": 404, "/tables/5?year=2024:2010": 400, "/tables/5?ECO=NOPE": 400,
             "/tables/5?country=XXX": 400, "/tables/5?cols=NOPE": 400, "/tables/5?ECO=*&OCU=*": 400,
             "/tables/5/download?format=zip": 400, "/tables/5?ECO=*&MIG=*&SEX=*": 413}
    for path, status in cases.items():
        page = portal.get(path)
        assert page.status_code == status, (path, page.status_code)
        assert page.headers["content-type"].startswith("text/html")
        assert 'href="/"' in page.text or "Reset" in page.text
        assert "Traceback" not in page.text


def test_markup_in_the_query_is_escaped(portal):
    page = portal.get('/tables/5?labels=<script>alert(1)</script>')
    assert page.status_code == 400
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text


def test_api_panel_gives_the_sdmx_query_of_the_view(portal):
    page = portal.get("/tables/3?country=THA&year=2021:2023").text
    url = html.unescape(re.search(r'<code id="sdmx-url">([^<]+)</code>', page).group(1))
    assert "/rest/data/ILMS,DF_ILMS_T03,1.0/THA...SEX_T.TOTAL?startPeriod=2021&endPeriod=2023" in url
    assert "sdmx.Client(" in html.unescape(page) and "readSDMX(" in html.unescape(page)


def test_filter_choices_agree_with_the_sdmx_availability_service(demo_db):
    """The form's codes (from the series keys with data) are what SDMX mode=available answers."""
    from ilms.store import releases
    from ilms.store.read import Selection
    from ilms.tables import structure
    from ilms.web.portal.choices import choices
    from ilms.web.sdmx.availability import availability
    with demo_db.engine.connect() as conn:
        cut = releases.latest_published(conn).cut
        for number, filters, start, end in [(5, {}, None, None),
                                            (5, {"REF_AREA": ("THA", "MYS"), "ECO": ("ECO_ISIC4_A",)}, "2021", "2023"),
                                            (10, {"SEX": ("SEX_F",), "EDU": ("EDU_ISCED11_TOTAL",)}, None, "2022"),
                                            (15, {"REF_AREA": ("PHL",), "BASIS": ("BIR",)}, None, None)]:
            table = structure().table(number)
            mine = choices(conn, cut, number, filters, start, end).values
            sdmx = availability(conn, table, Selection(table=number, filters=filters, start=start, end=end, cut=cut),
                                None, mode="available").values
            assert {d: set(v) for d, v in mine.items()} == {d: set(v) for d, v in sdmx.items()}, (number, filters)
