"""Data availability: which codes of each dimension have data for a query, the time range, and
how many series and observations -- computed in SQL (DISTINCT per key column, MIN/MAX/COUNT),
never by reading the observations.

``mode=exact``: the codes in the data the query returns. ``mode=available``: for each dimension,
the codes that would still return data if added to the query (its own filter left out).
The same counts answer the size check before a data response (``count``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, String, and_, case, cast, collate, distinct, exists, false, func, not_, or_, select, true

from ...store.read import Selection, dimension_column, visible_at
from ...store.schema import observation, series
from ...tables import TIME_DIMENSION, Table
from .query import ComponentFilter, Condition


@dataclass(frozen=True)
class Availability:
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)   # dimension -> codes with data
    start: str | None = None
    end: str | None = None
    series_count: int = 0
    obs_count: int = 0


# ---------------------------------------------------------------------------- c[...] filters in SQL

#: the observation columns of the attributes a c[...] filter can name (OBS_VALUE: not here)
_ATTRIBUTE_COLUMNS = {
    "OBS_STATUS": lambda t: observation.c.status,
    "OBS_CONF": lambda t: case((observation.c.confidential, "C"), else_="F"),
    "UNIT_MULT": lambda t: func.coalesce(observation.c.unit_mult, t.unit.unit_mult),
    "CURRENCY": lambda t: observation.c.currency,
    "DECIMALS": lambda t: cast(observation.c.decimals, String),
    "NOTE_CLASSIF": lambda t: observation.c.note_classif,
    "NOTE_INDICATOR": lambda t: observation.c.note_indicator,
    "NOTE_SOURCE": lambda t: observation.c.note_source,
    "COMMENT": lambda t: observation.c.comment,
    TIME_DIMENSION: lambda t: observation.c.time_period,
}


def _condition(conn: Connection, column, cond: Condition):
    """One ``op:value`` in SQL, with the stream's semantics (``Condition.holds``): a missing value
    is "", comparisons in byte order, substrings case-sensitive on both backends (no LIKE)."""
    col = func.coalesce(column, "")
    ordered = collate(col, "C") if conn.dialect.name == "postgresql" else collate(col, "BINARY")
    v, n = cond.value, len(cond.value)
    position = func.strpos(col, v) if conn.dialect.name == "postgresql" else func.instr(col, v)
    return {
        "eq": lambda: col == v, "ne": lambda: col != v,
        "lt": lambda: ordered < v, "le": lambda: ordered <= v, "gt": lambda: ordered > v, "ge": lambda: ordered >= v,
        "co": lambda: position > 0, "nc": lambda: position == 0,
        "sw": lambda: and_(func.length(col) >= n, func.substr(col, 1, n) == v),
        "ew": lambda: and_(func.length(col) >= n, func.substr(col, func.length(col) - n + 1, n) == v),
    }[cond.op]()


def _filter(conn: Connection, column, flt: ComponentFilter):
    return or_(false(), *(and_(true(), *(_condition(conn, column, c) for c in alt)) for alt in flt))


def sql_filters(conn: Connection, table: Table, components: dict[str, ComponentFilter]) -> tuple[list, list] | None:
    """The c[...] filters as SQL: (series conditions, observation conditions); None when one of
    them cannot be answered in SQL (``OBS_VALUE``, compared as the stream writes it)."""
    on_series, on_obs = [], []
    for comp, flt in components.items():
        if table.has_dimension(comp):
            on_series.append(_filter(conn, dimension_column(comp, table.number), flt))
        elif comp == "UNIT_MEASURE":
            holds = any(all(c.holds(table.unit.unit_measure) for c in alt) for alt in flt)
            on_series.append(true() if holds else false())
        elif comp in _ATTRIBUTE_COLUMNS:
            on_obs.append(_filter(conn, _ATTRIBUTE_COLUMNS[comp](table), flt))
        else:
            return None
    return on_series, on_obs


def _observation_conditions(sel: Selection, extra: tuple = ()) -> list:
    """The conditions ``read.observations`` applies to the observation rows of a selection
    (and ``extra``: observation-level c[...] filters)."""
    conds = list(extra)
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


def _series_conditions(sel: Selection, alternatives: tuple[dict[str, tuple[str, ...]], ...] = (),
                       extra: tuple = ()) -> list:
    """The series of the selection; with ``alternatives`` (several keys), those matching any key."""
    conds = [series.c.table_no == sel.table, *_in(sel, sel.filters), *extra]
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


def has_data(conn: Connection, sel: Selection, alternatives: tuple[dict[str, tuple[str, ...]], ...] = ()) -> bool:
    """Whether the selection reads any observation (``count`` > 0), stopping at the first."""
    return conn.execute(select(exists(
        select(observation.c.id).select_from(observation.join(series, series.c.id == observation.c.series_id))
        .where(and_(*_series_conditions(sel, alternatives), *_observation_conditions(sel)))))).scalar()


def within_release(sel: Selection, release, limit: int) -> bool:
    """Whether ``sel`` cannot hold more than ``limit`` observations because the release it reads holds
    no more: a plain read at the release's own cut (no history, no changes) is a part of the release,
    whose size (``n_observations``, counted when its checksum was taken) is known. Then the size
    check needs no ``COUNT`` over the selection (as costly as a good part of the read itself)."""
    return (release is not None and sel.cut == release.cut and sel.updated_after is None and not sel.by_version
            and 0 < release.n_observations <= limit)


def _codes(conn: Connection, sel: Selection, dim: str, alternatives=(), filters=((), ())) -> tuple[str, ...]:
    col = dimension_column(dim, sel.table)
    has_data = exists(select(observation.c.id).where(observation.c.series_id == series.c.id,
                                                     *_observation_conditions(sel, filters[1])))
    rows = conn.execute(select(col).distinct().where(*_series_conditions(sel, alternatives, filters[0]), has_data)
                        .order_by(col))
    return tuple(r[0] for r in rows if r[0] is not None)


def availability(conn: Connection, table: Table, sel: Selection, components: tuple[str, ...] | None,
                 mode: str = "exact", alternatives: tuple[dict[str, tuple[str, ...]], ...] = (),
                 filters: dict[str, ComponentFilter] | None = None) -> Availability:
    """``alternatives``: several keys (OR), each as per-dimension codes; ``sel.filters`` their hull;
    ``filters``: the c[...] filters the equality lists of ``sel`` do not hold (operators, attributes)."""
    dims = [d for d in table.key_order if components is None or d in components]
    every = sql_filters(conn, table, filters or {}) or ((), ())
    values = {}
    for dim in dims:
        if mode == "exact":
            values[dim] = _codes(conn, sel, dim, alternatives, every)
        else:   # leave this dimension's own filter out, of the hull and of every key
            own = replace(sel, filters={k: v for k, v in sel.filters.items() if k != dim})
            others = sql_filters(conn, table, {k: v for k, v in (filters or {}).items() if k != dim}) or ((), ())
            values[dim] = _codes(conn, own, dim, tuple({k: v for k, v in alt.items() if k != dim}
                                                       for alt in alternatives), others)
    row = conn.execute(
        select(func.min(observation.c.time_period), func.max(observation.c.time_period), func.count(),
               func.count(distinct(observation.c.series_id)))
        .select_from(observation.join(series, series.c.id == observation.c.series_id))
        .where(and_(*_series_conditions(sel, alternatives, every[0]), *_observation_conditions(sel, every[1])))).one()
    want_time = components is None or TIME_DIMENSION in components
    return Availability(values, row[0] if want_time else None, row[1] if want_time else None,
                        int(row[3]), int(row[2]))
