"""``/indicators`` and ``/indicators/{id}``: the declared indicators by country and for the region, each
regional value with its coverage, and links to the JSON API, SDMX and the release's files. Both backends."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from lxml import html

from ilms.analysis.declarations import declarations
from ilms.web import create_app

from ...analysis.fixtures import load


@pytest.fixture
def client(engine):
    load(engine)
    return TestClient(create_app(engine))


def _rows(page: str, caption: str) -> list[list[str]]:
    doc = html.fromstring(page)
    (table,) = [t for t in doc.iter("table") if caption in t.findtext("caption", "")]
    return [[" ".join(c.text_content().split()) for c in tr] for tr in table.iter("tr")][1:]


def test_index_lists_every_indicator_with_its_links(client):
    r = client.get("/indicators")
    assert r.status_code == 200
    page = r.text
    for ind in declarations().indicators:
        assert f'href="/indicators/{ind}"' in page and f'href="/api/v1/indicators/{ind}"' in page
    assert 'href="/downloads/r1/"' in page and "DF_ILMS_INDICATORS" in page
    assert 'href="/indicators"' in client.get("/").text          # in the navigation
    assert "<script>" not in page and " style=" not in page


def test_detail_shows_countries_and_the_regional_value_with_its_coverage(client):
    page = client.get("/indicators/MIG_SHARE_WAP").text
    regional = _rows(page, "Regional values")
    (total,) = [r for r in regional if r[1] == "BIR" and r[2] == "SEX_T"]
    assert total[0] == "2020" and float(total[3]) == 20.0 and "2 of" in total[4] and "MYS, THA" in total[4]
    assert "PHL" in total[5] and "MYS" not in total[5]
    countries = {(r[0], r[3], r[4]): r[5] for r in _rows(page, "Values by country")}
    assert float(countries[("Malaysia", "BIR", "SEX_T")]) == 40.0 and float(countries[("Thailand", "BIR", "SEX_T")]) == 10.0
    assert 'href="/api/v1/indicators/MIG_SHARE_WAP"' in page and "/rest/data/ILMS,DF_ILMS_INDICATORS,1.0/MIG_SHARE_WAP" in page
    # an indicator without a regional value says so
    assert "has no regional value" in client.get("/indicators/WAGE_GAP").text


def test_unknown_indicator_or_release_is_a_4xx_page(client):
    r = client.get("/indicators/NOPE")
    assert r.status_code == 404 and "NOPE" in r.text and "text/html" in r.headers["content-type"]
    assert client.get("/indicators/LFPR", params={"release": "r9"}).status_code == 404


def test_before_the_first_release_the_pages_say_so(engine):
    load(engine, publish=False)
    client = TestClient(create_app(engine))
    for path in ("/indicators", "/indicators/LFPR"):
        r = client.get(path)
        assert r.status_code == 200 and re.search(r"No release has been published yet", r.text)
