"""Submissions: a focal point's file moves received -> checked -> accepted | returned -> published.

Nothing a focal point sends is lost: the file's bytes, its check report and every step (who,
when, what was said) are kept. Accepting writes the observations in the same transaction as the
status change, so it is all or nothing. A submission with errors is accepted only with a
curator's recorded override reason.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from ..check import check_observations, context_of
from ..limits import Limits, megabytes, setting
from ..store import changesets, sources
from ..store.schema import collection_round, submission, submission_event
from .load import write_observations
from .questionnaire.reader import read_any
from .registry import ReadError

RECEIVED, CHECKED, RETURNED, ACCEPTED, PUBLISHED = "received", "checked", "returned", "accepted", "published"


class SubmissionError(ValueError):
    pass


@dataclass
class Submitted:
    id: int
    status: str
    ref_area: str | None
    year: str | None
    report: object | None          # check.Report, or None when unreadable
    read_error: str | None = None


def _event(conn: Connection, sub_id: int, by: str, old: str | None, new: str, comment: str | None = None):
    conn.execute(submission_event.insert().values(submission_id=sub_id, at=changesets.now(), actor=by,
                                                  from_status=old, to_status=new, comment=comment))


def _read(path: Path):
    """(reader, observations, questionnaire or None); raises ReadError."""
    return read_any(path, max_bytes=_limit(None))


def _country_year(observations, workbook, file: str) -> tuple[str, str]:
    if workbook is not None:
        return workbook.metadata.country, str(workbook.metadata.year)
    areas = {o.ref_area for o in observations}
    years = {o.time[:4] for o in observations}
    if len(areas) != 1 or len(years) != 1:
        raise ReadError(file, None, "a submission holds one country and one reference year; this file has "
                                    f"{len(areas)} countries and {len(years)} years (a curator loads such files "
                                    "with `ilms load`)")
    return areas.pop(), years.pop()


def _open_round_for(conn: Connection, name: str | None, ref_area: str, year: str) -> int | None:
    stmt = select(collection_round).where(collection_round.c.closed_at.is_(None))
    if name:
        row = conn.execute(select(collection_round).where(collection_round.c.name == name)).first()
        if row is None:
            raise SubmissionError(f"no collection round named {name!r}")
        return row.id
    for row in conn.execute(stmt.order_by(collection_round.c.id.desc())):
        if ref_area in row.countries.split(",") and year in row.years.split(","):
            return row.id
    return None


@dataclass
class Received:
    """A file read and placed (country, year), not yet recorded: what a web upload checks first
    (the sender's countries) before anything is written."""

    path: Path
    reader: object
    observations: list
    workbook: object | None
    ref_area: str
    year: str


def _limit(max_bytes: int | None) -> int:
    """``max_bytes`` when given (the web passes its own settings), else ``ILMS_LIMIT_UPLOAD_BYTES``."""
    return Limits.from_env().upload_bytes if max_bytes is None else max_bytes


def _check_size(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise SubmissionError(f"{path.name}: {megabytes(size)} ({size:,} bytes) is over the upload limit of "
                              f"{megabytes(max_bytes)} ({max_bytes:,} bytes, {setting('upload_bytes')}); "
                              "send a smaller file, or split it")


def receive(path: str | Path, *, max_bytes: int | None = None) -> Received:
    """Read a file and tell its country and year. Raises ``ReadError`` (with file, sheet, cell) or
    ``SubmissionError`` (too large)."""
    path, max_bytes = Path(path), _limit(max_bytes)
    _check_size(path, max_bytes)
    reader, observations, workbook = read_any(path, max_bytes=max_bytes)
    ref_area, year = _country_year(observations, workbook, path.name)
    return Received(path, reader, observations, workbook, ref_area, year)


def submit(conn: Connection, path: str | Path, *, by: str, round_name: str | None = None,
           received: Received | None = None, max_bytes: int | None = None) -> Submitted:
    """Receive and check a file. An unreadable file is kept and returned at once with the reason.
    ``received``: the file already read by ``receive`` (not read again)."""
    path, max_bytes = Path(path), _limit(max_bytes)
    _check_size(path, max_bytes)
    content = path.read_bytes()
    row = dict(file_name=path.name, file_sha256=hashlib.sha256(content).hexdigest(), file_content=content,
               submitted_at=changesets.now(), submitted_by=by)
    try:
        if received is None:
            received = receive(path, max_bytes=max_bytes)
    except ReadError as exc:
        sub_id = conn.execute(submission.insert().values(
            ref_area="", year="", status=RECEIVED, format="unknown",
            report=json.dumps({"unreadable": str(exc)}), n_errors=1, **row)).inserted_primary_key[0]
        _event(conn, sub_id, by, None, RECEIVED)
        conn.execute(submission.update().where(submission.c.id == sub_id).values(status=RETURNED))
        _event(conn, sub_id, by, RECEIVED, RETURNED, f"cannot be read: {exc}")
        return Submitted(sub_id, RETURNED, None, None, None, str(exc))
    reader, observations, workbook = received.reader, received.observations, received.workbook
    ref_area, year = received.ref_area, received.year
    round_id = _open_round_for(conn, round_name, ref_area, year)
    sub_id = conn.execute(submission.insert().values(
        round_id=round_id, ref_area=ref_area, year=year, status=RECEIVED, format=reader.name,
        n_observations=len(observations), **row)).inserted_primary_key[0]
    _event(conn, sub_id, by, None, RECEIVED)
    reported = workbook.reported_tables() if workbook is not None else sorted({o.table for o in observations})
    withheld = workbook.withheld() if workbook is not None else []
    report = check_observations(observations, context=context_of(path, reader.name), conn=conn,
                                reported_tables=reported, file=path.name, format=reader.name, withheld=withheld)
    from ..check.diff import diff
    report.set_baseline(diff(conn, observations, kept=withheld))
    earlier = previous(conn, ref_area, year, before=sub_id)
    if earlier is not None:
        report.compare_with(earlier[1], earlier[0])
    conn.execute(submission.update().where(submission.c.id == sub_id).values(
        status=CHECKED, n_errors=report.errors, n_warnings=report.warnings,
        report=json.dumps(report.as_dict(), ensure_ascii=False)))
    _event(conn, sub_id, by, RECEIVED, CHECKED, report.verdict)
    return Submitted(sub_id, CHECKED, ref_area, year, report)


def previous(conn: Connection, ref_area: str, year: str, *, before: int) -> tuple[int, dict] | None:
    """The latest earlier checked submission of the same country and year: (id, its report)."""
    ids = conn.execute(select(submission.c.id).where(
        submission.c.ref_area == ref_area, submission.c.year == year, submission.c.id < before,
        submission.c.report.is_not(None)).order_by(submission.c.id.desc())).scalars().all()
    for sub_id in ids:
        text = conn.execute(select(submission.c.report).where(submission.c.id == sub_id)).scalar_one()
        report = json.loads(text)
        if "findings" in report:
            return sub_id, report
    return None


def get(conn: Connection, sub_id: int):
    row = conn.execute(select(submission).where(submission.c.id == sub_id)).first()
    if row is None:
        raise SubmissionError(f"no submission #{sub_id}")
    return row


def events(conn: Connection, sub_id: int):
    return conn.execute(select(submission_event).where(submission_event.c.submission_id == sub_id)
                        .order_by(submission_event.c.id)).fetchall()


def listing(conn: Connection, *, ref_area: str | None = None, status: str | None = None,
            round_name: str | None = None):
    stmt = select(submission.c.id, submission.c.ref_area, submission.c.year, submission.c.status,
                  submission.c.file_name, submission.c.n_errors, submission.c.n_warnings,
                  submission.c.submitted_at, submission.c.submitted_by, submission.c.round_id)
    if ref_area:
        stmt = stmt.where(submission.c.ref_area == ref_area)
    if status:
        stmt = stmt.where(submission.c.status == status)
    if round_name:
        stmt = stmt.join(collection_round, collection_round.c.id == submission.c.round_id).where(
            collection_round.c.name == round_name)
    return conn.execute(stmt.order_by(submission.c.id)).fetchall()


def _materialised(row) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="ilms-submission-"))
    path = folder / row.file_name
    path.write_bytes(row.file_content)
    return path


def accept(conn: Connection, sub_id: int, *, by: str, override_reason: str | None = None,
           comment: str | None = None):
    """Load the submission's observations (atomic with the status change)."""
    row = get(conn, sub_id)
    if row.status != CHECKED:
        raise SubmissionError(f"submission #{sub_id} is {row.status}: only a checked submission can be accepted")
    if row.n_errors and not (override_reason and override_reason.strip()):
        raise SubmissionError(f"submission #{sub_id} has {row.n_errors} error(s): it cannot be accepted until it "
                              "is fixed, or a curator overrides with --override-reason")
    path = _materialised(row)
    try:
        _reader, observations, workbook = _read(path)
        for code, fields in (workbook.metadata.new_sources if workbook is not None else {}).items():
            sources.upsert(conn, code, row.ref_area, **fields)
        reason = f"submission #{sub_id}" + (f" accepted despite {row.n_errors} error(s): {override_reason}"
                                            if row.n_errors else "")
        summary, _new = write_observations(conn, observations, file=row.file_name, kind="submission", by=by,
                                           reason=reason, sha256=row.file_sha256)
    finally:
        path.unlink(missing_ok=True)
        path.parent.rmdir()
    conn.execute(submission.update().where(submission.c.id == sub_id).values(
        status=ACCEPTED, changeset_id=summary.changeset_id, override_reason=override_reason))
    _event(conn, sub_id, by, CHECKED, ACCEPTED, comment or (f"override: {override_reason}" if override_reason else None))
    return summary


def return_(conn: Connection, sub_id: int, *, by: str, comment: str):
    """Send the submission back to the focal point with the curator's comments (file and report kept)."""
    if not comment or not comment.strip():
        raise SubmissionError("returning a submission needs a comment for the focal point")
    row = get(conn, sub_id)
    if row.status not in (RECEIVED, CHECKED):
        raise SubmissionError(f"submission #{sub_id} is {row.status}: it cannot be returned")
    conn.execute(submission.update().where(submission.c.id == sub_id).values(status=RETURNED))
    _event(conn, sub_id, by, row.status, RETURNED, comment)


def mark_published(conn: Connection, release) -> int:
    """Accepted submissions inside a release's cut become published in it."""
    rows = conn.execute(select(submission.c.id).where(submission.c.status == ACCEPTED,
                                                      submission.c.changeset_id <= release.cut)).fetchall()
    for (sub_id,) in rows:
        conn.execute(submission.update().where(submission.c.id == sub_id)
                     .values(status=PUBLISHED, release_name=release.name))
        _event(conn, sub_id, release.published_by or "system", ACCEPTED, PUBLISHED, f"published in release {release.name}")
    return len(rows)
