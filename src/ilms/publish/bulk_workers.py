"""The per-table files of a bulk build, in worker processes: all cores, not one.

Every writer is Python (the XLSX stream, the csv module, gzip): in threads they share one core. Here
the tables are dealt out to ``workers`` forked processes, each reading its own tables from the
release's cut (a cut never changes, so every process reads the same release) and writing them
through its own :class:`~ilms.publish.fanout.Fanout`, while the parent writes the whole-database
files. Tables go largest first to the least loaded worker (rows counted in the database).

Processes are forked (POSIX), so the format registry and everything else are the parent's. A
worker drops its inherited database connections without closing them (SQLAlchemy's rule after a
fork) and opens its own. A failing writer fails its worker; the parent stops the others and
raises the writer's exception. ``ILMS_BULK_WORKERS`` sets the number (default: the cores, at
most 4; ``1`` builds in one process).
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine

ENV = "ILMS_BULK_WORKERS"
MAX_DEFAULT = 4


def default_workers() -> int:
    raw = os.environ.get(ENV, "").strip()
    if raw:
        try:
            n = int(raw)
        except ValueError:
            raise ValueError(f"{ENV} must be a whole number of processes, not {raw!r}") from None
        if n < 1:
            raise ValueError(f"{ENV} must be at least 1, not {n}")
        return n
    return max(1, min(MAX_DEFAULT, os.cpu_count() or 1))


def can_fork(engine: Engine) -> bool:
    """Forked workers need fork (POSIX) and a database another process can open."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    url = engine.url
    return not (url.get_backend_name() == "sqlite" and (url.database or ":memory:") in (":memory:", ""))


@dataclass
class TableResult:
    table: int
    written: list          # [(format id, file name, rows)] in registry order
    omitted: list          # manifest entries


def deal(counts: dict[int, int], workers: int) -> list[list[int]]:
    """Tables per worker: largest first to the least loaded; each worker's in table order."""
    loads = [[0, i, []] for i in range(workers)]
    for table in sorted(counts, key=lambda t: (-counts[t], t)):
        slot = min(loads, key=lambda s: (s[0], s[1]))
        slot[0] += counts[table] + 1
        slot[2].append(table)
    return [sorted(s[2]) for s in loads if s[2]]


def _child(engine: Engine, job: Callable[[Engine, int], TableResult], tables: list[int], conn) -> None:
    engine.dispose(close=False)          # the parent's connections stay the parent's
    try:
        results = [job(engine, t) for t in tables]
        conn.send(("ok", results))
    except BaseException as exc:         # noqa: BLE001 -- handed to the parent
        try:
            payload = pickle.dumps(exc)
        except Exception:                # noqa: BLE001 -- an exception that does not pickle
            payload = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
        conn.send(("error", payload))
    finally:
        conn.close()


class Workers:
    """Start the workers (before the parent starts any thread), then ``wait`` for their results."""

    def __init__(self, engine: Engine, job: Callable[[Engine, int], TableResult], shares: list[list[int]]):
        ctx = multiprocessing.get_context("fork")
        self.running = []
        for share in shares:
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(engine, job, share, send), daemon=True,
                               name=f"ilms-bulk-{'-'.join(map(str, share))}")
            proc.start()
            send.close()
            self.running.append((proc, receive))

    def wait(self, progress: Callable[[str], None] | None = None) -> list[TableResult]:
        results: list[TableResult] = []
        try:
            for proc, receive in self.running:
                try:
                    status, payload = receive.recv()
                except EOFError:
                    proc.join()
                    raise RuntimeError(f"bulk worker {proc.name} ended without a result "
                                       f"(exit code {proc.exitcode})") from None
                if status == "error":
                    raise pickle.loads(payload)
                results.extend(payload)
                if progress:
                    for r in payload:
                        progress(f"table {r.table}")
                proc.join()
        finally:
            self.stop()
        return results

    def stop(self) -> None:
        for proc, receive in self.running:
            if proc.is_alive():
                proc.terminate()
            proc.join()
            receive.close()
        self.running = []
