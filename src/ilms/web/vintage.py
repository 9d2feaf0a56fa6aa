"""Which vintage of the data a public request reads — one rule for the JSON API and SDMX REST.

* the release: ``release=NAME`` if it is published (an unpublished one does not exist here),
  else the latest published release; before the first release there is nothing public
  (``NoRelease``);
* ``as_of=TIME`` goes back in time from that release, never past it: unpublished data are never
  served.

The result is always a cut (a changeset id), so a response streams one consistent state.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, exists, select

from ..store import changesets, releases
from ..store.releases import Release
from ..store.schema import changeset
from .errors import ApiError, not_found
from .models import SYNTHETIC_NOTICE

#: changeset kinds whose data are synthetic
SYNTHETIC_KINDS = ("demo",)


class NoRelease(ApiError):
    """Nothing has been published yet."""

    def __init__(self):
        super().__init__(404, "no release has been published yet", "release")


@dataclass(frozen=True)
class Vintage:
    basis: str                       # release | as_of
    cut: int
    release: Release
    as_of: dt.datetime | None = None
    synthetic: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def notice(self) -> str | None:
        return SYNTHETIC_NOTICE if self.synthetic else None


def published(conn: Connection, name: str) -> Release:
    found = releases.get(conn, name)
    if found is None or not found.published:
        raise not_found(f"no published release named {name!r} (see /api/v1/releases)", "release")
    return found


def _synthetic_before(conn: Connection, cut: int) -> bool:
    return bool(conn.execute(select(exists().where(changeset.c.id <= cut)
                                    .where(changeset.c.kind.in_(SYNTHETIC_KINDS)))).scalar())


def resolve(conn: Connection, release: str | None = None, as_of: dt.datetime | None = None) -> Vintage:
    found = published(conn, release) if release is not None else releases.latest_published(conn)
    if found is None:
        raise NoRelease()
    if as_of is None:
        return Vintage("release", found.cut, found, synthetic=found.synthetic)
    cut = changesets.cut_at(conn, as_of)
    if cut >= found.cut:
        return Vintage("release", found.cut, found, as_of=as_of, synthetic=found.synthetic,
                       notes=(f"as_of is not earlier than release {found.name!r}: its data are served; "
                              "data after it are not published yet",))
    return Vintage("as_of", cut, found, as_of=as_of, synthetic=_synthetic_before(conn, cut))
