"""Who is calling, and whether they may: the web side of ``ilms.accounts``.

* A request is authenticated by ``Authorization: Bearer TOKEN`` (an API token) or by the session
  cookie (``ilms_session``: server-side session, HttpOnly, SameSite=Lax, Secure over HTTPS).
* Every state-changing request made with a session carries the session's CSRF token, in the form
  field ``csrf_token`` or the header ``X-CSRF-Token``; token-authenticated requests need none
  (no cookie is involved). The login form, before any session, uses a double-submit cookie.
* ``require(request, allowed)`` is the one guard the write routes and the pages call: 401 without
  credentials, 403 when the account's role does not allow it, 403 for a missing or wrong CSRF token.
"""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from typing import Callable

from fastapi import Request, Response

from ..accounts import sessions, tokens
from ..accounts.accounts import Account
from .errors import ApiError

SESSION_COOKIE = "ilms_session"
LOGIN_CSRF_COOKIE = "ilms_login_csrf"
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Unauthenticated(ApiError):
    def __init__(self, message: str = "log in, or send an API token (Authorization: Bearer TOKEN)"):
        super().__init__(401, message, "Authorization")


class Forbidden(ApiError):
    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(403, message, parameter)


@dataclass(frozen=True)
class Caller:
    account: Account
    via: str                                  # token | session
    session: sessions.Session | None = None

    @property
    def csrf(self) -> str | None:
        return self.session.csrf if self.session else None


def identify(request: Request) -> Caller | None:
    """The caller (cached on the request), or None for an anonymous request."""
    if "ilms_caller" in request.scope:
        return request.scope["ilms_caller"]
    found = None
    header = request.headers.get("authorization", "")
    engine = request.app.state.engine
    if header.lower().startswith("bearer "):
        with engine.begin() as conn:
            who = tokens.authenticate(conn, header[7:].strip())
        if who is None:
            raise Unauthenticated("the API token is not valid (revoked, mistyped, or its account disabled)")
        found = Caller(who, "token")
    else:
        value = request.cookies.get(SESSION_COOKIE)
        if value:
            with engine.connect() as conn:
                session = sessions.find(conn, value)
            if session is not None:
                found = Caller(session.account, "session", session)
    request.scope["ilms_caller"] = found
    return found


async def csrf_token_of(request: Request) -> str | None:
    token = request.headers.get(CSRF_HEADER)
    if token:
        return token
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def require(request: Request, allowed: Callable[[Account], bool] | None = None,
                  what: str = "do this") -> Caller:
    """The guard of every route that needs an account (and of every write)."""
    caller = identify(request)
    if caller is None:
        if request.cookies.get(SESSION_COOKIE):
            raise Unauthenticated("your session has expired: log in again")
        raise Unauthenticated()
    if request.method in UNSAFE and caller.via == "session":
        if not sessions.csrf_ok(caller.session, await csrf_token_of(request)):
            raise Forbidden("the form's security token (CSRF) is missing or wrong: reload the page and try again",
                            CSRF_FIELD)
    if allowed is not None and not allowed(caller.account):
        raise Forbidden(f"your account ({caller.account.role}) may not {what}")
    return caller


def cookie_secure(request: Request) -> bool:
    mode = request.app.state.settings.cookie_secure
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


def set_session_cookie(request: Request, response: Response, value: str) -> None:
    minutes = request.app.state.settings.session_minutes
    response.set_cookie(SESSION_COOKIE, value, max_age=minutes * 60, httponly=True, samesite="lax",
                        secure=cookie_secure(request), path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def session_ttl(request: Request) -> dt.timedelta:
    return dt.timedelta(minutes=request.app.state.settings.session_minutes)


def login_csrf(request: Request) -> str:
    """The login form's token (double submit: the same random value in a cookie and the form)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_login_csrf(request: Request, response: Response, value: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, value, httponly=True, samesite="strict", secure=cookie_secure(request),
                        path="/login")


def login_csrf_ok(request: Request, token: str | None) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    return bool(cookie and token) and hmac.compare_digest(cookie, token)


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None
