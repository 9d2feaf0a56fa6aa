"""``/curate/...``: curators' pages -- the round dashboard, the submission queue with report and
diff, accept (a reason when errors are overridden) or return with comments, correct or annotate
one value with a reason, and releases: create, preview, publish now or schedule (embargo)."""
from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...accounts import audit, outbox, permissions
from ...collect import rounds, submissions
from ...publish import release_diff
from ...store import corrections, releases
from ...store.write import StoreError
from ...tables import structure
from .collect import _submission_or_page
from .pages import back, error_page, guard, page

router = APIRouter(prefix="/curate", include_in_schema=False)
CURATE = dict(allowed=permissions.may_curate, what="curate (curators and admins only)")


@router.get("")
@router.get("/")
async def dashboard(request: Request):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.connect() as conn:
        boards = [rounds.status(conn, r.name) for r in rounds.open_rounds(conn)]
        queue = [s for s in submissions.listing(conn) if s.status in (submissions.RECEIVED, submissions.CHECKED)]
    return page(request, "curate.html", caller=caller, boards=boards, queue=queue)


@router.get("/submissions/{sub_id}")
async def submission_page(request: Request, sub_id: int):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    row, steps = _submission_or_page(request, caller, sub_id)
    if steps is None:
        return row
    report = json.loads(row.report) if row.report else {}
    return page(request, "submission.html", caller=caller, row=row, events=steps, report=report,
                findings=report.get("findings", []), curating=True)


async def _decide(request: Request, sub_id: int, action: str):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    comment = (form.get("comment") or "").strip() or None
    try:
        with request.app.state.engine.begin() as conn:
            row = submissions.get(conn, sub_id)
            if action == "accept":
                override = (form.get("override_reason") or "").strip() or None
                summary = submissions.accept(conn, sub_id, by=caller.account.name, override_reason=override,
                                             comment=comment)
                detail = {"override_reason": override, "changeset": summary.changeset_id, "comment": comment}
            else:
                submissions.return_(conn, sub_id, by=caller.account.name, comment=comment or "")
                detail = {"comment": comment}
            audit.record(conn, caller.account, f"submission.{action}", target=f"submission {sub_id}",
                         origin=f"POST /curate/submissions/{sub_id}/{action}", submission_id=sub_id, detail=detail)
            outbox.queue(conn, row.submitted_by, f"ILMS: submission #{sub_id} ({row.ref_area} {row.year}) "
                         f"{'accepted' if action == 'accept' else 'returned'}",
                         f"{caller.account.name}: {comment or ('accepted' if action == 'accept' else '')}")
    except submissions.SubmissionError as exc:
        return error_page(request, 422, str(exc))
    return back(f"/curate/submissions/{sub_id}")


@router.post("/submissions/{sub_id}/accept")
async def accept(request: Request, sub_id: int):
    return await _decide(request, sub_id, "accept")


@router.post("/submissions/{sub_id}/return")
async def return_(request: Request, sub_id: int):
    return await _decide(request, sub_id, "return")


@router.get("/values")
async def values_form(request: Request):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    return page(request, "values.html", caller=caller, tables=structure().tables.values(),
                done=request.query_params.get("done"))


@router.post("/values")
async def correct_value(request: Request):
    """Correct or annotate one value: table, series key, period, and a reason (required)."""
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    try:
        table = structure().table(int(form.get("table") or 0))
    except (KeyError, ValueError):
        return error_page(request, 422, f"table {form.get('table')!r}: give a table number from 1 to 17")
    codes = tuple((form.get("key") or "").strip().split("."))
    if len(codes) != len(table.key_order) or any(c not in d.codelist for d, c in zip(table.dimensions, codes)):
        return error_page(request, 422, f"key {'.'.join(codes)!r}: table {table.number} needs "
                                        f"{'.'.join(table.key_order)} with codes of their lists")
    changes = {}
    raw = (form.get("value") or "").strip()
    if raw:
        try:
            changes["value"] = float(raw)
        except ValueError:
            return error_page(request, 422, f"value {raw!r} is not a number")
    if (form.get("note") or "").strip():
        changes["comment"] = form.get("note").strip()
    if (form.get("flag") or "").strip():
        flag = form.get("flag").strip().upper()
        if flag not in structure().codelists["CL_OBS_STATUS"]:
            return error_page(request, 422, f"flag {flag!r} is not an observation status")
        changes["status"] = flag
    if not changes:
        return error_page(request, 422, "nothing to change: give a value, a flag or a note")
    time = (form.get("time") or "").strip()
    try:
        with request.app.state.engine.begin() as conn:
            summary = corrections.correct(conn, table.number, codes, time, by=caller.account.name,
                                          reason=(form.get("reason") or "").strip(), **changes)
            audit.record(conn, caller.account, "value.correct", target=f"T{table.number} {'.'.join(codes)} {time}",
                         origin="POST /curate/values", detail={**changes, "reason": form.get("reason"),
                                                               "changeset": summary.changeset_id})
    except StoreError as exc:
        return error_page(request, 422, str(exc))
    return back(f"/curate/values?done=T{table.number}+{'.'.join(codes)}+{time}")


@router.get("/releases")
async def release_list(request: Request):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.connect() as conn:
        rows = list(reversed(releases.all_releases(conn)))
    return page(request, "releases.html", caller=caller, releases=rows)


@router.post("/releases")
async def release_create(request: Request):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    name = (form.get("name") or "").strip()
    if not name or len(name) > 80:
        return error_page(request, 422, "a release needs a name of 1-80 characters")
    try:
        with request.app.state.engine.begin() as conn:
            made = releases.create(conn, name, by=caller.account.name,
                                   description=(form.get("description") or "").strip() or None)
            audit.record(conn, caller.account, "release.create", target=f"release {name}",
                         origin="POST /curate/releases", detail={"cut": made.cut, "checksum": made.checksum})
    except releases.ReleaseError as exc:
        return error_page(request, 422, str(exc))
    return back(f"/curate/releases/{name}")


@router.get("/releases/{name}")
async def release_preview(request: Request, name: str):
    """What publishing it would change for the public, by table and country."""
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.connect() as conn:
        found = releases.get(conn, name)
        if found is None:
            return error_page(request, 404, f"no release named {name!r}")
        public = releases.latest_published(conn)
        base = public.cut if public and public.name != name else None
        changes = release_diff.diff(conn, base, found.cut)
    return page(request, "release.html", caller=caller, release=found, public=public, changes=changes,
                totals=release_diff.totals(changes))


@router.post("/releases/{name}/publish")
async def release_publish(request: Request, name: str):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    raw = (form.get("at") or "").strip()
    at = None
    if raw:
        try:
            at = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return error_page(request, 422, f"{raw!r} is not a time (YYYY-MM-DDTHH:MM, in UTC)")
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.timezone.utc)          # the form asks for UTC
    try:
        with request.app.state.engine.begin() as conn:
            done = releases.publish(conn, name, by=caller.account.name, at=at)
            audit.record(conn, caller.account, "release.schedule" if done.scheduled else "release.publish",
                         target=f"release {name}", origin=f"POST /curate/releases/{name}/publish",
                         detail={"at": done.published_at})
    except releases.ReleaseError as exc:
        return error_page(request, 422, str(exc))
    return back(f"/curate/releases/{name}")


@router.get("/audit")
async def audit_page(request: Request):
    caller = await guard(request, **CURATE)
    if isinstance(caller, Response):
        return caller
    with request.app.state.engine.connect() as conn:
        rows = audit.entries(conn, limit=500, actor=request.query_params.get("actor") or None)
    return page(request, "audit.html", caller=caller, entries=rows)
