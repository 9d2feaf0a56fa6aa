"""Sources, the standard tables (with the blank questionnaire) and search, on both backends."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from ilms.tables import structure

from .pages_sample import sample_client  # noqa: F401  (fixture)
from .test_profiles_pages import _text


def test_source_catalogue_and_a_source_page(sample_client):
    text = _text(sample_client.get("/sources").text)
    assert "Labour Force Survey BA_1 Labour force survey 3 (2019–2020), 5 (2020), 8 (2020)" in text
    page = sample_client.get("/sources/BA_1")
    assert page.status_code == 200
    t = _text(page.text)
    assert "ILOSTAT BA:1" in t and "sample note" in t and "Statistics office" in t
    assert "3. Migrants by country of origin 2019–2020 2 8" in t
    assert 'href="/tables/3?country=THA&amp;SOURCE=BA_1"' in page.text
    assert sample_client.get("/sources/ZZ_1").status_code == 404


def test_standard_pages_come_from_the_declarations(sample_client):
    index = sample_client.get("/standard").text
    s = structure()
    for t in s.tables.values():
        assert f'href="/standard/{t.number}"' in index
    r = sample_client.get("/standard/6")
    assert r.status_code == 200
    html = r.text
    for code in s.codelists["CL_OCU"]:                              # every code of the classification
        assert f'<tr id="{code.id}">' in html
    for m in s.tables[6].ilostat:
        assert m.indicator in html
    assert "REF_AREA.SOURCE.BASIS.SEX.OCU.MIG" in html
    for bad in ("/standard/0", "/standard/x"):
        assert sample_client.get(bad).status_code == 404


def test_blank_questionnaire_download(sample_client):
    r = sample_client.get("/standard/questionnaire.xlsx?country=PHL&year=2023")
    assert r.status_code == 200 and "PHL_2023" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert [f"T{n:02d}" for n in range(1, 18)] == [n for n in wb.sheetnames if n.startswith("T")]
    assert sample_client.get("/standard/questionnaire.xlsx?country=PHL&year=12").status_code == 400
    assert sample_client.get("/standard/questionnaire.xlsx?country=ABC&year=2023").status_code == 404


def test_search_leads_to_the_right_pages(sample_client):
    html = sample_client.get("/search?q=construction").text
    assert 'href="/standard/5#ECO_ISIC4_F"' in html and 'href="/tables/5?ECO=ECO_ISIC4_F"' in html
    assert 'href="/countries/MMR"' in sample_client.get("/search?q=Myanmar").text
    isco = sample_client.get("/search?q=ISCO+9").text
    assert 'href="/standard/6#OCU_ISCO08_9"' in isco
    for n in (6, 12, 17):                                          # every table classified by occupation
        assert f'href="/tables/{n}?OCU=OCU_ISCO08_9"' in isco
    assert 'href="/sources/BA_1"' in sample_client.get("/search?q=ba_1").text
    assert "Nothing found" in sample_client.get("/search?q=qqqzzz").text
    assert sample_client.get("/search?q=" + "x" * 300).status_code == 400


PAGES = ("/countries/", "/countries/THA", "/corridors", "/availability", "/sources", "/sources/BA_1", "/standard",
         "/standard/3", "/search?q=thailand")


def test_pages_have_the_strict_policy_and_no_inline_script_or_style(sample_client):
    for path in PAGES:
        r = sample_client.get(path)
        assert r.status_code == 200, path
        assert "script-src 'self'" in r.headers["content-security-policy"], path
        assert "<script" not in r.text and " style=" not in r.text, path


def test_pages_before_the_first_release_say_so(engine):
    from fastapi.testclient import TestClient

    from ilms.web import create_app
    client = TestClient(create_app(engine), headers={"accept": "text/html"})
    for path in ("/countries/", "/countries/THA", "/corridors", "/availability"):
        r = client.get(path)
        assert r.status_code == 200 and "No release has been published yet" in r.text, path
    assert client.get("/sources").status_code == client.get("/standard/1").status_code == 200


def test_release_parameter_chooses_the_vintage(sample_client):
    assert sample_client.get("/countries/THA?release=S-1").status_code == 200
    unpublished = sample_client.get("/corridors?release=S-2")
    assert unpublished.status_code == 404 and "<code>release</code>" in unpublished.text
    # links keep the vintage
    assert 'href="/countries/THA?release=S-1"' in sample_client.get("/countries/?release=S-1").text
