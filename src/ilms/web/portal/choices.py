"""What the explorer's filters offer: for each dimension, the codes that still have data given the
other filters, and the years of the table.

One SQL query per (published cut, table, period range) lists the series keys that have data (an
EXISTS per series, never the observations); it is kept per database state
(``store.summaries.memo``). Each request then answers "which codes are still available" from
those keys: a code of dimension D is offered when some series with data has it and matches every
filter on the other dimensions (the ``mode=available`` rule of the SDMX availability service).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sqlalchemy import Connection, exists, select

from ...store.read import dimension_column, visible_at
from ...store.schema import observation, series
from ...store.summaries.memo import per_cut
from ...tables import structure


@dataclass(frozen=True)
class Choices:
    values: dict[str, tuple[str, ...]]     # dimension -> codes offered
    years: tuple[str, ...]                 # the table's years with data


def _period_conditions(cut: int, start: str | None, end: str | None) -> list:
    conds = [observation.c.series_id == series.c.id, visible_at(cut), observation.c.deleted.is_(False)]
    if start:
        conds.append(observation.c.time_period >= start)
    if end:
        conds.append(observation.c.time_period <= (end + "~" if len(end) == 4 else end))
    return conds


@per_cut
def keys_with_data(conn: Connection, cut: int, table_no: int, start: str | None, end: str | None
                   ) -> tuple[tuple[str, ...], ...]:
    """The series keys (codes in key order) of the table that have an observation in the period."""
    table = structure().table(table_no)
    cols = [dimension_column(d, table_no) for d in table.key_order]
    has_data = exists(select(observation.c.id).where(*_period_conditions(cut, start, end)))
    rows = conn.execute(select(*cols).where(series.c.table_no == table_no, has_data))
    return tuple(tuple(r) for r in rows)


@per_cut
def years_with_data(conn: Connection, cut: int, table_no: int) -> tuple[str, ...]:
    periods = conn.execute(
        select(observation.c.time_period).distinct()
        .select_from(observation.join(series, series.c.id == observation.c.series_id))
        .where(series.c.table_no == table_no, visible_at(cut), observation.c.deleted.is_(False)))
    return tuple(sorted({p[0][:4] for p in periods}))


def available(keys, key_order: tuple[str, ...], filters: Mapping[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """For each dimension, the codes of ``keys`` that match every filter on the other dimensions."""
    index = {d: i for i, d in enumerate(key_order)}
    wanted = [(index[d], set(codes), d) for d, codes in filters.items() if codes and d in index]
    out: dict[str, set[str]] = {d: set() for d in key_order}
    for key in keys:
        missed = [d for i, allowed, d in wanted if key[i] not in allowed]
        if len(missed) > 1:
            continue
        if missed:
            out[missed[0]].add(key[index[missed[0]]])
        else:
            for d, i in index.items():
                out[d].add(key[i])
    return out


def choices(conn: Connection, cut: int, table_no: int, filters: Mapping[str, tuple[str, ...]],
            start: str | None, end: str | None) -> Choices:
    table = structure().table(table_no)
    found = available(keys_with_data(conn, cut, table_no, start, end), table.key_order, filters)
    values = {}
    for dim in table.key_order:
        codelist = table.dimension(dim).codelist
        order = {c.id: i for i, c in enumerate(codelist.codes)}
        if dim == "REF_AREA":
            values[dim] = tuple(sorted(found[dim], key=codelist.label))
        else:
            values[dim] = tuple(sorted(found[dim], key=lambda c: (order.get(c, len(order)), c)))
    return Choices(values, years_with_data(conn, cut, table_no))
