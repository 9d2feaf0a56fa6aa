"""Server-side web sessions. The cookie holds a random value; the database keeps its SHA-256, the
account, the CSRF token of the session and when it expires. Ending a session deletes the row."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, select

from ..store.changesets import now
from ..store.schema import web_session
from .accounts import Account, by_id


@dataclass(frozen=True)
class Session:
    id: int
    account: Account
    csrf: str
    expires_at: dt.datetime


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def start(conn: Connection, who: Account, *, ttl: dt.timedelta) -> tuple[str, Session]:
    """A new session: (cookie value, session)."""
    value = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    at = now()
    sid = conn.execute(web_session.insert().values(token_hash=_digest(value), account_id=who.id, csrf=csrf,
                                                   created_at=at, expires_at=at + ttl)).inserted_primary_key[0]
    return value, Session(sid, who, csrf, at + ttl)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def find(conn: Connection, value: str | None) -> Session | None:
    """The live session of a cookie value (None: none, expired, or its account disabled)."""
    if not value:
        return None
    row = conn.execute(select(web_session).where(web_session.c.token_hash == _digest(value))).first()
    if row is None or _utc(row.expires_at) <= now():
        return None
    who = by_id(conn, row.account_id)
    if who is None or who.disabled:
        return None
    return Session(row.id, who, row.csrf, _utc(row.expires_at))


def csrf_ok(session: Session | None, token: str | None) -> bool:
    return session is not None and bool(token) and hmac.compare_digest(session.csrf, token)


def end(conn: Connection, value: str | None) -> None:
    if value:
        conn.execute(web_session.delete().where(web_session.c.token_hash == _digest(value)))


def end_all(conn: Connection, account_id: int) -> None:
    conn.execute(web_session.delete().where(web_session.c.account_id == account_id))
