"""Releases: named cuts in the history, with a checksum anyone can recompute.

A release stores no copy of the data: it is the last changeset it includes (``cut``). Its
checksum is SHA-256 over the canonical serialisation of its public observations (confidential
values and its secondary suppression pattern masked), one line per observation, sorted by table,
series key and period. ``reference_checksum_at`` computes it by that definition;
``checksum_at`` (create, refresh, verify) gives the same value faster (``store.release_checksum``),
and a test compares the two on random data.

Embargo: a release is *published* from its ``published_at`` on. Publishing now sets it to now;
scheduling sets it to a later time, and until then the release is invisible: ``Release.published``
is false and ``latest_published`` skips it, and every public route reads the data through these
(``ilms.web.vintage``), so nothing of it shows before its time.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Connection, select

from .. import crashpoints
from ..observation import Observation
from . import changesets
from .read import Selection, observations
from .schema import release


class ReleaseError(ValueError):
    pass


#: What else happens, in the same transaction, when a release is published: "module:function"
#: names, each called as ``function(conn, release)``. One place lists them all.
PUBLISH_HOOKS: list[str] = [
    "ilms.collect.submissions:mark_published",      # accepted submissions become "published"
]


#: What happens, in the same transaction, when a release is created, before its checksum is taken
#: (so the checksum covers what the public will see): ``function(conn, release)``.
CREATE_HOOKS: list[str] = [
    "ilms.disclosure.protect:protect_release",      # the secondary suppression pattern
]

#: Checks a release must pass before it is published: ``function(conn, release)`` raising
#: ``ReleaseError`` (naming what fails) to refuse; nothing is written then.
PUBLISH_CHECKS: list[str] = [
    "ilms.disclosure.protect:require_protected",    # the disclosure audit
]


def _run(hooks: list[str], conn: Connection, found: "Release") -> None:
    import importlib
    for spec in hooks:
        module, _, func = spec.partition(":")
        getattr(importlib.import_module(module), func)(conn, found)


def _run_publish_hooks(conn: Connection, published: "Release") -> None:
    _run(PUBLISH_HOOKS, conn, published)


def canonical_line(obs: Observation) -> str:
    value = "" if obs.value is None else repr(float(obs.value))
    fields = (str(obs.table), ".".join(obs.key), obs.time, value, obs.status or "",
              "C" if obs.confidential else "", obs.note_classif or "", obs.note_indicator or "",
              obs.note_source or "", obs.unit_mult or "", obs.currency or "", obs.comment or "")
    return "\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n"


def checksum(rows: Iterable[Observation]) -> tuple[str, int]:
    digest, n = hashlib.sha256(), 0
    for obs in rows:
        digest.update(canonical_line(obs).encode("utf-8"))
        n += 1
    return digest.hexdigest(), n


def reference_checksum_at(conn: Connection, cut: int) -> tuple[str, int]:
    """The checksum by its definition: every public observation read as an ``Observation`` and
    serialised by ``canonical_line``. Slow (about 60,000 observations/s); ``checksum_at`` gives
    the same value faster, and tests compare the two."""
    return checksum(observations(conn, Selection(cut=cut), public=True))


def checksum_at(conn: Connection, cut: int) -> tuple[str, int]:
    """SHA-256 and count of the canonical lines of the public cut at ``cut``: the value of
    ``reference_checksum_at``, computed over the same query without building an ``Observation``
    per row (``ilms.store.release_checksum``)."""
    from .release_checksum import fast_checksum
    return fast_checksum(conn, cut)


@dataclass(frozen=True)
class Release:
    name: str
    cut: int
    created_at: object
    created_by: str
    published_at: object
    published_by: str | None
    checksum: str
    n_observations: int
    synthetic: bool
    description: str | None

    @property
    def published(self) -> bool:
        """Public: published, and its time (now, or the time it was scheduled for) has come."""
        return self.published_at is not None and utc(self.published_at) <= changesets.now()

    @property
    def scheduled(self) -> bool:
        """Scheduled for a later time: under embargo until then."""
        return self.published_at is not None and utc(self.published_at) > changesets.now()


def utc(value):
    import datetime as dt
    return value if value is None or value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _from_row(row) -> Release:
    return Release(row.name, row.cut, row.created_at, row.created_by, row.published_at, row.published_by,
                   row.checksum, row.n_observations, row.synthetic, row.description)


#: the longest release name (the column's size)
MAX_NAME = 80


def possible_name(name: str) -> bool:
    """Could ``name`` be a release's name? (No control character, no more than ``MAX_NAME``.)
    Lookups of impossible names find nothing without asking the database (PostgreSQL refuses a
    NUL character in a query's text)."""
    return 0 < len(name) <= MAX_NAME and name.isprintable() and name.strip() == name


def create(conn: Connection, name: str, *, by: str, description: str | None = None,
           synthetic: bool = False) -> Release:
    if not possible_name(name):
        raise ReleaseError(f"{name!r} cannot name a release: 1 to {MAX_NAME} printable characters, "
                           "without spaces at either end")
    if get(conn, name) is not None:
        raise ReleaseError(f"release {name!r} exists already")
    cut = changesets.latest(conn)
    if cut == 0:
        raise ReleaseError("the database holds no data yet: nothing to release")
    conn.execute(release.insert().values(name=name, cut=cut, created_at=changesets.now(), created_by=by,
                                         checksum="", n_observations=0, synthetic=synthetic,
                                         description=description))
    _run(CREATE_HOOKS, conn, get(conn, name))
    created = refresh_checksum(conn, name)
    crashpoints.pause("release:checksummed")
    return created


def refresh_checksum(conn: Connection, name: str) -> Release:
    """(Re)take the checksum of an unpublished release (after its suppression pattern changed)."""
    found = get(conn, name)
    if found.published:
        raise ReleaseError(f"release {name!r} is published: its checksum is final")
    digest, n = checksum_at(conn, found.cut)
    conn.execute(release.update().where(release.c.name == name).values(checksum=digest, n_observations=n))
    return get(conn, name)


def publish(conn: Connection, name: str, *, by: str, at=None) -> Release:
    """Publish now, or schedule for ``at`` (an aware datetime, later than now): the release stays
    under embargo until then. A scheduled release can be rescheduled or published now."""
    found = get(conn, name)
    if found is None:
        raise ReleaseError(f"no release named {name!r}")
    if found.published:
        raise ReleaseError(f"release {name!r} was published on {found.published_at:%Y-%m-%d %H:%M}")
    _run(PUBLISH_CHECKS, conn, found)
    when = changesets.now()
    if at is not None:
        if at.tzinfo is None:
            raise ReleaseError("give the scheduled time with its time zone (e.g. 2026-03-31T09:00Z)")
        if at <= when:
            raise ReleaseError(f"{at.isoformat()} is not in the future: publish now instead")
        when = at
    conn.execute(release.update().where(release.c.name == name)
                 .values(published_at=when, published_by=by))
    published = get(conn, name)
    _run_publish_hooks(conn, published)
    crashpoints.pause("release:published")
    return published


def get(conn: Connection, name: str) -> Release | None:
    if not possible_name(name):
        return None
    row = conn.execute(select(release).where(release.c.name == name)).first()
    return _from_row(row) if row else None


def all_releases(conn: Connection) -> list[Release]:
    return [_from_row(r) for r in conn.execute(select(release).order_by(release.c.cut, release.c.id))]


def latest_published(conn: Connection) -> Release | None:
    """The latest release whose publication time has come (a scheduled one is not yet)."""
    row = conn.execute(select(release).where(release.c.published_at <= changesets.now())
                       .order_by(release.c.published_at.desc(), release.c.id.desc()).limit(1)).first()
    return _from_row(row) if row else None


def verify(conn: Connection, name: str) -> tuple[bool, str, str]:
    """Recompute a release's checksum: (matches, stored, recomputed)."""
    found = get(conn, name)
    if found is None:
        raise ReleaseError(f"no release named {name!r}")
    digest, _ = checksum_at(conn, found.cut)
    return digest == found.checksum, found.checksum, digest
