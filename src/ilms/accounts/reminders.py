"""Deadline reminders: for a collection round, one message in the outbox to each focal point of
each country that has not yet had a submission accepted, with the deadline and what is missing."""
from __future__ import annotations

from sqlalchemy import Connection

from ..collect import rounds
from . import accounts, outbox


def remind(conn: Connection, round_name: str) -> int:
    """Queue the reminders of a round; returns how many messages were queued."""
    row, states = rounds.status(conn, round_name)
    people = [a for a in accounts.listing(conn) if a.role == accounts.FOCAL_POINT and not a.disabled]
    queued = 0
    for state in states:
        if state.state in ("accepted", "published"):
            continue
        missing = "; ".join(f"{year}: tables {', '.join(map(str, tables))}" for year, tables in state.missing.items()
                            if tables) or "nothing held is missing"
        late = f" It is {state.overdue_days} day(s) overdue." if state.overdue_days else ""
        for who in (a for a in people if state.country in a.countries):
            outbox.queue(conn, who.email or who.name,
                         f"ILMS: {row.name} — {state.country} questionnaire due {row.deadline:%Y-%m-%d}",
                         f"The round {row.name} asks {state.country} for {row.years} by {row.deadline:%Y-%m-%d} "
                         f"(status: {state.state}).{late} Not held yet: {missing}. "
                         "Download the prefilled questionnaire at /collect.")
            queued += 1
    return queued
