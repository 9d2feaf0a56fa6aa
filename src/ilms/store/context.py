"""Context datasets: other organisations' series (UN DESA International Migrant Stock) kept beside
the 17 tables, in tables of their own, with their provenance.

A dataset is one edition (``revision``) of one series in one layout, loaded from one file. Loading
the same edition and layout again replaces it: the earlier load stays on record (file, checksum,
who, when) with ``superseded_at`` set, and its values are removed; loading the very same file
again changes nothing. Queries read the current dataset of each edition and layout.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from ..files import sha256_file
from . import changesets
from .schema import context_dataset, context_value

BATCH = 2000


class ContextError(ValueError):
    pass


@dataclass(frozen=True)
class ContextLoad:
    file: str
    format: str
    series: str
    revision: str
    layout: str
    dataset_id: int
    n_values: int
    replaced: int | None            # the dataset id this load superseded
    unchanged: bool = False
    report = None                   # the load pipeline's validation report: none for context data

    def __str__(self) -> str:
        if self.unchanged:
            return (f"{self.file}: context dataset {self.series} {self.revision} ({self.layout}) unchanged: "
                    "the same file is loaded already")
        text = (f"{self.file}: context dataset {self.series} {self.revision} ({self.layout}): {self.n_values} "
                f"values stored beside the ILMS tables")
        return text + (f", replacing dataset {self.replaced}" if self.replaced else "")


def current(conn: Connection, series: str, layout: str, revision: str | None = None):
    """The current dataset row of a series and layout (the newest edition unless one is named)."""
    stmt = (select(context_dataset).where(context_dataset.c.series == series, context_dataset.c.layout == layout,
                                          context_dataset.c.superseded_at.is_(None)))
    if revision:
        stmt = stmt.where(context_dataset.c.revision == revision)
    return conn.execute(stmt.order_by(context_dataset.c.revision.desc(), context_dataset.c.id.desc())).first()


def datasets(conn: Connection) -> list[dict]:
    rows = conn.execute(select(context_dataset).order_by(context_dataset.c.id))
    return [dict(r._mapping) for r in rows]


def store(conn: Connection, path: Path, series: str, revision: str, layout: str, values: Iterable, *, by: str,
          reason: str | None = None, citation: str | None = None, format: str = "undesa-ims") -> ContextLoad:
    """Store one file's values as the current dataset of its edition, in the caller's transaction."""
    path = Path(path)
    digest = sha256_file(path)
    existing = current(conn, series, layout, revision)
    if existing is not None and existing.file_sha256 == digest:
        return ContextLoad(path.name, format, series, revision, layout, existing.id, existing.n_values, None, True)
    when = changesets.now()
    if existing is not None:
        conn.execute(update(context_dataset).where(context_dataset.c.id == existing.id).values(superseded_at=when))
        conn.execute(delete(context_value).where(context_value.c.dataset_id == existing.id))
    dataset_id = conn.execute(insert(context_dataset).values(
        series=series, revision=revision, layout=layout, file_name=path.name, file_sha256=digest, loaded_at=when,
        loaded_by=by, reason=reason, n_values=0, citation=citation).returning(context_dataset.c.id)).scalar_one()
    seen: dict[tuple, float] = {}
    batch: list[dict] = []
    n = 0
    for v in values:
        key = (v.destination, v.origin, v.sex, v.year)
        if key in seen:
            if seen[key] == v.value:
                continue            # an area listed under two groupings (e.g. Oceania, M49 909): same figure
            raise ContextError(f"{path.name}: {v.destination_name} <- {v.origin_name}, {v.sex}, {v.year} appears "
                               f"twice with different values ({seen[key]:g}, {v.value:g})")
        seen[key] = v.value
        batch.append({"dataset_id": dataset_id, "destination": v.destination, "destination_name": v.destination_name,
                      "origin": v.origin, "origin_name": v.origin_name, "sex": v.sex, "year": v.year,
                      "value": v.value})
        if len(batch) >= BATCH:
            conn.execute(insert(context_value), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(insert(context_value), batch)
        n += len(batch)
    conn.execute(update(context_dataset).where(context_dataset.c.id == dataset_id).values(n_values=n))
    return ContextLoad(path.name, format, series, revision, layout, dataset_id, n,
                       existing.id if existing is not None else None)
