"""``/downloads``: published releases, their precomputed bulk files, the release calendar.

* ``/downloads/`` — published releases, latest first;
* ``/downloads/calendar`` — planned and published releases;
* ``/downloads/latest/...`` — a temporary redirect (302) to the same path under the latest
  published release;
* ``/downloads/{release}/`` — the release page: files per table (size, SHA-256), licence, how
  to cite, release notes, and what changed since the previous published release;
* ``/downloads/{release}/manifest.json`` and ``/downloads/{release}/{file}`` — the files, with
  ``ETag`` (the file's SHA-256), ``Last-Modified`` (the publication time) and 304 answers.

``{release}`` is the release's path token (its name when path-safe, ``ilms.publish.bulk_names``);
the name itself redirects to it. An unpublished release does not exist here (404). Files are
built on the first request if missing (``builds``).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import Connection, Engine

from ...files import sha256_file
from ...publish import bulk
from ...publish import calendar as release_calendar
from ...publish import citation as cite
from ...publish.bulk_names import release_token
from ...store import releases
from ...store.db import data_dir
from ...store.releases import Release
from ...tables import structure
from ..deps import get_conn, get_engine, get_settings
from ..errors import ERROR_RESPONSES, error_response, not_found
from ..sdmx.http import http_date, not_modified
from ..settings import Settings
from . import builds
from .negotiate import wants_html
from .pages import render

router = APIRouter(prefix="/downloads", tags=["downloads"])
FORMAT = Query(None, description="`json` or `html` (default: from the Accept header, else JSON)")
RETRY_AFTER = 30
FILE_CACHE = "public, max-age=3600"


def downloads_root(settings: Settings) -> Path:
    return Path(settings.downloads_dir) if settings.downloads_dir else data_dir() / "downloads"


def published_releases(conn: Connection) -> list[Release]:
    done = [r for r in releases.all_releases(conn) if r.published]
    done.sort(key=lambda r: (bulk.utc(r.published_at), r.cut), reverse=True)
    return done


def page_path(release: Release) -> str:
    return f"/downloads/{quote(release_token(release.name))}/"


def _absolute_base(request: Request) -> str:
    return cite.public_base() or str(request.base_url).rstrip("/")


def release_summary(release: Release) -> dict:
    info = bulk.release_info(release)
    info["links"] = {"self": page_path(release), "manifest": page_path(release) + bulk.MANIFEST}
    return info


def _find(conn: Connection, segment: str) -> tuple[Release, bool]:
    """The published release whose token (or, failing that, name) is ``segment``; True if by name."""
    done = published_releases(conn)
    for r in done:
        if release_token(r.name) == segment:
            return r, False
    for r in done:
        if r.name == segment:
            return r, True
    raise not_found(f"no published release {segment!r} (see /downloads/)", "release")


def _being_built(release: Release, html: bool) -> Response:
    message = (f"the downloads of release {release.name!r} are being prepared; "
               f"try again in {RETRY_AFTER} seconds")
    headers = {"Retry-After": str(RETRY_AFTER)}
    if html:
        return render("building.html", 503, headers, title="Downloads being prepared", message=message,
                      release=release)
    return error_response(503, message, None, headers)


def _manifest(engine: Engine, settings: Settings, release: Release) -> dict | None:
    return builds.manifest(engine, release, downloads_root(settings), settings.downloads_build_wait)


# -- index, calendar, latest ------------------------------------------------------------------------

@router.get("/", summary="Published releases with downloads, latest first")
def index(request: Request, format: str | None = FORMAT, conn: Connection = Depends(get_conn)):
    done = published_releases(conn)
    body = {"releases": [release_summary(r) for r in done],
            "links": {"latest": "/downloads/latest/", "calendar": "/downloads/calendar", "status": "/status"}}
    if wants_html(request, format):
        return render("index.html", title="Downloads", releases=body["releases"])
    return body


@router.get("/calendar", summary="Release calendar: planned and published releases")
def calendar_page(request: Request, format: str | None = FORMAT, conn: Connection = Depends(get_conn)):
    body = release_calendar.calendar(conn)
    tokens = {r["name"]: f"/downloads/{quote(release_token(r['name']))}/" for r in body["published"]}
    for r in body["published"]:
        r["links"] = {"self": tokens[r["name"]]}
    if wants_html(request, format):
        return render("calendar.html", title="Release calendar", calendar=body)
    return body


def _latest_redirect(request: Request, conn: Connection, rest: str) -> RedirectResponse:
    done = published_releases(conn)
    if not done:
        raise not_found("no release has been published yet", "release")
    target = page_path(done[0]) + rest
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-cache"})


@router.get("/latest", include_in_schema=False)
@router.get("/latest/", summary="Redirect (302) to the latest published release")
def latest(request: Request, conn: Connection = Depends(get_conn)):
    return _latest_redirect(request, conn, "")


@router.get("/latest/{rest:path}", summary="Redirect (302) to a file of the latest published release")
def latest_file(rest: str, request: Request, conn: Connection = Depends(get_conn)):
    return _latest_redirect(request, conn, rest)


# -- one release ----------------------------------------------------------------------------------

def release_document(release: Release, manifest: dict, request: Request) -> dict:
    base = _absolute_base(request)
    path = page_path(release)
    tables: dict[int | None, list[dict]] = defaultdict(list)
    for f in manifest["files"]:
        tables[f["table"]].append({**f, "url": path + quote(f["name"])})
    titles = {n: t.title for n, t in structure().tables.items()}
    changes = dict(manifest["changes"])
    if changes.get("previous"):
        changes["previous"] = {**changes["previous"],
                               "url": f"/downloads/{quote(changes['previous']['token'])}/"}
    return {
        "release": release_summary(release),
        "licence": manifest["licence"],
        "citation": cite.citation(release, url=cite.release_url(release.name, base)),
        "tables": [{"table": n, "title": titles.get(n, ""), "files": tables[n]}
                   for n in sorted(k for k in tables if k is not None)],
        "all_tables": tables.get(None, []),
        "omitted": manifest.get("omitted", []),
        "changes": changes,
    }


@router.get("/{release}", include_in_schema=False)
def release_without_slash(release: str, request: Request):
    target = f"/downloads/{quote(release)}/" + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(target, status_code=308)


@router.get("/{release}/", summary="A published release: files, licence, citation, changes",
            responses={404: ERROR_RESPONSES[404]})
def release_page(release: str, request: Request, format: str | None = FORMAT,
                 conn: Connection = Depends(get_conn), engine: Engine = Depends(get_engine),
                 settings: Settings = Depends(get_settings)):
    html = wants_html(request, format)
    found, by_name = _find(conn, release)
    if by_name:
        return RedirectResponse(page_path(found) + (f"?{request.url.query}" if request.url.query else ""), 308)
    manifest = _manifest(engine, settings, found)
    if manifest is None:
        return _being_built(found, html)
    body = release_document(found, manifest, request)
    if html:
        return render("release.html", title=f"Release {found.name}", doc=body)
    return body


@router.get("/{release}/manifest.json", summary="The manifest of a release's files",
            responses={404: ERROR_RESPONSES[404]})
def manifest_file(release: str, request: Request, conn: Connection = Depends(get_conn),
                  engine: Engine = Depends(get_engine), settings: Settings = Depends(get_settings)):
    found, by_name = _find(conn, release)
    if by_name:
        return RedirectResponse(page_path(found) + bulk.MANIFEST, 308)
    manifest = _manifest(engine, settings, found)
    if manifest is None:
        return _being_built(found, False)
    path = bulk.release_dir(found.name, downloads_root(settings)) / bulk.MANIFEST
    return _file_response(request, path, bulk.MANIFEST, "application/json", found,
                          disposition="inline")


@router.head("/{release}/{file}", include_in_schema=False)
@router.get("/{release}/{file}", summary="One file of a release",
            responses={404: ERROR_RESPONSES[404], 304: {"description": "Not modified (If-None-Match)"}})
def download(release: str, file: str, request: Request, conn: Connection = Depends(get_conn),
             engine: Engine = Depends(get_engine), settings: Settings = Depends(get_settings)):
    found, by_name = _find(conn, release)
    if by_name:
        return RedirectResponse(page_path(found) + quote(file), 308)
    manifest = _manifest(engine, settings, found)
    if manifest is None:
        return _being_built(found, False)
    entry = next((f for f in manifest["files"] if f["name"] == file), None)
    if entry is None:
        raise not_found(f"release {found.name!r} has no file {file!r} (see {page_path(found)})", "file")
    path = bulk.release_dir(found.name, downloads_root(settings)) / file
    return _file_response(request, path, file, entry["media_type"], found, sha256=entry["sha256"])


def _file_response(request: Request, path: Path, name: str, media_type: str, release: Release, *,
                   sha256: str | None = None, disposition: str = "attachment") -> Response:
    if sha256 is None:
        sha256 = sha256_file(path)
    tag = f'"{sha256}"'
    published = bulk.utc(release.published_at)
    headers = {"ETag": tag, "Last-Modified": http_date(published), "Cache-Control": FILE_CACHE,
               "X-ILMS-Release": quote(release.name), "X-ILMS-Release-Checksum": release.checksum}
    if not_modified(request.headers, tag, published):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type, filename=name, headers=headers,
                        content_disposition_type=disposition)
