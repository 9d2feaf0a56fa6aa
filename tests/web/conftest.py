"""A small published database for the web tests, on each backend.

History of the fixture (changesets in order):
  A  load        tables 5 (THA) and 15 (PHL): the first values; THA female agriculture 2020 is confidential
  B  correction  THA total 2020: 100 -> 110
  -- release "2025-R1" created and published (cut = B)
  C  correction  THA total 2020: 110 -> 120, and a new VNM series (both unpublished)
  -- release "2025-R2" created, not published (cut = C)
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ilms.observation import Observation
from ilms.store import changesets, releases, sources, write
from ilms.web import create_app

T5 = ("THA", "BA_453", "BIR")
T15 = ("PHL", "XA_0001", "_Z")


def t5(sex: str, eco: str, time_: str, value: float, **kw) -> Observation:
    return Observation(5, (*T5, sex, eco, "MIG_STATUS_TOTAL"), time_, value, **kw)


def t15(sex: str, dest: str, time_: str, value: float, **kw) -> Observation:
    return Observation(15, (*T15, sex, dest), time_, value, **kw)


FIRST = [
    t5("SEX_T", "ECO_ISIC4_TOTAL", "2019", 95.0),
    t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 100.0, note_source="R1:3513"),
    t5("SEX_M", "ECO_ISIC4_TOTAL", "2020", 60.0),
    t5("SEX_F", "ECO_ISIC4_TOTAL", "2020", 40.0),
    t5("SEX_F", "ECO_ISIC4_A", "2020", 1.5, confidential=True, status="C"),
    t5("SEX_M", "ECO_ISIC4_A", "2020", 7.25, comment="provisional"),
    t15("SEX_T", "TOTAL", "2020", 300.0),
    t15("SEX_T", "SAU", "2020", 120.5),
    t15("SEX_F", "TOTAL", "2021", 150.0),
]


@dataclass
class Published:
    engine: object
    client: TestClient
    before_correction: str      # ISO time of changeset A: as of then, THA total 2020 was 100
    after_revision: str         # ISO time of changeset C (later than the published release)


def _changeset_time(engine, changeset_id: int) -> str:
    with engine.connect() as conn:
        return changesets.get(conn, changeset_id)["created_at"].isoformat()


@pytest.fixture
def published(engine) -> Published:
    with engine.begin() as conn:
        sources.upsert(conn, "BA_453", "THA", name="Labour Force Survey", agency="National Statistical Office")
        sources.upsert(conn, "XA_0001", "PHL", name="Overseas employment registry")
        sources.upsert(conn, "BA_500", "VNM", name="Labour Force Survey")
        a = write.write(conn, FIRST, kind="load", by="pytest", reason="first load")
    time.sleep(0.01)
    with engine.begin() as conn:
        write.write(conn, [t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 110.0, note_source="R1:3513")],
                    kind="correction", by="pytest", reason="corrected total")
        releases.create(conn, "2025-R1", by="pytest", description="first release")
        releases.publish(conn, "2025-R1", by="pytest")
    time.sleep(0.01)
    with engine.begin() as conn:
        c = write.write(conn, [t5("SEX_T", "ECO_ISIC4_TOTAL", "2020", 120.0, note_source="R1:3513"),
                               Observation(5, ("VNM", "BA_500", "BIR", "SEX_T", "ECO_ISIC4_TOTAL",
                                               "MIG_STATUS_TOTAL"), "2020", 900.0)],
                        kind="correction", by="pytest", reason="later revision")
        releases.create(conn, "2025-R2", by="pytest", description="not yet published")
    return Published(engine, TestClient(create_app(engine)), _changeset_time(engine, a.changeset_id),
                     _changeset_time(engine, c.changeset_id))


@pytest.fixture
def client(published) -> TestClient:
    return published.client


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser), one per test worker for
    every browser test -- the portal's and the workflow's: Playwright's sync API runs one instance
    per thread, so a second one started beside it would fail."""
    from .portal.conftest import CHROMIUM, CHROMIUM_ARGS, _skip_or_fail
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} is missing (scripts/system-packages.sh installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
