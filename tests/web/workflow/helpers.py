"""Logging in over HTTP, as a browser does (login form with its token, then the session cookie)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from ilms.store import schema

from ..accounts_fixtures import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


def login(client, name: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_of(page.text),
                                       "next": "/collect"}, follow_redirects=False)


def session_csrf(client, name: str) -> str:
    """Log ``name`` in on ``client``; the CSRF token of the new session."""
    done = login(client, name)
    assert done.status_code == 303, done.text
    return csrf_of(client.get("/account").text)


def state(engine) -> dict[str, int]:
    """Rows of every table a web write could touch: equal before and after a refused request."""
    names = ("submission", "submission_event", "account", "api_token", "audit_log", "outbox", "release",
             "changeset", "observation")
    with engine.connect() as conn:
        return {n: conn.execute(select(func.count()).select_from(getattr(schema, n))).scalar_one() for n in names}
