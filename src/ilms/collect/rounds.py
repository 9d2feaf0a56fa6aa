"""Collection rounds: a curator asks countries for reference years by a deadline.

Opening a round writes each country's questionnaires (one workbook per country and year,
prefilled where data exists); the dashboard says where each country stands.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select

from ..store import changesets
from ..store.schema import collection_round, observation, series, submission
from ..tables import structure

NOT_STARTED = "not started"
#: a country's state is its most advanced submission's
_RANK = {"received": 1, "checked": 1, "returned": 2, "accepted": 3, "published": 4}


class RoundError(ValueError):
    pass


def resolve_countries(spec: str) -> list[str]:
    """``THA,VNM`` or a region id (``ASEAN``: its members today) -> country codes."""
    s = structure()
    out: list[str] = []
    for part in (p.strip().upper() for p in spec.split(",") if p.strip()):
        if part in s.regions:
            out += s.regions[part].members_on(dt.date.today())
        elif part in s.codelists["CL_COUNTRY"]:
            out.append(part)
        else:
            raise RoundError(f"--countries: {part!r} is neither a country code nor a region "
                             f"({', '.join(s.regions)})")
    return sorted(set(out))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def get(conn: Connection, name: str):
    row = conn.execute(select(collection_round).where(collection_round.c.name == name)).first()
    if row is None:
        raise RoundError(f"no collection round named {name!r}")
    return row


def open_round(conn: Connection, name: str, *, years: list[int], deadline: dt.date, countries: list[str],
               by: str, out_dir: Path | None = None, prefill: bool = True) -> list[Path]:
    if conn.execute(select(collection_round.c.id).where(collection_round.c.name == name)).first():
        raise RoundError(f"a collection round named {name!r} exists already")
    if not countries or not years:
        raise RoundError("a round needs at least one country and one reference year")
    conn.execute(collection_round.insert().values(
        name=name, years=",".join(str(y) for y in sorted(years)), countries=",".join(countries),
        deadline=dt.datetime.combine(deadline, dt.time(23, 59, 59), dt.timezone.utc),
        opened_at=changesets.now(), opened_by=by))
    written = []
    if out_dir is not None:
        from .questionnaire.writer import write_questionnaire
        out_dir.mkdir(parents=True, exist_ok=True)
        for country in countries:
            for year in sorted(years):
                path = out_dir / f"{country}_{year}.xlsx"
                write_questionnaire(path, conn, country, year, prefill=prefill)
                written.append(path)
    return written


def close_round(conn: Connection, name: str, *, by: str) -> None:
    row = get(conn, name)
    if row.closed_at is not None:
        raise RoundError(f"round {name!r} is closed already")
    conn.execute(collection_round.update().where(collection_round.c.id == row.id)
                 .values(closed_at=changesets.now(), closed_by=by))


@dataclass
class CountryStatus:
    country: str
    state: str
    submissions: list[int] = field(default_factory=list)
    missing: dict[str, list[int]] = field(default_factory=dict)   # year -> tables with no data held
    overdue_days: int = 0


def tables_held(conn: Connection, country: str, year: str) -> set[int]:
    rows = conn.execute(select(series.c.table_no).distinct().join(observation, observation.c.series_id == series.c.id)
                        .where(series.c.ref_area == country, observation.c.time_period == year,
                               observation.c.valid_to.is_(None), observation.c.deleted.is_(False)))
    return {r[0] for r in rows}


def status(conn: Connection, name: str, *, today: dt.datetime | None = None) -> tuple[object, list[CountryStatus]]:
    """The dashboard: per country, its state, what is missing against the 17 tables, days overdue."""
    row = get(conn, name)
    now = _aware(today or changesets.now())
    years = row.years.split(",")
    subs = conn.execute(select(submission.c.id, submission.c.ref_area, submission.c.status)
                        .where(submission.c.round_id == row.id).order_by(submission.c.id)).fetchall()
    out = []
    for country in row.countries.split(","):
        mine = [s for s in subs if s.ref_area == country]
        state = max((s.status for s in mine), key=lambda st: _RANK.get(st, 0), default=NOT_STARTED)
        missing = {y: sorted(set(structure().tables) - tables_held(conn, country, y)) for y in years}
        done = state in ("accepted", "published")
        late = (now.date() - _aware(row.deadline).date()).days if not done and now > _aware(row.deadline) else 0
        out.append(CountryStatus(country, state, [s.id for s in mine], missing, max(late, 0)))
    return row, out


def open_rounds(conn: Connection, countries: list[str] | tuple[str, ...] | None = None) -> list:
    """Rounds not closed, newest first; with ``countries``, only those asking any of them."""
    rows = conn.execute(select(collection_round).where(collection_round.c.closed_at.is_(None))
                        .order_by(collection_round.c.id.desc())).fetchall()
    if countries is None:
        return rows
    return [r for r in rows if set(r.countries.split(",")) & set(countries)]
