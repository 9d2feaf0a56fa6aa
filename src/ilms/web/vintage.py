"""Which vintage of the data a public request reads.

* ``release=NAME``: that release, if it is published (an unpublished one does not exist here);
* ``as_of=TIME``: the data as it stood then, never past the latest published release;
* neither: the latest published release; before the first release, the current data (and the
  response says so).

The result is always a cut (a changeset id), so a response streams one consistent state.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, exists, select

from ..store import changesets, releases
from ..store.releases import Release
from ..store.schema import changeset
from .errors import bad_parameter, not_found
from .models import SYNTHETIC_NOTICE

#: changeset kinds whose data are synthetic
SYNTHETIC_KINDS = ("demo",)


@dataclass(frozen=True)
class Vintage:
    basis: str                       # release | as_of | current
    cut: int
    release: Release | None = None
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
    if release is not None and as_of is not None:
        raise bad_parameter("as_of", "give either release or as_of, not both")
    if release is not None:
        found = published(conn, release)
        return Vintage("release", found.cut, found, synthetic=found.synthetic)
    latest = releases.latest_published(conn)
    if as_of is not None:
        cut = changesets.cut_at(conn, as_of)
        notes = ()
        if latest is None:
            notes = ("no release has been published yet: current data as of the given time",)
        elif cut > latest.cut:
            cut = latest.cut
            notes = (f"as_of is later than the latest published release {latest.name!r}: "
                     "data after it are not published yet",)
        return Vintage("as_of", cut, as_of=as_of, synthetic=_synthetic_before(conn, cut), notes=notes)
    if latest is not None:
        return Vintage("release", latest.cut, latest, synthetic=latest.synthetic)
    cut = changesets.latest(conn)
    return Vintage("current", cut, synthetic=_synthetic_before(conn, cut),
                   notes=("no release has been published yet: this is current data and may change",))
