"""Load the demonstration dataset into the store and publish it as a synthetic release."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Connection

from ..store import releases, sources as catalogue_store, write
from ..store.changesets import Summary
from . import DEMO_NOTICE
from .catalogue import entry
from .dataset import observations
from .plan import FIRST_YEAR, LAST_YEAR, sources


class DemoError(ValueError):
    pass


@dataclass(frozen=True)
class Loaded:
    release: releases.Release
    summary: Summary
    n_sources: int


def release_name(seed: int) -> str:
    return f"demo-seed-{seed}"


def load(conn: Connection, seed: int, *, by: str, progress: Callable[[int], None] | None = None) -> Loaded:
    """Register the sources, write every observation, create and publish the release, all in the
    caller's transaction (``with engine.begin() as conn``)."""
    name = release_name(seed)
    if releases.get(conn, name) is not None:
        raise DemoError(f"release {name!r} exists already")
    plan = sources(seed)
    for source in plan:
        catalogue_store.upsert(conn, source.code, source.country, **entry(source, seed))
    summary = write.write(conn, observations(seed, plan), kind="demo", by=by,
                          reason=f"{DEMO_NOTICE}: synthetic dataset, seed {seed}", progress=progress)
    description = (f"{DEMO_NOTICE}. Synthetic ILMS dataset (seed {seed}): the 17 tables for the "
                   f"ASEAN countries, {FIRST_YEAR}-{LAST_YEAR}, with invented numbers of plausible size.")
    releases.create(conn, name, by=by, description=description, synthetic=True)
    return Loaded(releases.publish(conn, name, by=by), summary, len(plan))
