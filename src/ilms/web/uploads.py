"""A focal point's upload, shared by the API (``POST /api/v1/submissions``) and the collection
pages: size limit, reading, the sender's countries, then the submission workflow of
``ilms.collect.submissions`` (no second workflow), the audit entry and the outbox message.

Nothing a focal point sends is lost: a file refused before it becomes a submission (not a
questionnaire, another country or year, a country the account does not hold) is kept in the
refused folder (``Settings.refused_dir``), named by time, account and checksum; the database is
left unchanged. A file over the size limit is refused while it arrives (413), before it is whole.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, UploadFile

from ..accounts import audit, outbox, permissions
from ..collect import submissions
from ..collect.registry import ReadError
from ..limits import megabytes, setting
from .auth import Caller
from .errors import ApiError

CHUNK = 1 << 16


class TooLarge(ApiError):
    def __init__(self, limit: int):
        super().__init__(413, f"the file is larger than the upload limit of {megabytes(limit)} ({limit:,} bytes, "
                              f"{setting('upload_bytes')}); send a smaller file, or split it", "file")


@dataclass(frozen=True)
class Receipt:
    submitted: submissions.Submitted
    file_name: str
    sha256: str
    at: dt.datetime
    by: str

    def as_dict(self) -> dict:
        s = self.submitted
        report = s.report
        return {"id": s.id, "country": s.ref_area, "year": s.year, "file_name": self.file_name,
                "checksum": {"sha256": self.sha256}, "status": s.status, "submitted_at": self.at.isoformat(),
                "submitted_by": self.by,
                "errors": report.errors if report else None, "warnings": report.warnings if report else None,
                "verdict": report.verdict if report else s.read_error,
                "links": {"self": f"/api/v1/submissions/{s.id}", "page": f"/collect/submissions/{s.id}"}}


def safe_name(name: str | None) -> str:
    base = Path(name or "").name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return cleaned[:120]


def refused_dir(request: Request) -> Path:
    configured = request.app.state.settings.refused_dir
    if configured:
        return Path(configured)
    from ..store.db import data_dir
    return data_dir() / "uploads" / "refused"


def _keep_refused(request: Request, path: Path, caller: Caller, sha256: str, why: str) -> None:
    folder = refused_dir(request)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}_{safe_name(caller.account.name)}_{sha256[:12]}_{path.name}"
    shutil.copyfile(path, target)
    target.with_name(target.name + ".why.txt").write_text(why + "\n", encoding="utf-8")


async def _save(upload: UploadFile, folder: Path, limit: int) -> tuple[Path, str]:
    path = folder / safe_name(upload.filename)
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLarge(limit)
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise ApiError(422, "the file is empty", "file")
    return path, digest.hexdigest()


async def receive_upload(request: Request, caller: Caller, upload: UploadFile | None, *, origin: str,
                         country: str | None = None, year: str | None = None) -> Receipt:
    """Check and record one upload; raises ApiError 403/413/422 (database unchanged)."""
    if upload is None or not hasattr(upload, "read"):
        raise ApiError(422, "send the questionnaire as the multipart field 'file'", "file")
    limit = request.app.state.settings.limits.upload_bytes
    with tempfile.TemporaryDirectory(prefix="ilms-upload-") as tmp:
        path, sha256 = await _save(upload, Path(tmp), limit)

        def refuse(status: int, message: str, parameter: str | None = "file"):
            _keep_refused(request, path, caller, sha256, f"{status} {message}")
            return ApiError(status, message, parameter)

        try:
            received = submissions.receive(path, max_bytes=limit)
        except ReadError as exc:
            raise refuse(422, f"not a questionnaire ILMS can read: {exc}") from None
        except submissions.SubmissionError as exc:
            raise refuse(413, str(exc)) from None
        if country and country.strip().upper() != received.ref_area:
            raise refuse(422, f"{path.name} is the questionnaire of {received.ref_area}, not {country.upper()}",
                         "country")
        if year and str(year).strip() != received.year:
            raise refuse(422, f"{path.name} is the questionnaire of {received.year}, not {year}", "year")
        if not permissions.may_submit_for(caller.account, received.ref_area):
            raise refuse(403, f"your account does not hold {received.ref_area}: it submits for "
                              f"{', '.join(caller.account.countries) or 'no country'}")
        with request.app.state.engine.begin() as conn:
            done = submissions.submit(conn, path, by=caller.account.name, received=received, max_bytes=limit)
            audit.record(conn, caller.account, "submission.upload", target=f"submission {done.id}", origin=origin,
                         submission_id=done.id, detail={"file": path.name, "sha256": sha256, "via": caller.via,
                                                        "verdict": done.report.verdict if done.report else None})
            outbox.queue(conn, caller.account.email or caller.account.name,
                         f"ILMS: submission #{done.id} ({done.ref_area} {done.year}) received",
                         f"Your file {path.name} was received and checked: "
                         f"{done.report.verdict if done.report else done.read_error}. "
                         f"See /collect/submissions/{done.id}.")
        return Receipt(done, path.name, sha256, dt.datetime.now(dt.timezone.utc), caller.account.name)
