"""What a revision round starts from: the figures the database holds for one country and year.

The latest published release is the reference (``releases.latest_published``: read as of its
cut); a database with no published release gives its current data. Public values only: a
confidential value comes out without its number (the sheet shows its flag C and an empty cell).

A questionnaire carries one source and one migrant basis per table. When the database holds
several for a table, the one with the most observations is prefilled (ties: the smallest code)
and the others are reported in ``Prefill.left_out``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection

from ...observation import Observation
from ...store import read, releases
from ...tables import structure


@dataclass
class TableData:
    source: str
    basis: str
    currency: str | None = None
    cells: dict[tuple[str, ...], Observation] = field(default_factory=dict)   # key[3:] (SEX, own dims) -> obs


@dataclass
class Prefill:
    origin: str                                    # "release NAME" or "current data"
    tables: dict[int, TableData] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)


def gather(conn: Connection, country: str, year: int) -> Prefill:
    published = releases.latest_published(conn)
    cut = published.cut if published else None
    prefill = Prefill(f"release {published.name}" if published else "current data")
    period = str(year)
    for number in sorted(structure().tables):
        sel = read.Selection(table=number, filters={"REF_AREA": (country,)}, start=period, end=period, cut=cut)
        rows = [o for o in read.observations(conn, sel, public=True) if o.time == period]
        if not rows:
            continue
        counts = Counter((o.key[1], o.key[2]) for o in rows)
        (source, basis), _ = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        for (other_source, other_basis), n in sorted(counts.items()):
            if (other_source, other_basis) != (source, basis):
                prefill.left_out.append(f"table {number}: {n} observations of source {other_source}, "
                                        f"basis {other_basis} (one source per table: {source}, {basis} prefilled)")
        chosen = [o for o in rows if (o.key[1], o.key[2]) == (source, basis)]
        currency = next((o.currency for o in chosen if o.currency), None)
        prefill.tables[number] = TableData(source, basis, currency, {o.key[3:]: o for o in chosen})
    return prefill
