"""The release calendar: planned releases (``calendar.yaml`` beside this module) and published ones.

``planned()`` reads the plan; ``calendar(conn, today)`` merges it with the published releases:
a planned release not yet published is ``planned`` (or ``delayed`` once its date has passed);
a published release is listed with its publication date and, when it was planned, the planned
date beside it. Unpublished releases in the store are never shown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import yaml
from sqlalchemy import Connection

from ..store import releases


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class Planned:
    name: str
    date: dt.date
    contents: str


def planned(text: str | None = None) -> list[Planned]:
    """The planned releases, by date (from ``calendar.yaml``, or ``text`` in the same form)."""
    if text is None:
        text = resources.files("ilms.publish").joinpath("calendar.yaml").read_text("utf-8")
    raw = yaml.safe_load(text) or {}
    out, seen = [], set()
    for i, entry in enumerate(raw.get("planned") or [], start=1):
        try:
            name, date, contents = str(entry["name"]), entry["date"], str(entry.get("contents") or "").strip()
        except (KeyError, TypeError):
            raise CalendarError(f"calendar entry {i}: give name, date and contents") from None
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                raise CalendarError(f"calendar entry {i} ({name}): date {date!r} is not YYYY-MM-DD") from None
        if not isinstance(date, dt.date):
            raise CalendarError(f"calendar entry {i} ({name}): date must be YYYY-MM-DD")
        if name in seen:
            raise CalendarError(f"calendar: release {name!r} is planned twice")
        seen.add(name)
        out.append(Planned(name, date, contents))
    return sorted(out, key=lambda p: (p.date, p.name))


def calendar(conn: Connection, today: dt.date | None = None, plan: list[Planned] | None = None) -> dict:
    today = today or dt.datetime.now(dt.timezone.utc).date()
    plan = planned() if plan is None else plan
    by_name = {p.name: p for p in plan}
    done = [r for r in releases.all_releases(conn) if r.published]
    done.sort(key=lambda r: (r.published_at, r.cut), reverse=True)
    published_names = {r.name for r in done}
    upcoming = [{"name": p.name, "planned": p.date.isoformat(), "contents": p.contents,
                 "status": "planned" if p.date >= today else "delayed"}
                for p in plan if p.name not in published_names]
    published = [{"name": r.name, "published": r.published_at.date().isoformat(),
                  "planned": by_name[r.name].date.isoformat() if r.name in by_name else None,
                  "contents": by_name[r.name].contents if r.name in by_name else (r.description or ""),
                  "status": "published", "checksum": r.checksum, "synthetic": r.synthetic}
                 for r in done]
    return {"planned": upcoming, "published": published}
