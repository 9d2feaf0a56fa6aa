"""Lazy builds of a release's downloads, in the background, with a bounded wait for the request.

The first request for a release whose files are missing (or stale) starts the build on a
single background worker and waits up to ``Settings.downloads_build_wait`` seconds; if the
build takes longer the route answers 503 with ``Retry-After`` and the build carries on. A build
that failed is started afresh by the next request.
"""
from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path

from sqlalchemy import Engine

from ...publish import bulk
from ...store.releases import Release

_executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ilms-downloads")
_pending: dict[tuple[str, str], concurrent.futures.Future] = {}
_guard = threading.Lock()


def manifest(engine: Engine, release: Release, root: Path, wait: float) -> dict | None:
    """The release's manifest, or None while its build is still running after ``wait`` seconds."""
    found = bulk.read_manifest(release, root)
    if found is not None:
        return found
    key = (str(root), release.name)
    with _guard:
        future = _pending.get(key)
        if future is None:
            future = _executor.submit(bulk.ensure, engine, release, root)
            _pending[key] = future
    try:
        return future.result(timeout=wait)
    except concurrent.futures.TimeoutError:
        return None
    finally:
        if future.done():
            with _guard:
                if _pending.get(key) is future:
                    del _pending[key]
