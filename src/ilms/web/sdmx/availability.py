"""Data availability: which codes of each dimension have data for a query, the time range, and
how many series and observations -- computed in SQL (DISTINCT per key column, MIN/MAX/COUNT),
never by reading the observations.

``mode=exact``: the codes in the data the query returns. ``mode=available``: for each dimension,
the codes that would still return data if added to the query (its own filter left out).
The same counts answer the size check before a data response (``count``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, and_, distinct, exists, func, or_, select, true

from ...store.read import Selection, dimension_column, visible_at
from ...store.schema import observation, series
from ...tables import TIME_DIMENSION, Table


@dataclass(frozen=True)
class Availability:
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)   # dimension -> codes with data
    start: str | None = None
    end: str | None = None
    series_count: int = 0
    obs_count: int = 0


def _observation_conditions(sel: Selection) -> list:
    """The conditions ``read.observations`` applies to the observation rows of a selection."""
    conds = []
    if sel.updated_after is not None:
        conds.append(observation.c.valid_from > sel.updated_after)
        conds.append(observation.c.valid_from <= sel.cut if sel.cut is not None else observation.c.valid_to.is_(None))
    else:
        conds.append(visible_at(sel.cut))
    if not (sel.include_deleted and sel.updated_after is not None):
        conds.append(observation.c.deleted.is_(False))
    if sel.start:
        conds.append(observation.c.time_period >= sel.start)
    if sel.end:
        conds.append(observation.c.time_period <= (sel.end + "~" if len(sel.end) == 4 else sel.end))
    return conds


def _in(sel: Selection, filters: dict[str, tuple[str, ...]]) -> list:
    return [dimension_column(dim, sel.table).in_(list(codes)) for dim, codes in filters.items() if codes]


def _series_conditions(sel: Selection, alternatives: tuple[dict[str, tuple[str, ...]], ...] = ()) -> list:
    """The series of the selection; with ``alternatives`` (several keys), those matching any key."""
    conds = [series.c.table_no == sel.table, *_in(sel, sel.filters)]
    if alternatives:
        conds.append(or_(*(and_(true(), *_in(sel, alt)) for alt in alternatives)))
    return conds


def count(conn: Connection, sel: Selection, alternatives: tuple[dict[str, tuple[str, ...]], ...] = ()
          ) -> tuple[int, int]:
    """(observations, series) the selection reads (matching any of ``alternatives``): one aggregate query."""
    row = conn.execute(
        select(func.count(), func.count(distinct(observation.c.series_id)))
        .select_from(observation.join(series, series.c.id == observation.c.series_id))
        .where(and_(*_series_conditions(sel, alternatives), *_observation_conditions(sel)))).one()
    return int(row[0]), int(row[1])


def _codes(conn: Connection, sel: Selection, dim: str, alternatives=()) -> tuple[str, ...]:
    col = dimension_column(dim, sel.table)
    has_data = exists(select(observation.c.id).where(observation.c.series_id == series.c.id,
                                                     *_observation_conditions(sel)))
    rows = conn.execute(select(col).distinct().where(*_series_conditions(sel, alternatives), has_data)
                        .order_by(col))
    return tuple(r[0] for r in rows if r[0] is not None)


def availability(conn: Connection, table: Table, sel: Selection, components: tuple[str, ...] | None,
                 mode: str = "exact", alternatives: tuple[dict[str, tuple[str, ...]], ...] = ()) -> Availability:
    """``alternatives``: several keys (OR), each as per-dimension codes; ``sel.filters`` their hull."""
    dims = [d for d in table.key_order if components is None or d in components]
    values = {}
    for dim in dims:
        if mode == "exact":
            values[dim] = _codes(conn, sel, dim, alternatives)
        else:   # leave this dimension's own filter out, of the hull and of every key
            own = replace(sel, filters={k: v for k, v in sel.filters.items() if k != dim})
            values[dim] = _codes(conn, own, dim, tuple({k: v for k, v in alt.items() if k != dim}
                                                       for alt in alternatives))
    row = conn.execute(
        select(func.min(observation.c.time_period), func.max(observation.c.time_period), func.count(),
               func.count(distinct(observation.c.series_id)))
        .select_from(observation.join(series, series.c.id == observation.c.series_id))
        .where(and_(*_series_conditions(sel, alternatives), *_observation_conditions(sel)))).one()
    want_time = components is None or TIME_DIMENSION in components
    return Availability(values, row[0] if want_time else None, row[1] if want_time else None,
                        int(row[3]), int(row[2]))
