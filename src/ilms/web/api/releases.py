"""``/api/v1/releases``: published releases, newest first (an unpublished release is not shown)."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection

from ...store import releases
from ..deps import get_conn
from ..errors import ERROR_RESPONSES
from ..models import SYNTHETIC_NOTICE, Links, ReleaseList, ReleaseOut
from ..vintage import published
from . import PREFIX

router = APIRouter(prefix=f"{PREFIX}/releases", tags=["releases"])


def release_out(r) -> ReleaseOut:
    return ReleaseOut(name=r.name, description=r.description, published_at=r.published_at, checksum=r.checksum,
                      n_observations=r.n_observations, synthetic=r.synthetic,
                      notice=SYNTHETIC_NOTICE if r.synthetic else None,
                      links=Links(self=f"{PREFIX}/releases/{r.name}"))


@router.get("", response_model=ReleaseList, summary="Published releases, newest first")
def list_releases(conn: Connection = Depends(get_conn)) -> ReleaseList:
    done = [r for r in releases.all_releases(conn) if r.published]
    done.sort(key=lambda r: (r.published_at, r.cut), reverse=True)
    return ReleaseList(releases=[release_out(r) for r in done])


@router.get("/{name}", response_model=ReleaseOut, responses={404: ERROR_RESPONSES[404]},
            summary="One published release")
def get_release(name: str, conn: Connection = Depends(get_conn)) -> ReleaseOut:
    return release_out(published(conn, name))
