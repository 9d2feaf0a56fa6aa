"""The audit log: every change made through the web, with the account that made it (who, when,
what, on what, from which form or API route, and for which submission)."""
from __future__ import annotations

import json

from sqlalchemy import Connection, select

from ..store.changesets import now
from ..store.schema import audit_log
from .accounts import Account


def record(conn: Connection, who: Account, action: str, *, target: str | None = None, origin: str | None = None,
           submission_id: int | None = None, detail: dict | None = None) -> None:
    """Write one entry, in the caller's transaction (the change and its record are one)."""
    conn.execute(audit_log.insert().values(
        at=now(), actor=who.name, account_id=who.id, action=action, target=target, origin=origin,
        submission_id=submission_id, detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None))


def entries(conn: Connection, *, limit: int = 200, actor: str | None = None) -> list:
    stmt = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(audit_log.c.actor == actor)
    return conn.execute(stmt).fetchall()
