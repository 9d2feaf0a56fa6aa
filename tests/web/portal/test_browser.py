"""Browser journeys on the live server (Debian chromium via Playwright): few and fast."""
from __future__ import annotations

import pytest


def test_home_in_a_browser_is_accessible_at_both_widths(browser_page, axe_check, screenshot):
    page = browser_page
    page.goto("/")
    assert page.locator("h1").first.inner_text().startswith("International Labour Migration")
    assert page.locator(".card .figure").count() == 4
    axe_check(page)
    screenshot(page, "home-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1   # no sideways scrolling
    screenshot(page, "home-360")


def test_table_list_and_error_pages_are_accessible(browser_page, axe_check, screenshot):
    page = browser_page
    page.goto("/tables")
    assert page.locator("a.card").count() == 17
    axe_check(page)
    response = page.goto("/tables/99")
    assert response.status == 404 and page.get_by_role("link", name="All tables").count() == 1
    page.watch.console_errors.clear()         # the browser reports the 404 itself: expected here
    axe_check(page)
    screenshot(page, "error-404-1280", full_page=False)


def _sdmx_values(text: str) -> dict:
    import csv
    import io
    rows = csv.DictReader(io.StringIO(text))
    return {(r["REF_AREA"], r["SOURCE"], r["BASIS"], r["SEX"], r["ECO"], r["MIG"], r["TIME_PERIOD"]):
            float(r["OBS_VALUE"]) for r in rows if r["OBS_VALUE"]}


def test_data_user_goes_from_home_to_a_filtered_table_switches_the_chart_and_downloads_it(
        browser_page, axe_check, screenshot, live_server):
    import httpx
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name="Explore table 5").click()
    page.wait_for_url("**/tables/5")
    assert page.locator("#pivot").count() == 1
    # filter: Thailand only, the years 2021 to 2023 (without relying on the script: Apply)
    page.locator('input[name="REF_AREA"]:checked').evaluate_all("els => els.forEach(e => e.checked = false)")
    page.check('input[name="REF_AREA"][value="THA"]')
    page.select_option('select[name="year_from"]', "2021")
    page.select_option('select[name="year_to"]', "2023")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**REF_AREA=THA**")
    assert "year_from=2021" in page.url
    assert set(page.locator("#pivot thead th.num").all_inner_texts()) <= {"2021", "2022", "2023"}
    assert page.locator(".chart svg path[stroke]").count() > 0          # several years: a time series
    screenshot(page, "explorer-lines-1280", full_page=False)
    # switch the chart to bars and back: the state is in the URL
    page.get_by_role("link", name="Bars").click()
    page.wait_for_url("**chart=bar**")
    assert page.locator(".chart svg rect").count() > 0
    axe_check(page)
    screenshot(page, "explorer-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "explorer-360", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    # download the selection as SDMX-CSV; its numbers equal the SDMX service's for the same query
    with page.expect_download() as info:
        page.get_by_role("link", name="SDMX-CSV").click()
    downloaded = _sdmx_values(open(info.value.path(), encoding="utf-8").read())
    sdmx_url = page.locator("#sdmx-url").text_content().strip()
    assert sdmx_url.startswith(live_server.url + "/rest/data/")
    served = _sdmx_values(httpx.get(sdmx_url + ("&" if "?" in sdmx_url else "?") + "format=csvfile", timeout=30).text)
    assert downloaded and downloaded == served
    assert {k[0] for k in downloaded} == {"THA"} and {k[-1] for k in downloaded} <= {"2021", "2022", "2023"}


def test_the_api_panel_python_snippets_run_against_the_server(portal, live_server):
    import html
    import re
    # the panel of the live server's page (its URLs point at the live server)
    import httpx
    text = httpx.get(f"{live_server.url}/tables/3?country=THA&year=2021:2023", timeout=30).text
    for name in ("pandas", "sdmx1"):
        code = html.unescape(re.search(rf'data-snippet="{name}">(.*?)</code>', text, re.S).group(1))
        scope: dict = {}
        exec(compile(code, f"<{name} snippet>", "exec"), scope)            # noqa: S102 -- our own snippet
        df = scope["df"]
        assert len(df) > 0, name
    values = scope["df"]
    assert "THA" in str(values.index.to_frame().values.tolist() if hasattr(values, "index") else values)
