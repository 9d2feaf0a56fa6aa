"""Summaries of a cut are computed once per process: the published state at a changeset id never
changes (history is append-only: a write is a new changeset), so a summary of it can be kept.

The key is the database (its URL), the cut and the time its changeset was written — so a database
emptied and loaded again (a new changeset with the same id) is never answered from the old one —
plus the function and its arguments. At most ``SIZE`` results are kept (least recently used go).
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from sqlalchemy import Connection, select

from ..schema import changeset

SIZE = 512
_lock = threading.Lock()
_kept: OrderedDict = OrderedDict()


def _identity(conn: Connection, cut: int):
    stamp = conn.execute(select(changeset.c.created_at).where(changeset.c.id == cut)).scalar()
    return conn.engine.url.render_as_string(hide_password=True), cut, str(stamp)


def _frozen(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def clear() -> None:
    with _lock:
        _kept.clear()


def per_cut(fn):
    """Cache ``fn(conn, cut, *args, **kwargs)`` per database state (see the module doc). Callers
    must not change what it returns."""
    @functools.wraps(fn)
    def wrapper(conn: Connection, cut: int, *args, **kwargs):
        key = (_identity(conn, cut), fn.__module__, fn.__qualname__, _frozen(args), _frozen(kwargs))
        with _lock:
            if key in _kept:
                _kept.move_to_end(key)
                return _kept[key]
        result = fn(conn, cut, *args, **kwargs)
        with _lock:
            _kept[key] = result
            while len(_kept) > SIZE:
                _kept.popitem(last=False)
        return result
    wrapper.uncached = fn
    return wrapper
