"""The curator's load: detect the format, read (codes checked), write with history, atomically.

``load_file(engine, path, by=...)`` runs in its own transaction: the file is loaded whole or not
at all. ``load_into(conn, ...)`` does the same inside the caller's transaction. Sources a file
names that the catalogue lacks are added as placeholders (``store.sources.ensure``). A second load
of the same file changes nothing: unchanged values get no new version.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import Connection, Engine

from .. import crashpoints
from ..files import sha256_file
from ..observation import Observation
from ..store import sources
from ..store.changesets import Summary
from ..store.db import refresh_statistics
from ..store.sources import SourceError
from ..store.write import StoreError, write, write_rows
from .registry import ReadError, ReadLog, detect, get_reader


class LoadRefused(ValueError):
    """A file (or download) the store refused; nothing of it was written."""

    def __init__(self, file: str, message: str):
        self.file = file
        super().__init__(message if message.startswith(file) else f"{file}: {message}")


@dataclass
class LoadResult:
    file: str
    format: str
    sha256: str
    summary: Summary
    new_sources: list[str] = field(default_factory=list)
    log: ReadLog = field(default_factory=ReadLog)
    report: object | None = None          # check.Report of what was loaded (recorded with the changeset)

    def __str__(self) -> str:
        s = self.summary
        text = f"{self.file}: {s.added} added, {s.changed} changed, {s.unchanged} unchanged"
        if self.new_sources:
            text += f"; new sources (placeholders): {', '.join(self.new_sources)}"
        for reason, n in sorted(self.log.skipped.items()):
            text += f"; skipped {n} row(s), {reason}"
        return text


def _ensuring_sources(conn: Connection, observations: Iterable[Observation], new: list[str]) -> Iterator[Observation]:
    """Pass the observations on, adding each source to the catalogue before its first use."""
    seen: set[str] = set()
    for obs in observations:
        if obs.source not in seen:
            seen.add(obs.source)
            new += sources.ensure(conn, {obs.source: obs.ref_area})
        yield obs


def write_observations(conn: Connection, observations: Iterable[Observation], *, file: str, kind: str,
                       by: str, reason: str | None = None, sha256: str | None = None,
                       progress: Callable[[int], None] | None = None) -> tuple[Summary, list[str]]:
    """Write inside the caller's transaction; any refusal becomes ``LoadRefused`` naming ``file``."""
    new: list[str] = []
    try:
        summary = write(conn, _ensuring_sources(conn, observations, new), kind=kind, by=by, reason=reason,
                        file_name=file, file_sha256=sha256, progress=progress)
    except (ReadError, StoreError, SourceError) as exc:
        raise LoadRefused(file, str(exc)) from exc
    return summary, new


def _ensuring_sources_of_rows(conn: Connection, batches: Iterable, new: list[str],
                              kept: list[Observation] | None) -> Iterator[list[tuple]]:
    """``_ensuring_sources`` for a reader's ``RowBatch``es (rows as tuples in ``Observation``'s field
    order): each source added before the first row that uses it, the batch's rows passed on, and
    the error the reader met after them raised at the same point as the reference path would."""
    seen: set[str] = set()
    for batch in batches:
        for source, area in dict.fromkeys((r[1][1], r[1][0]) for r in batch.rows):
            if source not in seen:
                seen.add(source)
                new += sources.ensure(conn, {source: area})
        if batch.error is not None:
            raise batch.error
        if kept is not None:
            kept.extend(Observation(*r) for r in batch.rows)
        yield batch.rows


def write_rows_of(conn: Connection, batches: Iterable, *, file: str, kind: str, by: str, reason: str | None = None,
                  sha256: str | None = None, progress: Callable[[int], None] | None = None,
                  kept: list[Observation] | None = None) -> tuple[Summary, list[str]]:
    """``write_observations`` for a reader's ``read_batches`` (the fast path: ``store.write.write_rows``)."""
    new: list[str] = []
    try:
        summary = write_rows(conn, _ensuring_sources_of_rows(conn, batches, new, kept), kind=kind, by=by,
                             reason=reason, file_name=file, file_sha256=sha256, progress=progress)
    except (ReadError, StoreError, SourceError) as exc:
        raise LoadRefused(file, str(exc)) from exc
    return summary, new


def _kept(observations: Iterable[Observation], into: list[Observation]) -> Iterator[Observation]:
    for obs in observations:
        into.append(obs)
        yield obs


def record_findings(conn: Connection, changeset_id: int, observations: list[Observation], *, path: Path,
                    reader_name: str):
    """Check what was loaded and keep the report with the changeset. Published data is loaded as
    published: its findings are recorded and reported, never a reason to refuse it."""
    import json

    from ..check import check_observations, context_of
    from ..store.schema import changeset
    report = check_observations(observations, context=context_of(path, reader_name), conn=conn,
                                file=path.name, format=reader_name)
    conn.execute(changeset.update().where(changeset.c.id == changeset_id)
                 .values(report=json.dumps(report.as_dict(), ensure_ascii=False)))
    return report


def load_into(conn: Connection, path: str | Path, *, by: str, reason: str | None = None,
              format: str | None = None, progress: Callable[[int], None] | None = None,
              check: bool = True, **options) -> LoadResult:
    """Load one file inside the caller's transaction; with ``check``, its validation findings are
    recorded with the changeset (``LoadResult.report``)."""
    path = Path(path)
    try:
        reader = get_reader(format) if format else detect(path)
    except ReadError as exc:
        raise LoadRefused(path.name, str(exc)) from exc
    except KeyError as exc:
        raise LoadRefused(path.name, exc.args[0]) from exc
    if getattr(reader, "context", False):
        # context data (e.g. UN DESA): stored as its own dataset, never in the 17 tables
        try:
            return reader.load_into(conn, path, by=by, reason=reason, **options)
        except (ReadError, ValueError) as exc:
            raise LoadRefused(path.name, str(exc)) from exc
    digest = sha256_file(path)
    log = ReadLog()
    kept: list[Observation] = []
    if hasattr(reader, "read_batches"):
        # the fast path (rows as tuples, written in bulk): the same checks, errors and rows
        summary, new = write_rows_of(conn, reader.read_batches(path, log=log, **options), file=path.name,
                                     kind="load", by=by, reason=reason, sha256=digest, progress=progress,
                                     kept=kept if check else None)
    else:
        stream = reader.read(path, log=log, **options)
        summary, new = write_observations(conn, _kept(stream, kept) if check else stream, file=path.name,
                                          kind="load", by=by, reason=reason, sha256=digest, progress=progress)
    result = LoadResult(path.name, reader.name, digest, summary, new, log)
    if check:
        result.report = record_findings(conn, summary.changeset_id, kept, path=path, reader_name=reader.name)
    crashpoints.pause("load:written")
    return result


def load_file(engine: Engine, path: str | Path, *, by: str, reason: str | None = None,
              format: str | None = None, progress: Callable[[int], None] | None = None,
              check: bool = True, **options) -> LoadResult:
    """Load one file in its own transaction: all of it, or (on any error) nothing. After a large load,
    PostgreSQL's planner statistics are refreshed (``store.db.refresh_statistics``)."""
    with engine.begin() as conn:
        result = load_into(conn, path, by=by, reason=reason, format=format, progress=progress, check=check,
                           **options)
    summary = getattr(result, "summary", None)          # context datasets are not in series/observation
    if isinstance(summary, Summary):
        refresh_statistics(engine, summary.touched)
    return result
