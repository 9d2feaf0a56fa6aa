"""A release's secondary suppression pattern, stored with the release: which cells, never values.

One row per withheld cell (``disclosure_cell``) and one summary per release (``disclosure_pattern``:
counts, what was minimised, the protection required, a SHA-256 over the sorted cells so anyone can
check the pattern is the one published). Public reads apply it in ``store.read``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Connection, and_, delete, insert, select, tuple_

from ..store import changesets, releases
from ..store.read import visible_at
from ..store.schema import disclosure_cell, disclosure_pattern, observation, release, series
from .relations import CellId


@dataclass(frozen=True)
class Pattern:
    release: str
    checksum: str
    n_primary: int
    n_secondary: int
    objective: str
    protection: float
    seconds: float

    def manifest(self) -> dict:
        """What the bulk manifest shows: counts and the checksum, never a value."""
        return {"primary_cells": self.n_primary, "secondary_cells": self.n_secondary,
                "objective": self.objective, "protection": self.protection, "sha256": self.checksum}


def checksum(cells: Iterable[CellId]) -> str:
    digest = hashlib.sha256()
    for table, key, time in sorted(cells):
        digest.update(f"{table}\t{'.'.join(key)}\t{time}\n".encode("utf-8"))
    return digest.hexdigest()


def _release(conn: Connection, name: str) -> releases.Release:
    found = releases.get(conn, name)
    if found is None:
        raise releases.ReleaseError(f"no release named {name!r}")
    return found


def _release_id(conn: Connection, name: str) -> int:
    _release(conn, name)
    return conn.execute(select(release.c.id).where(release.c.name == name)).scalar_one()


def replace(conn: Connection, name: str, cells: list[CellId], *, n_primary: int, objective: str,
            protection: float, seconds: float) -> Pattern:
    """Store ``cells`` as the pattern of release ``name`` (in the caller's transaction)."""
    rid = _release_id(conn, name)
    conn.execute(delete(disclosure_cell).where(disclosure_cell.c.release_id == rid))
    conn.execute(delete(disclosure_pattern).where(disclosure_pattern.c.release_id == rid))
    wanted = sorted(set(cells))
    ids: dict[tuple[int, str], int] = {}
    keys = sorted({(t, ".".join(k)) for t, k, _ in wanted})
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for sid, t, k in conn.execute(select(series.c.id, series.c.table_no, series.c.series_key)
                                      .where(tuple_(series.c.table_no, series.c.series_key).in_(chunk))):
            ids[(t, k)] = sid
    rows = [{"release_id": rid, "series_id": ids[(t, ".".join(k))], "time_period": time} for t, k, time in wanted]
    if rows:
        conn.execute(insert(disclosure_cell), rows)
    conn.execute(insert(disclosure_pattern).values(
        release_id=rid, checksum=checksum(wanted), n_primary=n_primary, n_secondary=len(wanted),
        objective=objective, protection=protection, seconds=round(seconds, 3), created_at=changesets.now()))
    return get(conn, name)


def get(conn: Connection, name: str) -> Pattern | None:
    row = conn.execute(select(disclosure_pattern).join(release, release.c.id == disclosure_pattern.c.release_id)
                       .where(release.c.name == name)).first()
    if row is None:
        return None
    return Pattern(name, row.checksum, row.n_primary, row.n_secondary, row.objective, row.protection, row.seconds)


def cells(conn: Connection, name: str) -> list[CellId]:
    """The secondary cells of release ``name``, sorted."""
    rid = _release_id(conn, name)
    rows = conn.execute(select(series.c.table_no, series.c.series_key, disclosure_cell.c.time_period)
                        .join(series, series.c.id == disclosure_cell.c.series_id)
                        .where(disclosure_cell.c.release_id == rid))
    return sorted((int(t), tuple(k.split(".")), time) for t, k, time in rows)


def is_suppressed(conn: Connection, name: str, table: int, key: tuple[str, ...] | str, time: str) -> bool:
    """Is this cell withheld from the public in release ``name`` -- confidential (primary) or in the
    release's secondary pattern? For code deriving figures (aggregates, indicators) from a release."""
    found = _release(conn, name)
    skey = key if isinstance(key, str) else ".".join(key)
    row = conn.execute(select(series.c.id).where(series.c.table_no == table, series.c.series_key == skey)).first()
    if row is None:
        return False
    primary = conn.execute(select(observation.c.confidential).where(
        observation.c.series_id == row.id, observation.c.time_period == time, visible_at(found.cut),
        observation.c.deleted.is_(False))).first()
    if primary is not None and primary.confidential:
        return True
    rid = _release_id(conn, name)
    return conn.execute(select(disclosure_cell.c.id).where(and_(
        disclosure_cell.c.release_id == rid, disclosure_cell.c.series_id == row.id,
        disclosure_cell.c.time_period == time))).first() is not None
