"""Accounts: a name, a role, the countries of a focal point, a password hash; login with throttling."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from ..store.changesets import now
from ..store.schema import account, login_attempt
from ..tables import structure
from . import passwords

ADMIN, CURATOR, FOCAL_POINT = "admin", "curator", "focal-point"
ROLES = {ADMIN: "Administrator: manages accounts; can do what a curator does",
         CURATOR: "Curator: checks, accepts or returns submissions, corrects values, publishes releases",
         FOCAL_POINT: "Focal point: downloads and submits the questionnaires of their countries"}

#: login throttling: this many failed attempts for one name (or from one client) within the window
#: lock further attempts until the window has passed
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


class AccountError(ValueError):
    pass


class Throttled(AccountError):
    pass


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    countries: tuple[str, ...]
    email: str | None
    disabled: bool
    created_at: object

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_curator(self) -> bool:
        return self.role in (CURATOR, ADMIN)


def _from_row(row) -> Account:
    return Account(row.id, row.name, row.role, tuple(c for c in (row.countries or "").split(",") if c),
                   row.email, bool(row.disabled), row.created_at)


def parse_countries(text: str | None) -> tuple[str, ...]:
    codes = tuple(sorted({c.strip().upper() for c in (text or "").split(",") if c.strip()}))
    known = structure().codelists["CL_COUNTRY"]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise AccountError(f"unknown country code(s): {', '.join(unknown)} (ISO 3166-1 alpha-3, e.g. THA)")
    return codes


def _validate(name: str, role: str, countries: tuple[str, ...]) -> None:
    if not name or len(name) > 120 or any(ch.isspace() for ch in name):
        raise AccountError("an account name is 1-120 characters without spaces")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == FOCAL_POINT and not countries:
        raise AccountError("a focal point belongs to at least one country (--country THA,VNM)")
    if role != FOCAL_POINT and countries:
        raise AccountError("only focal points have countries")


def add(conn: Connection, name: str, role: str, *, countries=(), password: str | None = None,
        email: str | None = None) -> Account:
    countries = parse_countries(",".join(countries)) if not isinstance(countries, str) else parse_countries(countries)
    _validate(name, role, countries)
    if get(conn, name) is not None:
        raise AccountError(f"an account named {name!r} exists already")
    if password is not None:
        passwords.check_strength(password)
    conn.execute(account.insert().values(
        name=name, role=role, countries=",".join(countries), email=email, created_at=now(),
        password_hash=passwords.hash_secret(password) if password is not None else None))
    return get(conn, name)


def get(conn: Connection, name: str) -> Account | None:
    row = conn.execute(select(account).where(account.c.name == name)).first()
    return _from_row(row) if row else None


def by_id(conn: Connection, account_id: int) -> Account | None:
    row = conn.execute(select(account).where(account.c.id == account_id)).first()
    return _from_row(row) if row else None


def listing(conn: Connection) -> list[Account]:
    return [_from_row(r) for r in conn.execute(select(account).order_by(account.c.name))]


def update(conn: Connection, name: str, *, role: str | None = None, countries=None,
           disabled: bool | None = None, email: str | None = None) -> Account:
    found = get(conn, name)
    if found is None:
        raise AccountError(f"no account named {name!r}")
    new_role = role or found.role
    new_countries = found.countries if countries is None else parse_countries(
        countries if isinstance(countries, str) else ",".join(countries))
    _validate(name, new_role, new_countries)
    values = {"role": new_role, "countries": ",".join(new_countries)}
    if disabled is not None:
        values["disabled"] = disabled
    if email is not None:
        values["email"] = email or None
    conn.execute(account.update().where(account.c.id == found.id).values(**values))
    if disabled:
        from . import sessions
        sessions.end_all(conn, found.id)
    return get(conn, name)


def set_password(conn: Connection, name: str, password: str) -> None:
    found = get(conn, name)
    if found is None:
        raise AccountError(f"no account named {name!r}")
    passwords.check_strength(password)
    conn.execute(account.update().where(account.c.id == found.id)
                 .values(password_hash=passwords.hash_secret(password)))
    from . import sessions
    sessions.end_all(conn, found.id)


def _failures(conn: Connection, since: dt.datetime, **where) -> int:
    stmt = select(func.count()).select_from(login_attempt).where(login_attempt.c.at >= since,
                                                                 login_attempt.c.ok.is_(False))
    for column, value in where.items():
        stmt = stmt.where(login_attempt.c[column] == value)
    return conn.execute(stmt).scalar_one()


def authenticate(conn: Connection, name: str, password: str, *, client: str | None = None) -> Account:
    """The account for ``name`` and ``password``; every attempt is recorded. Raises ``Throttled``
    after MAX_FAILURES failures within WINDOW (for the name or the client), ``AccountError`` for a
    wrong name or password or a disabled account (one message for all: nothing to probe)."""
    since = now() - WINDOW
    if _failures(conn, since, name=name) >= MAX_FAILURES or (
            client and _failures(conn, since, client=client) >= MAX_FAILURES * 4):
        raise Throttled(f"too many failed logins: try again in {int(WINDOW.total_seconds() // 60)} minutes")
    row = conn.execute(select(account).where(account.c.name == name)).first()
    ok = passwords.verify(row.password_hash if row else None, password) and row is not None and not row.disabled
    conn.execute(login_attempt.insert().values(name=name[:120], client=(client or "")[:64] or None, at=now(), ok=ok))
    if not ok:
        raise AccountError("wrong name or password, or the account is disabled")
    return _from_row(row)
