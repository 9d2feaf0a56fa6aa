"""/downloads and /status on SQLite and PostgreSQL: release pages, files with ETag/304, the
latest alias, unpublished releases hidden, changes between releases, calendar, status."""
from __future__ import annotations

import gzip
import hashlib

import pytest
from fastapi.testclient import TestClient

from ilms.publish import bulk
from ilms.store import releases
from ilms.web import create_app
from ilms.web.settings import Settings

from ..publish.bulk_history import EXPECTED_R2, make_history

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def site(engine, tmp_path):
    history = make_history(engine)
    app = create_app(engine, Settings(downloads_dir=str(tmp_path / "downloads")))
    return history, TestClient(app), tmp_path / "downloads"


def test_index_lists_published_releases_latest_first(site):
    _, client, _ = site
    body = client.get("/downloads/").json()
    assert [r["name"] for r in body["releases"]] == ["R2", "R1"]        # R3 is not published
    assert body["releases"][0]["links"]["self"] == "/downloads/R2/"
    page = client.get("/downloads/", headers=HTML)
    assert page.headers["content-type"].startswith("text/html")
    assert "<caption>" in page.text and 'href="/downloads/R2/"' in page.text and "R3" not in page.text
    assert client.get("/downloads/?format=html").headers["content-type"].startswith("text/html")
    assert client.get("/downloads/?format=xml").status_code == 400


def test_release_page_builds_lazily_and_lists_files_with_checksums(site):
    history, client, root = site
    assert not (root / "R2").exists()
    body = client.get("/downloads/R2/").json()
    assert (root / "R2" / "manifest.json").is_file()
    assert [t["table"] for t in body["tables"]] == list(range(1, 18))
    t5 = next(t for t in body["tables"] if t["table"] == 5)
    names = {f["name"] for f in t5["files"]}
    assert names == {"ilms-R2-t05.csv.gz", "ilms-R2-t05.xlsx", "ilms-R2-t05-ilostat.csv.gz", "ilms-R2-t05-sdmx.csv.gz"}
    for f in t5["files"] + body["all_tables"]:
        data = client.get(f["url"]).content
        assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"]
    assert body["licence"]["id"] == "CC-BY-4.0"
    assert body["citation"].startswith("ILMS Database, release R2 (")
    assert body["release"]["checksum"] in body["citation"] and body["citation"].endswith("http://testserver/downloads/R2/")
    assert body["release"]["description"] == "second release: revisions"


def test_release_page_reports_changes_since_the_previous_release(site):
    _, client, _ = site
    changes = client.get("/downloads/R2/").json()["changes"]
    assert changes["previous"]["name"] == "R1" and changes["previous"]["url"] == "/downloads/R1/"
    assert changes["totals"] == {"added": 1, "revised": 2, "removed": 1}
    assert {(c["table"], c["country"]): {k: c[k] for k in ("added", "revised", "removed")}
            for c in changes["by_table"]} == EXPECTED_R2
    first = client.get("/downloads/R1/").json()["changes"]
    assert first["previous"] is None and first["totals"] == {"added": 7, "revised": 0, "removed": 0}
    page = client.get("/downloads/R2/", headers=HTML).text
    assert "1 observations added, 2 revised" in page.replace("\n", " ")
    assert "<caption>Observations added, revised and removed, by table and country</caption>" in page
    assert "<h2>Licence and how to cite</h2>" in page


def test_files_have_etag_last_modified_media_type_and_304(site):
    history, client, _ = site
    url = "/downloads/R2/ilms-R2-t05.csv.gz"
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "application/gzip"
    assert gzip.decompress(r.content).decode("utf-8").startswith("REF_AREA,REF_AREA_LABEL")
    assert r.headers["etag"] == f'"{hashlib.sha256(r.content).hexdigest()}"'
    assert r.headers["content-disposition"] == 'attachment; filename="ilms-R2-t05.csv.gz"'
    with history.engine.connect() as conn:
        published = releases.get(conn, "R2").published_at
    assert r.headers["last-modified"].endswith(f"{bulk.utc(published):%Y %H:%M:%S} GMT")
    again = client.get(url, headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200
    xlsx = client.get("/downloads/R2/ilms-R2-t05.xlsx")
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx.content[:2] == b"PK"
    head = client.head(url)
    assert head.status_code == 200 and head.headers["etag"] == r.headers["etag"]
    manifest = client.get("/downloads/R2/manifest.json")
    assert manifest.headers["content-type"].startswith("application/json")
    assert {f["name"] for f in manifest.json()["files"]} >= {"ilms-R2-t05.csv.gz", "ilms-R2-all.csv.gz"}
    assert client.get("/downloads/R2/manifest.json", headers={"if-none-match": manifest.headers["etag"]}).status_code == 304


def test_unknown_and_unpublished_releases_and_files_are_404(site):
    _, client, root = site
    for url in ("/downloads/R3/", "/downloads/R3/manifest.json", "/downloads/R3/ilms-R3-t05.csv.gz",
                "/downloads/R9/", "/downloads/R2/ilms-R2-t99.csv.gz", "/downloads/R2/..%2Fmanifest.json",
                "/downloads/R2/manifest.json.bak"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "error" in r.json()
    assert not (root / "R3").exists()


def test_latest_redirects_to_the_newest_published_release(site):
    history, client, _ = site
    r = client.get("/downloads/latest/", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/downloads/R2/"
    r = client.get("/downloads/latest/ilms-R2-t05.xlsx?x=1", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/downloads/R2/ilms-R2-t05.xlsx?x=1"
    assert client.get("/downloads/latest", follow_redirects=False).headers["location"] == "/downloads/R2/"
    with history.engine.begin() as conn:
        releases.publish(conn, "R3", by="pytest")
    assert client.get("/downloads/latest/", follow_redirects=False).headers["location"] == "/downloads/R3/"
    assert client.get("/downloads/latest/").json()["release"]["name"] == "R3"


def test_a_release_name_that_is_not_path_safe_gets_a_token(site):
    history, client, _ = site
    with history.engine.begin() as conn:
        releases.create(conn, "Bản phát hành 1", by="pytest")
        releases.publish(conn, "Bản phát hành 1", by="pytest")
    listed = client.get("/downloads/").json()["releases"][0]
    assert listed["name"] == "Bản phát hành 1" and listed["token"].startswith("ban-phat-hanh-1-")
    page = client.get(listed["links"]["self"]).json()
    assert all(f["name"].startswith(f"ilms-{listed['token']}-") for t in page["tables"] for f in t["files"])
    by_name = client.get("/downloads/Bản phát hành 1/", follow_redirects=False)
    assert by_name.status_code == 308 and by_name.headers["location"] == listed["links"]["self"]


def test_calendar_lists_planned_and_published_releases(site):
    _, client, _ = site
    body = client.get("/downloads/calendar").json()
    assert {p["name"] for p in body["planned"]} >= {"2026-1"}
    assert all(p["status"] in ("planned", "delayed") and p["planned"] and p["contents"] for p in body["planned"])
    assert [p["name"] for p in body["published"]] == ["R2", "R1"]
    assert body["published"][0]["links"]["self"] == "/downloads/R2/"
    page = client.get("/downloads/calendar", headers=HTML).text
    assert "<h2>Planned releases</h2>" in page and "2026-1" in page and "<caption>" in page


def test_status_shows_backend_schema_and_latest_release(site, backend):
    history, client, _ = site
    body = client.get("/status").json()
    assert body["database"]["backend"] == backend
    assert body["database"]["schema_revision"]
    assert body["version"]
    latest = body["latest_release"]
    assert latest["name"] == "R2" and latest["n_observations"] == 7 and len(latest["checksum"]) == 64
    assert body["observations"] == {"published": 7, "current": 7}
    page = client.get("/status", headers=HTML)
    assert page.headers["content-type"].startswith("text/html")
    assert f"<td>{backend}</td>" in page.text and "R2" in page.text and '<html lang="en">' in page.text


def test_status_before_any_release(sqlite_engine, tmp_path):
    client = TestClient(create_app(sqlite_engine, Settings(downloads_dir=str(tmp_path))))
    body = client.get("/status").json()
    assert body["latest_release"] is None and body["observations"] == {"published": None, "current": 0}
    assert client.get("/downloads/").json()["releases"] == []
    assert client.get("/downloads/latest/").status_code == 404


def test_a_slow_build_answers_503_with_retry_after(site, monkeypatch):
    history, client, root = site
    import threading
    gate = threading.Event()
    real = bulk.ensure

    def slow(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)
    monkeypatch.setattr(bulk, "ensure", slow)
    client.app.state.settings = Settings(downloads_dir=str(root), downloads_build_wait=0.05)
    r = client.get("/downloads/R1/ilms-R1-t05.csv.gz")
    assert r.status_code == 503 and r.headers["retry-after"] == "30" and "being prepared" in r.json()["error"]
    gate.set()
    client.app.state.settings = Settings(downloads_dir=str(root), downloads_build_wait=20)
    assert client.get("/downloads/R1/ilms-R1-t05.csv.gz").status_code == 200
