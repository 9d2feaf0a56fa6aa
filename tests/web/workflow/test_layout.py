"""The workflow pages wear the portal's layout (header, navigation, footer, stylesheet, language)
under its Content-Security-Policy; the portal's header links to the sign-in page, or names the
signed-in person; the public navigation does not list the workflow pages. In a real browser the
login page and the curator's page have no serious accessibility violation and break no policy."""
from __future__ import annotations

import re

from ..accounts_fixtures import site  # noqa: F401  (the fixture)
from ..portal.conftest import SCREENSHOTS, axe_violations
from .browser import live_server, new_page
from .helpers import csrf_of, login, session_csrf

WORKFLOW = ("/collect", "/curate", "/admin", "/account")


def _public_nav(html: str) -> str:
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def _strict(response) -> None:
    policy = response.headers.get("content-security-policy", "")
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<style" not in response.text and " style=" not in response.text and "<script" not in response.text


def test_login_page_has_the_portal_layout_and_its_form_unchanged(site):
    client = site.new_client()
    page = client.get("/login?next=/curate")
    assert page.status_code == 200
    _strict(page)
    html = page.text
    assert '<header class="site-header">' in html and '<footer class="site-footer">' in html
    assert 'href="/static/portal.css' in html and 'href="/static/workflow.css' in html
    assert "<title>Log in — ILMS</title>" in html and '<html lang="en">' in html
    assert 'href="/login" aria-current="page">Sign in</a>' in html
    assert 'name="next" value="/curate"' in html and csrf_of(html)
    assert "Data: release 2025-1" in html                                # the portal's footer
    assert not any(f'href="{p}"' in _public_nav(html) for p in WORKFLOW)
    assert 'class="workflow-nav"' not in html                            # no menu before signing in
    css = client.get("/static/workflow.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_signed_in_pages_name_the_person_in_the_portal_header(site):
    client = site.new_client()
    assert "Sign in" in client.get("/").text
    session_csrf(client, "cora")
    curate = client.get("/curate")
    _strict(curate)
    assert curate.headers["cache-control"] == "no-store"
    header = re.search(r'<header class="site-header">.*?</header>', curate.text, re.S).group(0)
    assert 'href="/account"' in header and "cora" in header and "Sign in" not in header
    menu = re.search(r'<nav class="workflow-nav".*?</nav>', curate.text, re.S).group(0)
    assert '<a href="/curate" aria-current="page">' in menu and 'href="/curate/releases"' in menu
    assert 'href="/admin"' not in menu                                   # a curator is no admin
    assert 'action="/logout"' in menu and csrf_of(menu)
    releases = client.get("/curate/releases").text
    assert '<a href="/curate/releases" aria-current="page">' in releases
    assert '<a href="/curate" aria-current="page">' not in releases
    home = client.get("/")                                                # the public portal, signed in
    assert home.status_code == 200 and ">cora</a>" in home.text and "Sign in" not in home.text
    assert not any(f'href="{p}"' in _public_nav(home.text) for p in WORKFLOW)
    # a focal point's menu: collect and the account only
    other = site.new_client()
    assert login(other, "ana").status_code == 303
    menu = re.search(r'<nav class="workflow-nav".*?</nav>', other.get("/collect").text, re.S).group(0)
    assert 'href="/collect" aria-current="page"' in menu and 'href="/curate"' not in menu


def test_error_pages_of_the_workflow_keep_the_layout(site):
    client = site.new_client()
    session_csrf(client, "ana")
    refused = client.get("/curate")                                      # a focal point may not curate
    assert refused.status_code == 403
    _strict(refused)
    assert '<header class="site-header">' in refused.text and "may not" in refused.text


def test_login_and_curation_pages_in_a_browser(site, browser):
    outside: list[str] = []
    errors: list[str] = []
    b = browser
    with live_server(site.client.app) as base:
        page = new_page(b, base, outside)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/login")
        assert page.locator("header.site-header").is_visible()
        found = axe_violations(page)
        assert not found, f"axe-core on /login: {found}"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"workflow-login-{site.engine.dialect.name}.png"), full_page=True)
        page.fill("#name", "cora")
        page.fill("#password", "correct horse battery")
        with page.expect_navigation():
            page.click("button:has-text('Log in')")
        page.goto("/curate")
        assert page.locator("h1").inner_text() == "Curation"
        assert page.locator(".site-header .account a").inner_text().endswith("cora")
        found = axe_violations(page)
        assert not found, f"axe-core on /curate: {found}"
        page.screenshot(path=str(SCREENSHOTS / f"workflow-curate-{site.engine.dialect.name}.png"), full_page=True)
    assert not outside and not errors, (outside, errors)                 # nothing off the machine, no CSP report
