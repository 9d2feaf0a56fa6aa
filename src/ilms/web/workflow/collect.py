"""``/collect/...``: a focal point's pages -- the open rounds of their countries, the prefilled
questionnaire, the upload and its receipt, the check report in the page (each finding at its
sheet and cell; what the file changed first, what was already there grouped), the diff, the
status of every submission, and resubmitting. Curators see every country."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from ...accounts import permissions
from ...collect import rounds, submissions
from ...collect.questionnaire.writer import write_questionnaire
from ..errors import ApiError
from ..uploads import receive_upload
from .pages import back, error_page, guard, page

router = APIRouter(prefix="/collect", include_in_schema=False)


def _countries(caller) -> tuple[str, ...] | None:
    return None if caller.account.is_curator else caller.account.countries


@router.get("")
@router.get("/")
async def home(request: Request):
    caller = await guard(request)
    if isinstance(caller, Response):
        return caller
    mine = _countries(caller)
    with request.app.state.engine.connect() as conn:
        open_ = rounds.open_rounds(conn, mine)
        subs = [s for s in submissions.listing(conn) if mine is None or s.ref_area in mine]
    asks = []
    for r in open_:
        for country in r.countries.split(","):
            if mine is None or country in mine:
                for year in r.years.split(","):
                    asks.append((r, country, year))
    return page(request, "collect.html", caller=caller, asks=asks, submissions=list(reversed(subs)),
                countries=mine or ())


@router.get("/questionnaire")
async def questionnaire(request: Request, country: str, year: int):
    caller = await guard(request, what="download questionnaires")
    if isinstance(caller, Response):
        return caller
    country = country.strip().upper()
    if not permissions.may_submit_for(caller.account, country):
        return error_page(request, 403, f"your account does not hold {country}")
    if not 1950 <= year <= 2100:
        return error_page(request, 422, f"year {year} is out of range")
    folder = Path(tempfile.mkdtemp(prefix="ilms-questionnaire-"))
    path = folder / f"ILMS_{country}_{year}.xlsx"
    with request.app.state.engine.connect() as conn:
        try:
            write_questionnaire(path, conn, country, year, prefill=True)
        except ValueError as exc:
            return error_page(request, 422, str(exc))

    def cleanup():
        path.unlink(missing_ok=True)
        folder.rmdir()
    return FileResponse(path, filename=path.name, background=BackgroundTask(cleanup),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.post("/upload")
async def upload(request: Request):
    caller = await guard(request, what="submit questionnaires")
    if isinstance(caller, Response):
        return caller
    form = await request.form()
    try:
        receipt = await receive_upload(request, caller, form.get("file"), origin="POST /collect/upload",
                                       country=form.get("country") or None, year=form.get("year") or None)
    except ApiError as exc:
        return error_page(request, exc.status, exc.error)
    return back(f"/collect/submissions/{receipt.submitted.id}")


def _submission_or_page(request, caller, sub_id: int):
    with request.app.state.engine.connect() as conn:
        try:
            row = submissions.get(conn, sub_id)
        except submissions.SubmissionError:
            return error_page(request, 404, f"no submission #{sub_id}"), None
        if not permissions.may_see_submission(caller.account, row.ref_area):
            return error_page(request, 403, f"submission #{sub_id} is not of a country your account holds"), None
        return row, submissions.events(conn, sub_id)


@router.get("/submissions/{sub_id}")
async def submission_page(request: Request, sub_id: int):
    caller = await guard(request, what="see submissions")
    if isinstance(caller, Response):
        return caller
    row, steps = _submission_or_page(request, caller, sub_id)
    if steps is None:
        return row
    report = json.loads(row.report) if row.report else {}
    return page(request, "submission.html", caller=caller, row=row, events=steps, report=report,
                findings=report.get("findings", []))


@router.get("/submissions/{sub_id}/file")
async def submission_file(request: Request, sub_id: int):
    caller = await guard(request, what="see submissions")
    if isinstance(caller, Response):
        return caller
    row, steps = _submission_or_page(request, caller, sub_id)
    if steps is None:
        return row
    return Response(row.file_content, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{row.file_name}"'})


@router.get("/submissions/{sub_id}/annotated")
async def submission_annotated(request: Request, sub_id: int):
    """The file as sent, with every cell a finding names highlighted and commented (changed
    findings first, pre-existing ones marked, cells a resubmission fixed in green)."""
    caller = await guard(request, what="see submissions")
    if isinstance(caller, Response):
        return caller
    row, steps = _submission_or_page(request, caller, sub_id)
    if steps is None:
        return row
    if not row.file_name.lower().endswith((".xlsx", ".xlsm")) or not row.ref_area:
        return error_page(request, 422, "only a questionnaire workbook can be annotated")
    from ...check import check_file
    from ...check.annotate import annotate
    folder = Path(tempfile.mkdtemp(prefix="ilms-annotated-"))
    source, target = folder / row.file_name, folder / f"annotated_{row.file_name}"
    source.write_bytes(row.file_content)
    with request.app.state.engine.connect() as conn:
        report = check_file(source, conn=conn)
        earlier = submissions.previous(conn, row.ref_area, row.year, before=sub_id)
    if earlier is not None:
        report.compare_with(earlier[1], earlier[0])
    annotate(report, source, target)

    def cleanup():
        for p in (source, target):
            p.unlink(missing_ok=True)
        folder.rmdir()
    return FileResponse(target, filename=target.name, background=BackgroundTask(cleanup),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
