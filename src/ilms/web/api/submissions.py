"""``/api/v1/submissions``: a focal point's upload (token or session + CSRF) and its status.

``POST`` (multipart field ``file``; optional ``country`` and ``year`` to make sure the right
workbook is sent) -> 201 with the receipt; 401 without credentials, 403 for a country the
account does not hold (or a bad CSRF token), 413 over ``Limits.upload_bytes`` (``ILMS_LIMIT_UPLOAD_BYTES``), 422 for a
file that is not a questionnaire (or of another country or year). ``GET /{id}`` -> the status,
history and check report, for the submission's country's focal points and for curators.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ...accounts import permissions
from ...collect import submissions
from .. import auth
from ..errors import ERROR_RESPONSES, ErrorBody, not_found
from ..uploads import receive_upload
from . import PREFIX

router = APIRouter(prefix=f"{PREFIX}/submissions", tags=["submissions"])

RESPONSES = {**ERROR_RESPONSES,
             401: {"model": ErrorBody, "description": "No credentials, an invalid token or an expired session."},
             403: {"model": ErrorBody, "description": "Not allowed: another country, another role, or a bad CSRF token."},
             413: {"model": ErrorBody, "description": "The file is over the upload limit."},
             422: {"model": ErrorBody, "description": "Not a questionnaire ILMS can read, or of another country or year."}}


UPLOAD = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "The filled questionnaire (.xlsx)."},
                   "country": {"type": "string", "description": "Optional: the country it must be of (ISO3)."},
                   "year": {"type": "string", "description": "Optional: the reference year it must be of."},
                   "csrf_token": {"type": "string", "description": "With a session (not with a token)."}}}}}}}


@router.post("", status_code=201, responses=RESPONSES, summary="Submit a filled questionnaire",
             description="Authenticated by `Authorization: Bearer TOKEN` (`ilms token create NAME`) or by a "
                         "logged-in session with its CSRF token (docs/accounts.md).", openapi_extra=UPLOAD)
async def post_submission(request: Request):
    caller = await auth.require(request, what="submit questionnaires")
    form = await request.form()
    receipt = await receive_upload(request, caller, form.get("file"), origin="POST /api/v1/submissions",
                                   country=form.get("country") or None, year=form.get("year") or None)
    return JSONResponse(receipt.as_dict(), status_code=201, headers={"Location": f"{PREFIX}/submissions/{receipt.submitted.id}"})


def submission_view(conn, sub_id: int) -> dict:
    row = submissions.get(conn, sub_id)
    return {"id": row.id, "country": row.ref_area or None, "year": row.year or None, "status": row.status,
            "file_name": row.file_name, "checksum": {"sha256": row.file_sha256}, "format": row.format,
            "submitted_at": row.submitted_at.isoformat(), "submitted_by": row.submitted_by,
            "errors": row.n_errors, "warnings": row.n_warnings, "override_reason": row.override_reason,
            "release": row.release_name,
            "events": [{"at": e.at.isoformat(), "by": e.actor, "from": e.from_status, "to": e.to_status,
                        "comment": e.comment} for e in submissions.events(conn, sub_id)],
            "report": json.loads(row.report) if row.report else None}


@router.get("/{sub_id}", responses=RESPONSES, summary="A submission's status and check report")
async def get_submission(sub_id: int, request: Request):
    caller = await auth.require(request, what="see submissions")
    with request.app.state.engine.connect() as conn:
        try:
            row = submissions.get(conn, sub_id)
        except submissions.SubmissionError:
            raise not_found(f"no submission #{sub_id}", "id") from None
        if not permissions.may_see_submission(caller.account, row.ref_area):
            raise auth.Forbidden(f"submission #{sub_id} is not of a country your account holds")
        return submission_view(conn, sub_id)
