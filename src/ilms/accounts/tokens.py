"""API tokens for machine uploads: ``ilms_<prefix>_<secret>``, printed once. The prefix (not
secret) finds the row; the secret is stored as an Argon2id hash. A token acts as its account (role
and countries), optionally narrowed to some of the account's countries; it can be revoked, and it
stops working when its account is disabled."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from sqlalchemy import Connection, select

from ..store.changesets import now
from ..store.schema import api_token
from . import passwords
from .accounts import Account, AccountError, by_id, get, parse_countries

PREFIX = "ilms"


@dataclass(frozen=True)
class Token:
    prefix: str
    account: str
    label: str | None
    countries: tuple[str, ...] | None
    created_at: object
    revoked_at: object
    last_used_at: object


def create(conn: Connection, name: str, *, label: str | None = None, countries: str | None = None) -> str:
    """A new token for account ``name``; returns the whole token (shown once, never stored)."""
    who = get(conn, name)
    if who is None:
        raise AccountError(f"no account named {name!r}")
    scope = None
    if countries:
        scope = parse_countries(countries)
        if who.countries and not set(scope) <= set(who.countries):
            raise AccountError(f"{name} does not hold {', '.join(sorted(set(scope) - set(who.countries)))}")
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    conn.execute(api_token.insert().values(account_id=who.id, prefix=prefix, token_hash=passwords.hash_secret(secret),
                                           label=label, countries=",".join(scope) if scope else None,
                                           created_at=now()))
    return f"{PREFIX}_{prefix}_{secret}"


def authenticate(conn: Connection, token: str) -> Account | None:
    """The account a token acts as (with the token's narrower countries), or None."""
    parts = (token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    row = conn.execute(select(api_token).where(api_token.c.prefix == parts[1])).first()
    if row is None or row.revoked_at is not None or not passwords.verify(row.token_hash, parts[2]):
        return None
    who = by_id(conn, row.account_id)
    if who is None or who.disabled:
        return None
    conn.execute(api_token.update().where(api_token.c.id == row.id).values(last_used_at=now()))
    if row.countries:
        who = replace(who, countries=tuple(c for c in row.countries.split(",") if c))
    return who


def revoke(conn: Connection, prefix: str) -> None:
    found = conn.execute(api_token.update().where(api_token.c.prefix == prefix, api_token.c.revoked_at.is_(None))
                         .values(revoked_at=now()))
    if found.rowcount == 0:
        raise AccountError(f"no live token {prefix!r}")


def listing(conn: Connection, name: str | None = None) -> list[Token]:
    from ..store.schema import account
    stmt = select(api_token, account.c.name).join(account, account.c.id == api_token.c.account_id)
    if name:
        stmt = stmt.where(account.c.name == name)
    return [Token(r.prefix, r.name, r.label, tuple(r.countries.split(",")) if r.countries else None,
                  r.created_at, r.revoked_at, r.last_used_at)
            for r in conn.execute(stmt.order_by(api_token.c.id))]
