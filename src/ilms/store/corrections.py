"""A curator's correction or annotation of one value: a revision like any other, with a reason."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from ..observation import Observation
from .read import Selection, observations
from .write import Summary, StoreError, write

UNSET = object()


def current(conn: Connection, table: int, key: tuple[str, ...], time: str) -> Observation | None:
    t_filters = dict(zip(_key_dims(table), ((code,) for code in key)))
    for obs in observations(conn, Selection(table=table, filters=t_filters, start=time, end=time), public=False):
        if obs.key == tuple(key) and obs.time == time:
            return obs
    return None


def _key_dims(table: int):
    from ..tables import structure
    return structure().table(table).key_order


def correct(conn: Connection, table: int, key: tuple[str, ...], time: str, *, by: str, reason: str,
            value=UNSET, status=UNSET, comment=UNSET, confidential=UNSET) -> Summary:
    """Revise one cell: change its value, flag, note or confidentiality; the reason is required."""
    if not reason or not reason.strip():
        raise StoreError("a correction needs a reason")
    old = current(conn, table, key, time)
    if old is None and value is UNSET:
        raise StoreError(f"table {table}, {'.'.join(key)}, {time}: no such value to annotate "
                         "(give a value to add it)")
    base = old or Observation(table, tuple(key), time, None)
    changes = {name: v for name, v in (("value", value), ("status", status), ("comment", comment),
                                       ("confidential", confidential)) if v is not UNSET}
    new = replace(base, provenance=f"correction by {by}", **changes)
    return write(conn, [new], kind="correction", by=by, reason=reason)
