"""The portal's test bed: a database of demonstration data, a live server and a real browser.

* ``demo_db`` (session, per backend): a database holding the demo dataset's sources for the
  years 2020-2024, published as two synthetic releases ("portal-2023": 2020-2023, then
  "portal-2024": 2024 added), so "what changed" has something to show. Built once per session
  and backend (a subset of ``ilms demo``: the whole dataset takes ~40 s to load).
* ``portal`` (session, per backend): a TestClient of the application over it.
* ``live_server`` (session, per backend): the application served by uvicorn in a thread on
  127.0.0.1 and a free port, as ``ilms serve`` does.
* ``browser_page``: a Chromium page (Debian's /usr/bin/chromium driven by Playwright, never a
  downloaded browser) that fails the test on any request leaving 127.0.0.1 and on any console error.
* ``axe_check(page)``: axe-core (npm, ``make node``) on the page; fails on serious or critical
  violations. ``screenshot(page, name)`` saves a PNG under tests/artifacts/screenshots/.
"""
from __future__ import annotations

import dataclasses
import os
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from ilms.demo import DEMO_NOTICE
from ilms.demo.catalogue import entry
from ilms.demo.dataset import observations
from ilms.demo.plan import sources as demo_sources
from ilms.store import releases, sources as catalogue, write
from ilms.store.db import make_engine
from ilms.store.migrate import upgrade
from tests.conftest import IN_CI, PG_URL, free_port

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SEED, FIRST_YEAR, LAST_YEAR = 1, 2020, 2024
RELEASES = (("portal-2023", 2023), ("portal-2024", 2024))


def _skip_or_fail(reason: str):
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def load_demo_subset(engine) -> None:
    """The demo dataset's sources, years FIRST_YEAR..LAST_YEAR, written and published in two releases."""
    plan = []
    for source in demo_sources(SEED):
        years = tuple(y for y in source.years if FIRST_YEAR <= y <= LAST_YEAR)
        if years:
            plan.append(dataclasses.replace(source, years=years))
    with engine.begin() as conn:
        for source in plan:
            catalogue.upsert(conn, source.code, source.country, **entry(source, SEED))
    done = FIRST_YEAR - 1
    for name, last in RELEASES:
        part = [dataclasses.replace(s, years=tuple(y for y in s.years if done < y <= last)) for s in plan]
        with engine.begin() as conn:
            write.write(conn, observations(SEED, [s for s in part if s.years]), kind="demo", by="pytest",
                        reason=f"{DEMO_NOTICE}: synthetic dataset, seed {SEED}, {done + 1}-{last}")
            releases.create(conn, name, by="pytest", description=f"{DEMO_NOTICE}. Portal test data.",
                            synthetic=True)
            releases.publish(conn, name, by="pytest")
        done = last


@dataclass
class DemoDb:
    backend: str
    url: str
    engine: object


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def demo_db(request, tmp_path_factory):
    backend = request.param
    admin = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('portal') / 'demo.sqlite'}"
    else:
        if not PG_URL:
            _skip_or_fail("PostgreSQL not configured (set ILMS_TEST_POSTGRES_URL)")
        name = f"ilms_portal_{uuid.uuid4().hex[:8]}"
        admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    load_demo_subset(engine)
    yield DemoDb(backend, url, engine)
    engine.dispose()
    if admin is not None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def portal(demo_db):
    from fastapi.testclient import TestClient

    from ilms.web import create_app
    with TestClient(create_app(demo_db.engine), headers={"accept": "text/html"}) as client:
        yield client


@dataclass
class LiveServer:
    url: str
    backend: str


@pytest.fixture(scope="session")
def live_server(demo_db):
    import uvicorn

    from ilms.web import create_app
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(demo_db.engine), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the portal server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", demo_db.backend)
    server.should_exit = True
    thread.join(10)


class PageWatch:
    """What a page did that a test must not let pass: requests off the machine, console errors."""

    def __init__(self):
        self.outside: list[str] = []
        self.console_errors: list[str] = []

    def check(self):
        assert not self.outside, f"requests left 127.0.0.1: {self.outside}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@pytest.fixture
def browser_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  base_url=live_server.url)
    page = context.new_page()
    watch = PageWatch()

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return r.continue_()
        watch.outside.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    page.watch = watch
    yield page
    context.close()
    watch.check()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    if not AXE.exists():
        _skip_or_fail(f"{AXE} is missing: run `make node`")
    # evaluated through the DevTools protocol: the page's Content-Security-Policy stays strict
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"] if v["impact"] in impacts]


@pytest.fixture
def axe_check():
    def check(page):
        found = axe_violations(page)
        assert not found, f"axe-core: serious or critical violations on {page.url}: {found}"
    return check


@pytest.fixture
def screenshot(live_server):
    def take(page, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{live_server.backend}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path
    return take


def pytest_collection_modifyitems(config, items):
    """Browser tests are marked ``browser`` (select or skip them with -m)."""
    for item in items:
        if "browser_page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
