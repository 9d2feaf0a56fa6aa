"""Changesets: every write to the store is one, with who, when, why and from which file."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from .schema import changeset


def actor(explicit: str | None = None) -> str:
    """Who is acting: ``--by NAME``, else ``ILMS_ACTOR``, else the login name."""
    return explicit or os.environ.get("ILMS_ACTOR") or os.environ.get("USER") or "unknown"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Summary:
    """What a write did: counts of cells added, changed, deleted and left alone."""
    changeset_id: int
    added: int = 0
    changed: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.deleted

    def __str__(self) -> str:
        return (f"{self.added} added, {self.changed} changed, {self.deleted} deleted, "
                f"{self.unchanged} unchanged")


def open_changeset(conn: Connection, kind: str, by: str, reason: str | None = None,
                   file_name: str | None = None, file_sha256: str | None = None) -> int:
    result = conn.execute(changeset.insert().values(
        kind=kind, actor=by, reason=reason, created_at=now(), file_name=file_name, file_sha256=file_sha256))
    return result.inserted_primary_key[0]


def close_changeset(conn: Connection, summary: Summary) -> None:
    conn.execute(changeset.update().where(changeset.c.id == summary.changeset_id).values(
        n_added=summary.added, n_changed=summary.changed, n_deleted=summary.deleted,
        n_unchanged=summary.unchanged))


def cut_at(conn: Connection, when: dt.datetime) -> int:
    """The last changeset id written at or before ``when`` (0 if none): the cut of an as-of query."""
    # times are stored in UTC; a naive time is taken as UTC, an aware one converted (SQLite keeps
    # no offset, so comparing a local time as text would be wrong by the offset)
    when = when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)
    found = conn.execute(select(func.max(changeset.c.id)).where(changeset.c.created_at <= when)).scalar()
    return int(found or 0)


def latest(conn: Connection) -> int:
    return int(conn.execute(select(func.max(changeset.c.id))).scalar() or 0)


def get(conn: Connection, changeset_id: int):
    return conn.execute(select(changeset).where(changeset.c.id == changeset_id)).mappings().first()


def written_at(conn: Connection, up_to: int) -> dict[int, dt.datetime]:
    """When each changeset up to ``up_to`` was written (id -> created_at, UTC): the validity
    periods of the versions a history answer reports."""
    rows = conn.execute(select(changeset.c.id, changeset.c.created_at).where(changeset.c.id <= up_to))
    return {r[0]: (r[1] if r[1].tzinfo else r[1].replace(tzinfo=dt.timezone.utc)) for r in rows}
