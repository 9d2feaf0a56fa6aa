"""Country profiles and the country list, on both backends, with the sample's hand-checked figures."""
from __future__ import annotations

import html as html_lib
import re

from .pages_sample import sample_client  # noqa: F401  (fixture)


def _text(html: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_profile_shows_published_figures_with_sources_and_tables(sample_client):
    r = sample_client.get("/countries/THA")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    html, text = r.text, _text(r.text)
    assert "<h1>Thailand</h1>" in html
    assert "Working-age migrants 100 thousand 2020" in text        # BA_1 BIR, not the census (120) or CIT (90)
    assert "8.0 %" in text                                          # 80 / 1000 employed
    assert "999" not in text                                        # the later, unpublished correction
    assert 'href="/sources/BA_1"' in html and 'href="/sources/XA_4"' in html
    # distribution by sector: chart and its table alternative
    assert re.search(r'<svg class="svg-chart bar-chart wide"[^>]*role="img"', html)
    assert "F. Construction" in text and "42.9 %" in text          # 30 of 70 in construction are migrants
    # wage gap 1 - 9000/12000
    assert "25.0 %" in text
    # top origins with the confidential one shown as such, never as a number
    assert "Cambodia confidential" in text
    assert 'href="/tables/3?country=THA"' in html


def test_profile_of_the_origin_side_and_by_sex(sample_client):
    text = _text(sample_client.get("/countries/mmr").text)
    assert "Nationals abroad 500 thousand 2020" in text and "flag E" in text
    assert "Outflow of nationals for employment 20.0 thousand 2020" in text
    cit = _text(sample_client.get("/countries/THA?basis=CIT").text)
    assert "Working-age migrants 90.0 thousand 2020" in cit and "XA_4" not in cit    # inflows are BIR only
    women = sample_client.get("/countries/THA?sex=SEX_F")
    assert women.status_code == 200 and "no figures reported by Thailand" in _text(women.text)
    # a partner country reports nothing itself: the page leads to what others report about it
    lao = sample_client.get("/countries/LAO").text
    assert 'href="/corridors?table=3&amp;country=LAO&amp;direction=outward"' in lao


def test_unknown_country_and_bad_parameters_are_4xx_pages(sample_client):
    for url, status, words in (("/countries/XYZ", 404, "no country with the code"),
                               ("/countries/THA?sex=SEX_Q", 400, "sex"), ("/countries/THA?basis=X", 400, "basis")):
        r = sample_client.get(url)
        assert r.status_code == status and r.headers["content-type"].startswith("text/html")
        assert words in r.text and 'href="/"' in r.text


def test_country_list_has_every_member_and_latest_stock(sample_client):
    r = sample_client.get("/countries/")
    text = _text(r.text)
    assert r.status_code == 200
    assert "Thailand 100 (2020)" in text and "Myanmar no data 500 (2020)" in text
    assert "Timor-Leste" in text                                    # a member without data is listed
    assert sample_client.get("/countries").status_code == 200
