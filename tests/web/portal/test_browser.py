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
