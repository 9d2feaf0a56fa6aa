"""The country, corridor, availability, source, standard and search pages in a real browser (the
live server over the demo data): they load with data and their table alternatives, pass axe-core,
need no sideways scrolling at 360 px, and leave screenshots at 1280 and 360 px."""
from __future__ import annotations


def _both_widths(page, axe_check, screenshot, name: str):
    """axe-core at 1280 px; at 360 px no sideways scrolling; a screenshot at each width."""
    axe_check(page)
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1, name
    screenshot(page, f"{name}-360")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_profile_loads_with_figures_charts_and_their_tables(browser_page, axe_check, screenshot):
    page = browser_page
    page.goto("/countries/THA")
    assert page.locator("h1").inner_text() == "Thailand"
    assert page.locator(".cards .card .figure").count() >= 4
    assert page.locator("svg.svg-chart.wide").first.is_visible()
    assert page.locator("svg.svg-chart.narrow").first.is_hidden()
    tables = page.locator("table.data")
    assert tables.count() >= 5
    assert page.locator("table.data caption", has_text="Employment by economic activity").count() == 1
    assert page.locator("table.data tbody tr").count() > 30
    _both_widths(page, axe_check, screenshot, "profile")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.locator("svg.svg-chart.narrow").first.is_visible()          # the narrow drawing on a phone
    assert page.locator("svg.svg-chart.wide").first.is_hidden()


def test_corridors_load_with_map_flows_and_mirror_tables(browser_page, axe_check, screenshot):
    page = browser_page
    page.goto("/corridors")
    assert page.locator(".map svg a").count() > 3                           # linked countries on the map
    assert page.locator("#map-table tbody tr").count() > 3
    assert page.locator("svg.sankey.wide path").count() > 5
    assert page.locator("#ranking tbody tr").count() > 5
    assert page.locator("#mirror tbody tr").count() > 0
    # the inward/outward switch is a link: no script needed
    page.get_by_role("link", name="Outward", exact=True).click()
    assert "direction=outward" in page.url and "Corridors from" in page.locator("#h-map").inner_text()
    _both_widths(page, axe_check, screenshot, "corridors")


def test_availability_matrix_loads_and_a_cell_leads_to_the_data(browser_page, axe_check, screenshot):
    page = browser_page
    page.goto("/availability")
    assert page.locator("section.avail").count() == 11                      # every member of the region
    filled = page.locator("table.availability td a")
    assert filled.count() > 500 and page.locator("td.gap").count() > 0
    _both_widths(page, axe_check, screenshot, "availability")
    href = filled.first.get_attribute("href")
    assert href.startswith("/tables/") and "country=" in href and "year=" in href
    filled.first.click()
    assert page.url.endswith(href)


REFERENCE_PAGES = (
    ("/countries/", "countries", "Country profiles"),
    ("/sources", "sources", "Sources"),
    ("/sources/BA_9080", "source", "Thailand — Labour Force Survey"),
    ("/standard", "standard", "The standard tables"),
    ("/standard/6", "standard-table", "6. Employed persons"),
    ("/search?q=construction", "search", "Search"),
)


def test_reference_pages_are_accessible(browser_page, axe_check, screenshot):
    page = browser_page
    for path, name, heading in REFERENCE_PAGES:
        page.goto(path)
        assert page.locator("h1").inner_text().startswith(heading), path
        _both_widths(page, axe_check, screenshot, name)
    page.goto("/search?q=Myanmar")
    page.get_by_role("link", name="Myanmar").first.click()
    assert page.url.endswith("/countries/MMR") and page.locator("h1").inner_text() == "Myanmar"
