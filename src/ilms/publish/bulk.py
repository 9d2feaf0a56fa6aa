"""Bulk downloads: every table of a published release, in every registered format, built once.

``build(engine, name)`` writes, for the published release ``name``, one file per table and
format (``ilms.publish.bulk_formats``: tidy CSV, XLSX, ILOSTAT CSV, SDMX-CSV) and the
whole-database files, plus ``manifest.json`` (every file's name, table, format, media type,
size, SHA-256 and row count; the release's name, checksum, cut, publication time, licence,
citation; and the changes since the previous published release). Files go to
``<downloads>/<token>/`` (``<downloads>`` is ``ILMS_DATA_DIR/downloads`` unless given; the token
is the release name when it is path-safe, ``ilms.publish.bulk_names``): written into a
temporary folder beside it and renamed into place when complete, so a reader sees the old
complete set or the new complete set, never a half-built one.

Everything is read from the release's cut (``store.read.observations(..., cut=release.cut,
public=True)``), one table at a time, once: the rows fan out to all writers of that table and
to the whole-database writers (``ilms.publish.fanout``). Rebuilding a release gives the same
bytes (gzip and XLSX time stamps are the publication time), as long as the code labels and the
source catalogue are unchanged.

When: ``ilms release publish`` builds right after the publishing transaction commits;
``ilms release build-downloads NAME`` (re)builds; the web application builds on the first
request for a release whose files are missing or stale (``ensure``). Building is not a publish
hook: a hook runs inside the publishing transaction, which would then hold the database's write
lock for the whole build and could leave files behind for a release whose publication rolled back.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import Connection, Engine, func, select

from .. import __version__
from ..files import sha256_file
from ..store import releases, sources
from ..store.db import data_dir
from ..store.read import Selection, observations, visible_at
from ..store.releases import Release
from ..store.schema import observation, series
from ..tables import structure
from . import bulk_workers, citation as cite
from .bulk_formats import FORMATS, NOTICE, BuildContext, BulkFormat, formats
from .bulk_names import file_name, release_token, table_scope
from .fanout import Fanout, batched
from .release_diff import diff, totals

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000


class BulkError(RuntimeError):
    pass


def downloads_root(root: str | os.PathLike | None = None) -> Path:
    return Path(root) if root else data_dir() / "downloads"


def release_dir(release_name: str, root: str | os.PathLike | None = None) -> Path:
    return downloads_root(root) / release_token(release_name)


def utc(when: dt.datetime) -> dt.datetime:
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)


def previous_published(conn: Connection, release: Release) -> Release | None:
    """The release published last before ``release`` (None for the first)."""
    earlier = [r for r in releases.all_releases(conn)
               if r.published and r.name != release.name and
               (utc(r.published_at), r.cut) < (utc(release.published_at), release.cut)]
    return max(earlier, key=lambda r: (utc(r.published_at), r.cut), default=None)


def _published(conn: Connection, name: str) -> Release:
    found = releases.get(conn, name)
    if found is None:
        raise BulkError(f"no release named {name!r}")
    if not found.published:
        raise BulkError(f"release {name!r} is not published: its downloads are built when it is")
    return found


def _count(conn: Connection, table_no: int, cut: int) -> int:
    return int(conn.execute(select(func.count()).select_from(observation.join(series, series.c.id == observation.c.series_id))
                            .where(series.c.table_no == table_no, visible_at(cut), observation.c.deleted.is_(False)))
               .scalar())


@dataclass
class _Planned:
    fmt: BulkFormat
    table: int | None
    name: str


def _write_files(engine: Engine, ctx: BuildContext, folder: Path, progress: Callable[[str], None] | None,
                 workers: int | None = None) -> tuple[list[dict], list[dict]]:
    token, cut = ctx.token, ctx.release.cut
    numbers = sorted(structure().tables)
    with engine.connect() as conn:
        counts = {n: _count(conn, n, cut) for n in numbers}
    workers = bulk_workers.default_workers() if workers is None else workers
    whole_plans = [_Planned(f, None, file_name(token, "all", f.suffix, f.extension)) for f in formats("all")]
    whole: list[tuple[_Planned, int]] = []
    if workers > 1 and bulk_workers.can_fork(engine):
        # the tables in worker processes (forked before this process starts any thread), the
        # whole-database files here meanwhile
        pool = bulk_workers.Workers(engine, _table_job(ctx, folder, counts),
                                    bulk_workers.deal(counts, workers))
        try:
            with engine.connect() as conn, Fanout() as fan:
                running = [(p, fan.start(p.name, _writer(p, ctx, folder))) for p in whole_plans]
                feeds = [h for _, h in running]
                for number in numbers:
                    for batch in batched(observations(conn, Selection(table=number, cut=cut), public=True), BATCH):
                        fan.send(feeds, batch)
                whole = [(p, fan.finish(h)) for p, h in running]
            tables = pool.wait(progress)
        finally:
            pool.stop()
    else:
        tables = []
        with engine.connect() as conn, Fanout() as fan:
            running = [(p, fan.start(p.name, _writer(p, ctx, folder))) for p in whole_plans]
            for number in numbers:
                tables.append(_table_files(conn, ctx, folder, number, counts[number], fan, [h for _, h in running]))
                if progress:
                    progress(f"table {number}")
            whole = [(p, fan.finish(h)) for p, h in running]
    written: list[tuple[_Planned, int]] = []
    omitted: list[dict] = []
    for result in sorted(tables, key=lambda r: r.table):
        written += [(_Planned(FORMATS[fid], result.table, name), rows) for fid, name, rows in result.written]
        omitted += result.omitted
    written += whole
    for fmt in formats("derived"):
        plan = _Planned(fmt, None, file_name(token, "all", fmt.suffix, fmt.extension))
        written.append((plan, fmt.write(folder / plan.name, ctx, None, ())))
        if progress:
            progress(fmt.id)
    files = []
    for p, rows in written:
        path = folder / p.name
        files.append({"name": p.name, "table": p.table, "format": p.fmt.id, "description": p.fmt.description,
                      "media_type": p.fmt.media_type, "content_type": p.fmt.content_type,
                      "size": path.stat().st_size, "sha256": sha256_file(path), "rows": rows})
    return files, omitted


def _table_files(conn: Connection, ctx: BuildContext, folder: Path, number: int, n_rows: int, fan: Fanout,
                 also: list = ()) -> bulk_workers.TableResult:
    """Write every per-table file of table ``number``; its rows are also sent to the feeds ``also``."""
    plans = [_Planned(f, number, file_name(ctx.token, table_scope(number), f.suffix, f.extension))
             for f in formats("table")]
    omitted = []
    for p in [p for p in plans if p.fmt.max_rows is not None and n_rows > p.fmt.max_rows]:
        plans.remove(p)
        omitted.append({"name": p.name, "table": number, "format": p.fmt.id,
                        "reason": f"{n_rows} rows: more than the format holds ({p.fmt.max_rows})"})
    running = [(p, fan.start(p.name, _writer(p, ctx, folder))) for p in plans]
    feeds = list(also) + [h for _, h in running]
    for batch in batched(observations(conn, Selection(table=number, cut=ctx.release.cut), public=True), BATCH):
        fan.send(feeds, batch)
    return bulk_workers.TableResult(number, [(p.fmt.id, p.name, fan.finish(h)) for p, h in running], omitted)


def _table_job(ctx: BuildContext, folder: Path, counts: dict[int, int]):
    """What a worker process does for one table (its own engine: see ``bulk_workers``)."""
    def job(engine: Engine, number: int) -> bulk_workers.TableResult:
        here = dataclasses.replace(ctx, engine=engine)
        with engine.connect() as conn, Fanout() as fan:
            return _table_files(conn, here, folder, number, counts[number], fan)
    return job


def _writer(plan: _Planned, ctx: BuildContext, folder: Path):
    def run(items):
        return plan.fmt.write(folder / plan.name, ctx, plan.table, items)
    return run


def _context(conn: Connection, release: Release, engine: Engine) -> BuildContext:
    catalogue = {entry["code"]: entry for entry in sources.catalogue(conn)}
    return BuildContext(release=release, token=release_token(release.name), published=utc(release.published_at),
                        citation=cite.citation(release), licence=cite.licence(), sources=catalogue, engine=engine)


def release_info(release: Release) -> dict:
    return {"name": release.name, "token": release_token(release.name), "checksum": release.checksum,
            "cut": release.cut, "published": utc(release.published_at).isoformat().replace("+00:00", "Z"),
            "n_observations": release.n_observations, "synthetic": release.synthetic,
            "notice": NOTICE if release.synthetic else None, "description": release.description}


def changes_since_previous(conn: Connection, release: Release) -> dict:
    previous = previous_published(conn, release)
    changes = diff(conn, previous.cut if previous else None, release.cut)
    return {"previous": ({"name": previous.name, "token": release_token(previous.name),
                          "checksum": previous.checksum, "cut": previous.cut} if previous else None),
            "totals": totals(changes), "by_table": [c.as_dict() for c in changes]}


def build(engine: Engine, name: str, *, root: str | os.PathLike | None = None,
          progress: Callable[[str], None] | None = None, workers: int | None = None) -> dict:
    """Build (or rebuild) the downloads of published release ``name``; returns the manifest.
    ``workers``: processes writing the per-table files (``bulk_workers``; None: ``ILMS_BULK_WORKERS``
    or the number of cores)."""
    with engine.connect() as conn:
        release = _published(conn, name)
        ctx = _context(conn, release, engine)
        changes = changes_since_previous(conn, release)
        disclosure = disclosure_info(conn, release)
    base = downloads_root(root)
    base.mkdir(parents=True, exist_ok=True)
    with _locked(base, ctx.token):
        return _build_locked(engine, ctx, base, changes, progress, disclosure, workers)


def disclosure_info(conn: Connection, release: Release) -> dict | None:
    """The release's suppression pattern as the manifest shows it: counts and checksum, never values."""
    from ..disclosure import pattern
    found = pattern.get(conn, release.name)
    return found.manifest() if found else None


def _build_locked(engine, ctx: BuildContext, base: Path, changes: dict, progress, disclosure: dict | None = None,
                  workers: int | None = None) -> dict:
    tmp = base / f".{ctx.token}.build-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    try:
        files, omitted = _write_files(engine, ctx, tmp, progress, workers)
        manifest = {"format_version": FORMAT_VERSION, "generator": f"ilms {__version__}",
                    "release": release_info(ctx.release), "licence": ctx.licence.as_dict(),
                    "citation": ctx.citation, "files": files, "omitted": omitted, "changes": changes,
                    "disclosure": disclosure}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _swap(tmp, base / ctx.token)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _swap(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` at ``target`` (replacing an older build)."""
    if not target.exists():
        os.rename(new, target)
        return
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:12]}")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


@contextlib.contextmanager
def _locked(base: Path, token: str) -> Iterator[None]:
    """One build of a release at a time: across threads (a lock) and processes (flock, where available)."""
    with _thread_locks_guard:
        lock = _thread_locks.setdefault(f"{base.resolve()}/{token}", threading.Lock())
    with lock, open(base / f".{token}.lock", "a+b") as handle:
        try:
            import fcntl
        except ImportError:     # not POSIX: the in-process lock alone
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_manifest(release: Release, root: str | os.PathLike | None = None) -> dict | None:
    """The manifest of a release's built downloads, or None when missing or not of this release."""
    path = release_dir(release.name, root) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("release") != release_info(release):
        return None
    expected = {f.id for f in FORMATS.values()}
    if not {f["format"] for f in manifest["files"]} | {f["format"] for f in manifest["omitted"]} >= expected:
        return None
    folder = path.parent
    if not all((folder / f["name"]).is_file() for f in manifest["files"]):
        return None
    return manifest


def ensure(engine: Engine, release: Release, root: str | os.PathLike | None = None, *,
           workers: int | None = None) -> dict:
    """The manifest of a published release's downloads, building them first if needed. The web
    application calls this from a thread of its own process: it builds in that process
    (``workers`` 1) unless ``workers`` or ``ILMS_BULK_WORKERS`` asks for worker processes."""
    if workers is None:
        workers = bulk_workers.default_workers() if os.environ.get(bulk_workers.ENV, "").strip() else 1
    manifest = read_manifest(release, root)
    if manifest is not None:
        return manifest
    base = downloads_root(root)
    base.mkdir(parents=True, exist_ok=True)
    token = release_token(release.name)
    with _locked(base, token):
        manifest = read_manifest(release, root)       # another request may have built it meanwhile
        if manifest is not None:
            return manifest
        with engine.connect() as conn:
            current = _published(conn, release.name)
            ctx = _context(conn, current, engine)
            changes = changes_since_previous(conn, current)
            disclosure = disclosure_info(conn, current)
        return _build_locked(engine, ctx, base, changes, None, disclosure, workers)


def file_path(release: Release, file: str, root: str | os.PathLike | None = None) -> Path:
    return release_dir(release.name, root) / file
