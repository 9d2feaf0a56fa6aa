"""Licence and citation of published releases, from ``publication.yaml`` beside this module.

``licence()`` -> :class:`Licence`; ``citation(release, url)`` fills the citation template with
the release's name, publication date, the agency, its checksum and the address of its download
page (``release_url``). ``ILMS_PUBLIC_URL`` is the public address of the service, used where no
request tells it (files built offline); without it the address is a site-relative path.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .bulk_names import release_token

FIELDS = ("name", "published", "agency", "checksum", "url")


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    url: str
    applies_to: str = "data"

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "url": self.url, "applies_to": self.applies_to}


@dataclass(frozen=True)
class Publication:
    licence: Licence
    agency: str
    template: str


@lru_cache(maxsize=1)
def publication() -> Publication:
    raw = yaml.safe_load(resources.files("ilms.publish").joinpath("publication.yaml").read_text("utf-8"))
    template = raw["citation"]
    try:
        template.format(**{f: "" for f in FIELDS})
    except (KeyError, IndexError) as exc:
        raise ValueError(f"publication.yaml: the citation template names an unknown field {exc}; "
                         f"known: {', '.join(FIELDS)}") from None
    return Publication(Licence(**raw["licence"]), raw["agency"], template)


def licence() -> Licence:
    return publication().licence


def public_base() -> str:
    return (os.environ.get("ILMS_PUBLIC_URL") or "").rstrip("/")


def release_path(name: str) -> str:
    return f"/downloads/{release_token(name)}/"


def release_url(name: str, base: str | None = None) -> str:
    """The download page of a release: absolute with a base (or ILMS_PUBLIC_URL), else a path."""
    base = public_base() if base is None else base.rstrip("/")
    return base + release_path(name)


def published_date(when) -> str:
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(dt.timezone.utc)
        return when.date().isoformat()
    return str(when)[:10]


def citation(release, url: str | None = None) -> str:
    """The citation of a published release (``store.releases.Release``)."""
    pub = publication()
    return pub.template.format(name=release.name, published=published_date(release.published_at),
                               agency=pub.agency, checksum=release.checksum,
                               url=url if url is not None else release_url(release.name))
