"""Embargo: a release scheduled for a later time is invisible on every public route until then.

The routes are enumerated from the application itself (``route_walk``): every GET route that an
anonymous caller may read is fetched -- with example values for its path parameters, with and
without ``release=`` naming the embargoed release -- and no answer may reveal the release's name
or a figure only it holds (zip files are opened). A public route added later is walked too; one
whose parameters cannot be filled fails here until an example is added to ``EXAMPLES``.
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import re
import zipfile

import pytest
from sqlalchemy import update

from ilms.observation import Observation
from ilms.store import releases, write
from ilms.store.schema import release as release_table

from .accounts_fixtures import site  # noqa: F401  (the fixture)
from .route_walk import routes

EMBARGOED = "EMBARGOED-R9"
NO_SUCH = "NO-SUCH-R0"
SECRET_VALUES = ("4321.987", "4321987")
# values tried for a path parameter by name (every combination is fetched)
CANDIDATES = {
    "number": ["15"], "table": ["15"], "name": [EMBARGOED, "2025-1"], "release": [EMBARGOED, "2025-1"],
    "rest": ["15", f"{EMBARGOED}/manifest.json"], "structure_type": ["dataflow", "datastructure", "codelist",
                                                                      "contentconstraint", "actualconstraint"],
    "resource": ["dataflow", "datastructure"], "country": ["THA", "VNM"], "code": ["THA", "XA_7"], "source": ["XA_7"],
    "sub_id": ["1"], "id": ["1"], "file": ["manifest.json"], "path": ["portal.css"],
    "indicator_id": ["FEM_SHARE_OUTFLOW_EMP", "INTRA_REGIONAL_SHARE_OUTFLOW_EMP"],   # computed from table 15
}
# full URLs for parameters whose values depend on the route (SDMX paths, download files)
EXAMPLES = {
    "/rest/data/{path:path}": ["/rest/data/ILMS,DF_ILMS_T15,1.0/all", "/rest/data/DF_ILMS_T15/all?detail=full",
                               "/rest/data/DF_ILMS_T15", "/rest/data/ILMS,DF_ILMS_INDICATORS,1.0/all"],
    "/rest/v2/data/{path:path}": ["/rest/v2/data/dataflow/ILMS/DF_ILMS_T15/1.0/*", "/rest/v2/data/dataflow/ILMS/DF_ILMS_T15/*/*"],
    "/rest/v2/availability/{path:path}": ["/rest/v2/availability/dataflow/ILMS/DF_ILMS_T15/1.0/*"],
    "/rest/availableconstraint/{path:path}": ["/rest/availableconstraint/DF_ILMS_T15/all"],
    "/rest/v2/structure/{path:path}": ["/rest/v2/structure/dataflow/ILMS/DF_ILMS_T15/1.0?detail=full",
                                       "/rest/v2/structure/datastructure/*/*/*?references=all",
                                       "/rest/v2/structure/dataconstraint/*/*/*"],
    "/rest/v2/{resource}/{path:path}": ["/rest/v2/dataflow/ILMS/DF_ILMS_T15/1.0"],
    "/rest/{structure_type}/{path:path}": ["/rest/dataflow/ILMS/DF_ILMS_T15/1.0?references=all",
                                           "/rest/contentconstraint/ILMS/all/latest",
                                           "/rest/datastructure/ILMS/all/latest?references=children"],
    "/rest/schema/{path:path}": ["/rest/schema/dataflow/ILMS/DF_ILMS_T15/1.0"],
}
QUERIES = ("", f"release={EMBARGOED}", "as_of=2100-01-01T00:00:00Z")


def _concrete(path: str) -> list[str]:
    if path in EXAMPLES:
        return EXAMPLES[path]
    names = re.findall(r"{(\w+)(?::\w+)?}", path)
    if not names:
        return [path]
    missing = [n for n in names if n not in CANDIDATES]
    assert not missing, (f"public route {path}: no example value for {missing}; add one to CANDIDATES or "
                         "EXAMPLES in tests/web/test_embargo.py so the embargo test walks it")
    out = []
    for values in itertools.product(*(CANDIDATES[n] for n in names)):
        url = path
        for n, v in zip(names, values):
            url = re.sub(r"{%s(?::\w+)?}" % n, v, url, count=1)
        out.append(url)
    return out


def _texts(response) -> list[str]:
    body = response.content
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    return [body.decode("utf-8", "replace")]


VOLATILE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                      r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _stable(text: str) -> str:
    """An answer without what changes from one request to the next (message ids, times)."""
    return VOLATILE.sub("~", text)


def _reveals(response, *, named: bool = False) -> str | None:
    """The secret an answer shows; when the URL names the release itself, only its figures count
    (an error may repeat the name it was asked for)."""
    for text in _texts(response):
        for secret in (SECRET_VALUES if named else (EMBARGOED, *SECRET_VALUES)):
            if secret in text:
                return secret
    return None


@pytest.fixture
def embargoed(site):
    with site.engine.begin() as conn:
        write.write(conn, [Observation(15, ("THA", "XA_7", "_Z", "SEX_T", "SAU"), "2024", 4321.987, decimals=3)],
                    kind="load", by="curator")
        releases.create(conn, EMBARGOED, by="curator", description="held under embargo")
        scheduled = releases.publish(conn, EMBARGOED, by="curator",
                                     at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
    assert scheduled.scheduled and not scheduled.published
    return site


def _published_files(client) -> list[str]:
    """The file names of the public release's downloads (walked under both releases' paths)."""
    manifest = client.get("/downloads/2025-1/manifest.json").json()
    names = set()

    def collect(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("name", "file", "path") and isinstance(v, str) and "." in v and "/" not in v:
                    names.add(v)
                collect(v)
        elif isinstance(node, list):
            for v in node:
                collect(v)
    collect(manifest.get("files", manifest))
    return sorted(n for n in names if "-t15" in n or "-all" in n)     # the table that holds the figures


def test_scheduled_release_is_invisible_on_every_public_route(embargoed, monkeypatch):
    client = embargoed.client
    files = _published_files(client)
    assert any(n.endswith(".csv.gz") for n in files) and any(n.endswith(".xlsx") for n in files), files
    monkeypatch.setitem(CANDIDATES, "file", ["manifest.json", *files])
    walked, leaks = [], []
    for route in routes(client.app):
        if "GET" not in route.methods:
            continue
        for url in _concrete(route.path):
            for query in QUERIES:
                full = url + (("&" if "?" in url else "?") + query if query else "")
                response = client.get(full, follow_redirects=True)
                if response.status_code in (401, 403):
                    break                                   # not public: needs an account
                assert response.status_code != 500, (full, response.status_code, response.text[:300])
                walked.append(full)
                named = EMBARGOED in full
                secret = _reveals(response, named=named)
                if secret:
                    leaks.append(f"{full} -> {response.status_code} shows {secret!r}")
                if named:       # asking for it by name is answered as for a release that does not exist
                    unknown = client.get(full.replace(EMBARGOED, NO_SUCH), follow_redirects=True)
                    if (response.status_code, _stable(response.text.replace(EMBARGOED, NO_SUCH))) != \
                            (unknown.status_code, _stable(unknown.text)):
                        leaks.append(f"{full} -> {response.status_code}, unlike a release that does not exist "
                                     f"({unknown.status_code})")
    assert not leaks, "\n".join(leaks)
    assert any("/rest/data/" in u for u in walked) and any("/downloads/" in u for u in walked)
    assert any(u.startswith("/api/v1/tables/15/data") for u in walked)


def test_the_same_release_shows_once_its_time_has_come(embargoed):
    """The detection above can fail: once due, the release and its figure are public."""
    with embargoed.engine.begin() as conn:
        conn.execute(update(release_table).where(release_table.c.name == EMBARGOED)
                     .values(published_at=dt.datetime.now(dt.timezone.utc)))   # due now: after 2025-1
    client = embargoed.client
    assert _reveals(client.get("/api/v1/releases")) == EMBARGOED
    data = client.get("/api/v1/tables/15/data")
    assert _reveals(data, named=True) in SECRET_VALUES, data.text[:3000]
    assert _reveals(client.get("/rest/data/ILMS,DF_ILMS_T15,1.0/all"), named=True) in SECRET_VALUES
