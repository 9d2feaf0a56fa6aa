"""Roles hold from the outside, over HTTP, on both backends: anonymous callers write nothing
(every POST/PUT/PATCH/DELETE route of the app is tried), a focal point sees and sends only their
countries', only curators accept and publish, only admins manage accounts; CSRF, login
throttling and session expiry work; refused requests leave the database unchanged."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update

from ilms.accounts import accounts
from ilms.store.schema import web_session

from ..accounts_fixtures import PASSWORD, site  # noqa: F401  (the fixture)
from ..route_walk import routes
from .helpers import csrf_of, login, session_csrf, state

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _fill(path: str) -> str:
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: "1" if m.group(1).endswith("id") else "X", path)


def test_anonymous_callers_cannot_write_anything(site):
    before = state(site.engine)
    tried = 0
    for route in routes(site.client.app):
        for method in sorted(route.methods & WRITES):
            url = _fill(route.path)
            for kwargs in ({}, {"data": {"name": "adam", "password": PASSWORD, "role": "admin", "csrf_token": "x"}},
                           {"files": {"file": (site.questionnaire.name, site.questionnaire.read_bytes())}}):
                response = site.new_client().request(method, url, follow_redirects=False, **kwargs)
                assert response.status_code in (401, 403), (method, url, response.status_code, response.text[:200])
                tried += 1
    assert tried >= 3 * 12
    assert state(site.engine) == before


def test_a_focal_point_sees_and_sends_only_their_countries(site):
    thai = site.new_client()
    csrf = session_csrf(thai, "ana")
    sent = thai.post("/collect/upload", data={"csrf_token": csrf}, follow_redirects=False,
                     files={"file": (site.questionnaire.name, site.questionnaire.read_bytes())})
    assert sent.status_code == 303
    sub = sent.headers["location"]
    viet = site.new_client()
    csrf_vu = session_csrf(viet, "vu")
    assert viet.get(sub).status_code == 403
    assert viet.get(sub + "/file").status_code == 403
    assert viet.get("/api/v1/submissions/" + sub.rsplit("/", 1)[1]).status_code == 403
    assert viet.get("/collect/questionnaire?country=THA&year=2024").status_code == 403
    assert "THA" not in viet.get("/collect").text.split("<h2>Submissions</h2>")[1]
    before = state(site.engine)
    refused = viet.post("/collect/upload", data={"csrf_token": csrf_vu},
                        files={"file": (site.questionnaire.name, site.questionnaire.read_bytes())})
    assert refused.status_code == 403 and "does not hold THA" in refused.text
    assert state(site.engine) == before
    assert viet.get(sub + "/annotated").status_code == 403
    assert thai.get(sub).status_code == 200
    assert thai.get("/collect/questionnaire?country=THA&year=2024").status_code == 200


def test_only_curators_accept_and_publish(site):
    fp = site.new_client()
    csrf = session_csrf(fp, "ana")
    sub = fp.post("/collect/upload", data={"csrf_token": csrf}, follow_redirects=False,
                  files={"file": (site.questionnaire.name, site.questionnaire.read_bytes())}).headers["location"]
    sub_id = sub.rsplit("/", 1)[1]
    before = state(site.engine)
    assert fp.post(f"/curate/submissions/{sub_id}/accept", data={"csrf_token": csrf}).status_code == 403
    assert fp.post("/curate/releases", data={"csrf_token": csrf, "name": "R-FP"}).status_code == 403
    assert fp.post("/curate/releases/2025-1/publish", data={"csrf_token": csrf}).status_code == 403
    assert fp.get("/curate").status_code == 403
    assert state(site.engine) == before
    cur = site.new_client()
    ccsrf = session_csrf(cur, "cora")
    assert cur.post(f"/curate/submissions/{sub_id}/accept", data={"csrf_token": ccsrf},
                    follow_redirects=False).status_code == 303
    assert "accepted" in cur.get(f"/curate/submissions/{sub_id}").text
    assert cur.post("/curate/releases", data={"csrf_token": ccsrf, "name": "2025-2"},
                    follow_redirects=False).status_code == 303
    assert cur.post("/curate/releases/2025-2/publish", data={"csrf_token": ccsrf},
                    follow_redirects=False).status_code == 303
    assert site.client.get("/api/v1/releases/2025-2").status_code == 200
    audit = cur.get("/curate/audit").text
    assert "submission.accept" in audit and "release.publish" in audit and "cora" in audit


def test_only_admins_manage_accounts(site):
    cur = site.new_client()
    ccsrf = session_csrf(cur, "cora")
    before = state(site.engine)
    form = {"name": "newfp", "role": "focal-point", "countries": "LAO", "password": PASSWORD}
    assert cur.post("/admin/accounts", data={**form, "csrf_token": ccsrf}).status_code == 403
    assert cur.post("/admin/accounts/ana", data={"action": "disable", "csrf_token": ccsrf}).status_code == 403
    assert cur.get("/admin").status_code == 403 and cur.get("/admin/outbox").status_code == 403
    assert state(site.engine) == before
    adm = site.new_client()
    acsrf = session_csrf(adm, "adam")
    assert adm.post("/admin/accounts", data={**form, "csrf_token": acsrf}, follow_redirects=False).status_code == 303
    assert adm.post("/admin/accounts/ana", data={"action": "disable", "csrf_token": acsrf},
                    follow_redirects=False).status_code == 303
    with site.engine.connect() as conn:
        assert accounts.get(conn, "newfp").countries == ("LAO",) and accounts.get(conn, "ana").disabled
    bad = adm.post("/admin/accounts", data={**form, "name": "x2", "countries": "ZZZ", "csrf_token": acsrf})
    assert bad.status_code == 422 and "unknown country" in bad.text


def test_csrf_tokens_are_required_and_bound_to_the_session(site):
    fp = site.new_client()
    csrf = session_csrf(fp, "ana")
    other = site.new_client()
    other_csrf = session_csrf(other, "vu")
    before = state(site.engine)
    upload = {"file": (site.questionnaire.name, site.questionnaire.read_bytes())}
    for token in (None, "", csrf[:-3] + "abc", other_csrf):
        data = {} if token is None else {"csrf_token": token}
        refused = fp.post("/collect/upload", data=data, files=upload)
        assert refused.status_code == 403 and "security token" in refused.text, token
        api = fp.post("/api/v1/submissions", data=data, files=upload)
        assert api.status_code == 403 and api.json()["parameter"] == "csrf_token"
    assert state(site.engine) == before
    header = fp.post("/api/v1/submissions", headers={"X-CSRF-Token": csrf}, files=upload)
    assert header.status_code == 201
    # the login form's own token (double submit)
    assert fp.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": "forged"}).status_code == 403


def test_login_is_throttled_and_a_wrong_password_says_little(site):
    client = site.new_client()
    wrong = login(client, "ana", "not the password")
    assert wrong.status_code == 401 and "wrong name or password" in wrong.text
    assert login(client, "nobody", "not the password").text.count("wrong name or password") == 1
    for _ in range(4):
        login(client, "ana", "not the password")
    throttled = login(client, "ana", PASSWORD)
    assert throttled.status_code == 429 and "too many failed logins" in throttled.text
    assert "ilms_session" not in throttled.headers.get("set-cookie", "")


def test_session_cookie_flags_expiry_and_logout(site):
    client = site.new_client()
    done = login(client, "ana")
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "samesite=lax" in cookie.lower()
    csrf = csrf_of(client.get("/account").text)
    with site.engine.begin() as conn:
        conn.execute(update(web_session).values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
    page = client.get("/collect", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    before = state(site.engine)
    expired = client.post("/collect/upload", data={"csrf_token": csrf},
                          files={"file": (site.questionnaire.name, site.questionnaire.read_bytes())})
    assert expired.status_code == 401 and "expired" in expired.text
    assert state(site.engine) == before
    csrf = session_csrf(client, "ana")
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_login_redirects_only_to_this_site(site):
    client = site.new_client()
    page = client.get("/login?next=https://evil.example/")
    done = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": csrf_of(page.text),
                                       "next": "//evil.example/x"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/collect"
