"""``/login``, ``/logout``, ``/account``: sessions for people (API tokens are for scripts)."""
from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...accounts import accounts, audit, passwords, sessions, tokens
from .. import auth
from .pages import back, error_page, guard, page

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//'): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/collect"
    return target


def _form(request: Request, nxt: str, error: str | None = None, status: int = 200):
    token = auth.login_csrf(request)
    response = page(request, "login.html", status=status, next=nxt, error=error, login_csrf=token)
    auth.set_login_csrf(request, response, token)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None):
    return _form(request, _safe_next(next))


@router.post("/login")
async def login(request: Request):
    form = await request.form()
    nxt = _safe_next(form.get("next"))
    name, password = (form.get("name") or "").strip(), form.get("password") or ""
    if not auth.login_csrf_ok(request, form.get(auth.CSRF_FIELD)):
        return error_page(request, 403, "the login form's security token is missing or wrong: reload the login "
                                        "page and try again")
    engine = request.app.state.engine
    error, status, who = None, 200, None
    with engine.begin() as conn:           # a failed attempt is recorded (committed) for the throttle
        try:
            who = accounts.authenticate(conn, name, password, client=auth.client_of(request))
        except accounts.Throttled as exc:
            error, status = str(exc), 429
        except accounts.AccountError as exc:
            error, status = str(exc), 401
        if who is not None:
            value, _session = sessions.start(conn, who, ttl=auth.session_ttl(request))
            audit.record(conn, who, "account.login", target=f"account {who.name}", origin="POST /login")
    if who is None:
        return _form(request, nxt, error, status)
    response = back(nxt)
    auth.set_session_cookie(request, response, value)
    return response


@router.post("/logout")
async def logout(request: Request):
    caller = await guard(request, what="log out")
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.begin() as conn:
        sessions.end(conn, request.cookies.get(auth.SESSION_COOKIE))
        audit.record(conn, caller.account, "account.logout", target=f"account {caller.account.name}",
                     origin="POST /logout")
    response = back("/login")
    auth.clear_session_cookie(response)
    return response


@router.get("/account")
async def account_page(request: Request):
    caller = await guard(request)
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.connect() as conn:
        mine = tokens.listing(conn, caller.account.name)
    return page(request, "account.html", caller=caller, tokens=mine, message=request.query_params.get("done"))


@router.post("/account/password")
async def change_password(request: Request):
    caller = await guard(request, what="change the password")
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    with request.app.state.engine.begin() as conn:
        try:
            accounts.authenticate(conn, caller.account.name, form.get("current") or "", client=auth.client_of(request))
        except accounts.AccountError as exc:
            return error_page(request, 403, f"the current password is wrong ({exc})")
    try:
        with request.app.state.engine.begin() as conn:
            accounts.set_password(conn, caller.account.name, form.get("new") or "")
            audit.record(conn, caller.account, "account.password", target=f"account {caller.account.name}",
                         origin="POST /account/password")
    except passwords.WeakPassword as exc:
        return error_page(request, 422, str(exc))
    response = back("/login")
    auth.clear_session_cookie(response)
    return response
