"""What every page shares: the language layer, the security headers, the error pages (on an
empty database and the demo data)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ilms.web import create_app
from ilms.web.portal import i18n

FRENCH = r'''
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Data explorer"
msgstr "Explorateur de données"

msgid "Search"
msgstr "Rechercher"

msgid "Thailand"
msgstr "Thaïlande"
'''


@pytest.fixture
def french(tmp_path, monkeypatch):
    """A second language added as a file only: no code change, read at run time."""
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(FRENCH, encoding="utf-8")
    monkeypatch.setenv("ILMS_LOCALE_DIR", str(tmp_path / "locale"))
    yield


def test_a_language_is_added_by_dropping_a_catalogue(french, portal):
    assert set(i18n.languages()) >= {"en", "fr"}
    page = portal.get("/tables?lang=fr").text
    assert '<html lang="fr">' in page and "Explorateur de données" in page and ">Rechercher<" in page
    assert 'href="/tables/5?lang=fr"' in page                            # links keep the language
    by_header = portal.get("/tables", headers={"accept-language": "fr-CH, fr;q=0.9, en;q=0.5"}).text
    assert '<html lang="fr">' in by_header
    labels = portal.get("/tables/3?lang=fr&country=THA").text          # codelist labels follow
    assert "Thaïlande" in labels
    english = portal.get("/tables", headers={"accept-language": "de"}).text
    assert '<html lang="en">' in english and "Data explorer" in english


def test_english_catalogue_ships_and_lists_the_interface_text():
    from babel.messages.pofile import read_po
    with open(i18n.HERE / "en" / "LC_MESSAGES" / "messages.po", "rb") as f:
        ids = {m.id for m in read_po(f) if m.id}
    assert {"Data explorer", "Download this selection", "API for this view"} <= ids


def test_every_html_page_has_a_strict_content_security_policy(portal):
    for path in ("/", "/tables", "/tables/5", "/tables/99", "/downloads/", "/status"):
        r = portal.get(path)
        policy = r.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "<script>" not in r.text and " style=" not in r.text, path
    assert "content-security-policy" not in portal.get("/api/v1/tables").headers


def test_pages_before_the_first_release_say_so(engine):
    with TestClient(create_app(engine), headers={"accept": "text/html"}) as client:
        home = client.get("/")
        explorer = client.get("/tables/5")
    assert home.status_code == explorer.status_code == 200
    assert "No release has been published yet" in home.text and "No release has been published yet" in explorer.text
