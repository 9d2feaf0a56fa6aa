"""UN DESA International Migrant Stock as context: regional stock, intra-regional share, corridors.

Read from the current context datasets (``store.context``), summed in SQL. Both sexes are the
published both-sexes figure where the dataset has one, else male + female (the long CSV layout
has only those; UN DESA's totals are their sum). Regional figures use the members of the region
in the year (on 31 December), and state which members the dataset lacks.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from ..collect.undesa import SERIES
from ..store import context as store
from ..store.schema import context_value
from ..tables import Region
from .vintage import AnalysisError

NOT_COUNTRIES = ("TOTAL",)


@dataclass(frozen=True)
class Dataset:
    id: int
    revision: str
    layout: str
    file_name: str
    file_sha256: str
    citation: str

    def reference(self) -> str:
        return f"UN DESA International Migrant Stock {self.revision} ({self.layout}; file {self.file_name}, " \
               f"sha256 {self.file_sha256[:12]}...)"


def dataset(conn: Connection, layout: str, revision: str | None = None, *, required: bool = True) -> Dataset | None:
    row = store.current(conn, SERIES, layout, revision)
    if row is None:
        if required:
            raise AnalysisError(f"no UN DESA International Migrant Stock ({layout}) is loaded: "
                                "`ilms load` one of its files first")
        return None
    return Dataset(row.id, row.revision, row.layout, row.file_name, row.file_sha256, row.citation or "")


def _sexes(conn: Connection, ds: Dataset) -> tuple[str, ...]:
    has_total = conn.execute(select(context_value.c.id).where(context_value.c.dataset_id == ds.id,
                                                              context_value.c.sex == "SEX_T").limit(1)).first()
    return ("SEX_T",) if has_total else ("SEX_M", "SEX_F")


def years(conn: Connection, ds: Dataset) -> list[int]:
    return [y for (y,) in conn.execute(select(context_value.c.year).where(context_value.c.dataset_id == ds.id)
                                       .distinct().order_by(context_value.c.year))]


@dataclass(frozen=True)
class RegionStock:
    region: str
    year: int
    value: float | None          # persons; None when a member is missing (no sum of a part)
    members: tuple[str, ...]
    missing: tuple[str, ...]
    dataset: Dataset


def region_stock(conn: Connection, region: Region, year: int, revision: str | None = None) -> RegionStock:
    """International migrant stock in the region's members (destinations), both sexes, persons."""
    ds = dataset(conn, "totals", revision)
    members = region.members_in(year)
    rows = dict(conn.execute(
        select(context_value.c.destination, func.sum(context_value.c.value))
        .where(context_value.c.dataset_id == ds.id, context_value.c.origin == "TOTAL",
               context_value.c.sex.in_(_sexes(conn, ds)), context_value.c.year == year,
               context_value.c.destination.in_(members))
        .group_by(context_value.c.destination)).all())
    missing = tuple(m for m in members if m not in rows)
    return RegionStock(region.id, year, None if missing else float(sum(rows.values())), members, missing, ds)


def area_stock(conn: Connection, area: str, year: int, revision: str | None = None) -> float | None:
    """The stock the file gives for one area (ISO code or M49_<n>), both sexes."""
    ds = dataset(conn, "totals", revision)
    value = conn.execute(select(func.sum(context_value.c.value))
                         .where(context_value.c.dataset_id == ds.id, context_value.c.origin == "TOTAL",
                                context_value.c.sex.in_(_sexes(conn, ds)), context_value.c.year == year,
                                context_value.c.destination == area)).scalar()
    return None if value is None else float(value)


@dataclass(frozen=True)
class IntraRegional:
    region: str
    year: int
    intra: float                 # migrants in members born in another member
    total: float                 # all migrants in members
    share: float                 # percent
    destinations: tuple[str, ...]
    dataset: Dataset


def intra_regional_share(conn: Connection, region: Region, year: int, revision: str | None = None) -> IntraRegional:
    ds = dataset(conn, "origin_destination", revision)
    members = region.members_in(year)
    base = (context_value.c.dataset_id == ds.id, context_value.c.year == year,
            context_value.c.sex.in_(_sexes(conn, ds)), context_value.c.destination.in_(members))
    totals = dict(conn.execute(select(context_value.c.destination, func.sum(context_value.c.value))
                               .where(*base, context_value.c.origin == "TOTAL")
                               .group_by(context_value.c.destination)).all())
    if not totals:
        raise AnalysisError(f"UN DESA {ds.revision}: no origin-destination data for {region.id} in {year}")
    intra = conn.execute(select(func.sum(context_value.c.value))
                         .where(*base, context_value.c.origin.in_(members),
                                context_value.c.origin != context_value.c.destination,
                                context_value.c.destination.in_(list(totals)))).scalar() or 0.0
    total = float(sum(totals.values()))
    return IntraRegional(region.id, year, float(intra), total, 100.0 * float(intra) / total,
                         tuple(sorted(totals)), ds)


@dataclass(frozen=True)
class CorridorStock:
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    year: int
    value: float                 # persons, both sexes


def _is_country(code_col):
    return code_col.notin_(NOT_COUNTRIES) & code_col.notlike("M49\\_%", escape="\\") & \
        code_col.notin_(["OTHER_NORTH", "OTHER_SOUTH"])


def largest_corridors(conn: Connection, region: Region, year: int, n: int = 10, *,
                      revision: str | None = None) -> list[CorridorStock]:
    """The ``n`` largest origin -> destination stocks with a member at either end (countries only)."""
    ds = dataset(conn, "origin_destination", revision)
    members = region.members_in(year)
    v = context_value.c
    total = func.sum(v.value).label("total")
    stmt = (select(v.origin, func.min(v.origin_name), v.destination, func.min(v.destination_name), total)
            .where(v.dataset_id == ds.id, v.year == year, v.sex.in_(_sexes(conn, ds)),
                   _is_country(v.origin), _is_country(v.destination),
                   v.origin.in_(members) | v.destination.in_(members))
            .group_by(v.origin, v.destination)
            .order_by(total.desc(), v.origin, v.destination).limit(n))
    return [CorridorStock(o, on, d, dn, year, float(val)) for o, on, d, dn, val in conn.execute(stmt)]


def corridor_stock(conn: Connection, origin: str, destination: str, year: int, *,
                   revision: str | None = None) -> float | None:
    ds = dataset(conn, "origin_destination", revision, required=False)
    if ds is None:
        return None
    v = context_value.c
    value = conn.execute(select(func.sum(v.value)).where(v.dataset_id == ds.id, v.year == year,
                                                         v.sex.in_(_sexes(conn, ds)), v.origin == origin,
                                                         v.destination == destination)).scalar()
    return None if value is None else float(value)
