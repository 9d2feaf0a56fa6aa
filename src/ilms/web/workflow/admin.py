"""``/admin/...``: admins manage accounts (create, assign countries, disable, reset password) and
see the outbox; the audit log is at ``/curate/audit`` (curators and admins)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...accounts import accounts, audit, outbox, passwords, permissions
from .pages import back, error_page, guard, page

router = APIRouter(prefix="/admin", include_in_schema=False)
ADMIN = dict(allowed=permissions.may_administer, what="manage accounts (admins only)")


@router.get("")
@router.get("/")
async def accounts_page(request: Request):
    caller = await guard(request, **ADMIN)
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.connect() as conn:
        rows = accounts.listing(conn)
    return page(request, "admin.html", caller=caller, accounts=rows, roles=accounts.ROLES)


@router.post("/accounts")
async def create_account(request: Request):
    caller = await guard(request, **ADMIN)
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    name = (form.get("name") or "").strip()
    try:
        with request.app.state.engine.begin() as conn:
            made = accounts.add(conn, name, form.get("role") or "", countries=form.get("countries") or "",
                                password=form.get("password") or "", email=(form.get("email") or "").strip() or None)
            audit.record(conn, caller.account, "account.create", target=f"account {name}", origin="POST /admin/accounts",
                         detail={"role": made.role, "countries": made.countries})
    except (accounts.AccountError, passwords.WeakPassword) as exc:
        return error_page(request, 422, str(exc))
    return back("/admin")


@router.post("/accounts/{name}")
async def update_account(request: Request, name: str):
    caller = await guard(request, **ADMIN)
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    action = form.get("action") or "update"
    try:
        with request.app.state.engine.begin() as conn:
            if action == "password":
                accounts.set_password(conn, name, form.get("password") or "")
                detail = {}
            else:
                disabled = {"disable": True, "enable": False}.get(action)
                changed = accounts.update(conn, name, role=form.get("role") or None,
                                          countries=form.get("countries") if "countries" in form else None,
                                          disabled=disabled)
                detail = {"role": changed.role, "countries": changed.countries, "disabled": changed.disabled}
            audit.record(conn, caller.account, f"account.{action}", target=f"account {name}",
                         origin=f"POST /admin/accounts/{name}", detail=detail)
    except (accounts.AccountError, passwords.WeakPassword) as exc:
        return error_page(request, 422, str(exc))
    return back("/admin")


@router.get("/outbox")
async def outbox_page(request: Request):
    caller = await guard(request, **ADMIN)
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.connect() as conn:
        rows = outbox.messages(conn, limit=500)
    return page(request, "outbox.html", caller=caller, messages=rows)
