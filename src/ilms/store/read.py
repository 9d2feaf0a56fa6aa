"""Read slices of the store, current or as of a past cut, streaming; confidential values masked.

Every public output goes through ``observations(..., public=True)``: a value flagged confidential
comes out with its flags and no number, and so does a cell of a release's secondary suppression
pattern (``ilms.disclosure``): it comes out flagged confidential, like a primary one. The pattern
of a read at a release's cut is that release's; any other public read (as of a past time, or the
current data) masks the cells of every release's pattern. Non-public reads see real values.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Iterator, Mapping

from sqlalchemy import Connection, and_, case, collate, exists, or_, select

from ..observation import Observation
from ..tables import COMMON_DIMENSIONS, TIME_DIMENSION, structure
from .schema import changeset, disclosure_cell, observation, release, series

_COMMON_COLUMNS = dict(zip(COMMON_DIMENSIONS, ("ref_area", "source", "basis", "sex")))
_OWN_COLUMNS = ("c1", "c2", "c3")


@dataclass(frozen=True)
class Selection:
    """What to read. Empty filters mean "everything"."""

    table: int | None = None
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)   # dimension -> codes
    start: str | None = None            # first period (inclusive), e.g. "2015"
    end: str | None = None              # last period (inclusive)
    cut: int | None = None              # changeset id: as of then; None = current
    updated_after: int | None = None    # only versions written after this changeset
    include_deleted: bool = False       # with updated_after: report deletions too
    #: dimensions (and ``TIME_PERIOD``) to sort by instead of the canonical series key and period,
    #: each ascending or with ``:desc`` (e.g. an SDMX message with another dimension at observation,
    #: or a REST ``sort``); () = canonical
    order: tuple[str, ...] = ()
    #: history and changes: the versions of one validity period (written by the same changeset,
    #: replaced by the same later one up to ``cut``, deletion or not) together, oldest first
    by_version: bool = False


@dataclass(frozen=True)
class Version:
    """An observation with where it sits in the history."""
    observation: Observation
    valid_from: int
    valid_to: int | None
    deleted: bool


def dimension_column(dim: str, table_no: int | None):
    if dim in _COMMON_COLUMNS:
        return series.c[_COMMON_COLUMNS[dim]]
    if table_no is None:
        raise KeyError(f"filtering on {dim} needs a table")
    table = structure().table(table_no)
    own = [d.id for d in table.own_dimensions]
    if dim not in own:
        raise KeyError(f"table {table_no} has no dimension {dim}")
    return series.c[_OWN_COLUMNS[own.index(dim)]]


def _ordered(conn: Connection, col):
    """Byte order, the same on SQLite and PostgreSQL (canonical for checksums and paging)."""
    return collate(col, "C") if conn.dialect.name == "postgresql" else collate(col, "BINARY")


def visible_at(cut: int | None):
    if cut is None:
        return observation.c.valid_to.is_(None)
    return and_(observation.c.valid_from <= cut,
                or_(observation.c.valid_to.is_(None), observation.c.valid_to > cut))


def _withheld(cut: int | None):
    """SQL: the cell is in a secondary suppression pattern that applies at ``cut`` (see public_value)."""
    applies = disclosure_cell.c.release_id.is_not(None) if cut is None else \
        or_(disclosure_cell.c.release_id.in_(select(release.c.id).where(release.c.cut == cut)),
            ~exists().where(release.c.cut == cut))
    return exists().where(disclosure_cell.c.series_id == series.c.id,
                          disclosure_cell.c.time_period == observation.c.time_period, applies)


def public_status(cut: int | None):
    """The observation status the public sees at ``cut``: ``C`` for a withheld cell (flagged like a
    primary confidential one), else the stored status. The query must join ``series``."""
    return case((_withheld(cut), "C"), else_=observation.c.status)


def public_value(cut: int | None):
    """The value the public may see at ``cut``, as an SQL expression: NULL when confidential or
    withheld by a release's secondary suppression pattern -- the masking rule of
    ``observations(..., public=True)`` for queries that aggregate in the database. The query must
    join ``series``; the patterns that apply are those of ``suppression_releases``: the release(s)
    cut at ``cut``, else every release with a pattern."""
    return case((observation.c.confidential.is_(True), None), (_withheld(cut), None), else_=observation.c.value)


#: the columns a read returns, in the order ``_from_tuple`` unpacks them (positional: the hot path)
_COLUMNS = (series.c.table_no, series.c.series_key, observation.c.time_period, observation.c.value,
            observation.c.status, observation.c.confidential, observation.c.note_classif,
            observation.c.note_indicator, observation.c.note_source, observation.c.comment,
            observation.c.unit_mult, observation.c.currency, observation.c.decimals, observation.c.provenance,
            observation.c.valid_from, observation.c.valid_to, observation.c.deleted)


def _from_tuple(row, public: bool, suppressed: bool = False) -> Observation:
    (table_no, key, time, value, status, confidential, n_classif, n_indicator, n_source, comment, unit_mult,
     currency, decimals, provenance) = row[:14]
    if public and suppressed:
        confidential = True
    return Observation(table_no, tuple(key.split(".")), time, None if public and confidential else value,
                       status, confidential, n_classif, n_indicator, n_source, comment, unit_mult, currency,
                       decimals, provenance)


def suppression_releases(conn: Connection, cut: int | None) -> list[int]:
    """The releases whose secondary suppression pattern a public read at ``cut`` applies: the
    release(s) cut there, else (an as-of or current read) every release with a pattern."""
    if cut is not None:
        at_cut = [r for (r,) in conn.execute(select(release.c.id).where(release.c.cut == cut).order_by(release.c.id))]
        if at_cut:
            return at_cut
    return [r for (r,) in conn.execute(select(disclosure_cell.c.release_id).distinct()
                                       .order_by(disclosure_cell.c.release_id))]


def suppressed_column(conn: Connection, cut: int | None):
    """A boolean column: the cell is withheld by a suppression pattern (None: no pattern applies)."""
    ids = suppression_releases(conn, cut)
    if not ids or not conn.execute(select(disclosure_cell.c.id).where(disclosure_cell.c.release_id.in_(ids))
                                   .limit(1)).first():
        return None
    return exists().where(disclosure_cell.c.series_id == series.c.id,
                          disclosure_cell.c.time_period == observation.c.time_period,
                          disclosure_cell.c.release_id.in_(ids)).label("suppressed")


def _statement(conn: Connection, sel: Selection, public: bool = False):
    masked = suppressed_column(conn, sel.cut) if public else None
    stmt = select(*_COLUMNS, *([masked] if masked is not None else [])) \
        .join(series, series.c.id == observation.c.series_id)
    if sel.updated_after is not None:
        stmt = stmt.where(observation.c.valid_from > sel.updated_after)
        if sel.cut is not None:
            stmt = stmt.where(observation.c.valid_from <= sel.cut)
        else:
            stmt = stmt.where(observation.c.valid_to.is_(None))
    else:
        stmt = stmt.where(visible_at(sel.cut))
    if not (sel.include_deleted and sel.updated_after is not None):
        stmt = stmt.where(observation.c.deleted.is_(False))
    if sel.table is not None:
        stmt = stmt.where(series.c.table_no == sel.table)
    areas = sel.filters.get("REF_AREA") or ()
    one_area = sel.table is not None and len(areas) == 1
    for dim, codes in sel.filters.items():
        if codes and not (one_area and dim == "REF_AREA"):
            stmt = stmt.where(dimension_column(dim, sel.table).in_(list(codes)))
    if one_area:
        # the series key starts with the area ("THA.BA_453..."): the same rows as ref_area = 'THA',
        # but a range of the (table_no, series_key) index the ORDER BY walks, instead of scanning
        # every series of the table ("/" is the byte after "."). Not both: PostgreSQL would take them
        # as independent, expect a 13th of the series and prefer a full sort of the slice
        key = _ordered(conn, series.c.series_key)
        stmt = stmt.where(key >= areas[0] + ".", key < areas[0] + "/")
    if sel.start:
        stmt = stmt.where(observation.c.time_period >= sel.start)
    if sel.end:
        # "2024" also takes the sub-annual periods of 2024 ("2024Q3", "2024M07"): "~" sorts after them
        stmt = stmt.where(observation.c.time_period <= (sel.end + "~" if len(sel.end) == 4 else sel.end))
    first = []
    if sel.by_version:
        replaced = observation.c.valid_to if sel.cut is None else \
            case((observation.c.valid_to <= sel.cut, observation.c.valid_to), else_=None)
        first = [observation.c.valid_from, replaced.is_(None), replaced, observation.c.deleted]
    if sel.order:
        columns = []
        for item in sel.order:
            dim, _, direction = item.partition(":")
            col = _ordered(conn, observation.c.time_period if dim == TIME_DIMENSION else dimension_column(dim, sel.table))
            columns.append(col.desc() if direction == "desc" else col)
        return stmt.order_by(*first, series.c.table_no, *columns, observation.c.valid_from)
    # versions of one cell (history, deletions) oldest first
    return stmt.order_by(*first, series.c.table_no, _ordered(conn, series.c.series_key),
                         _ordered(conn, observation.c.time_period), observation.c.valid_from)


def _stream(conn: Connection, sel: Selection, batch: int, public: bool):
    # per-statement options: Connection.execution_options() would change the connection itself
    return conn.execute(_statement(conn, sel, public),
                        execution_options={"stream_results": True, "yield_per": batch})


_CURSORS = itertools.count()


def driver_rows(conn: Connection, stmt, batch: int) -> Iterator[list[tuple]]:
    """Run ``stmt`` on the driver's own cursor and yield its rows as the driver's tuples, ``batch`` at
    a time (no SQLAlchemy ``Row`` per row). SQLAlchemy compiles it for the connection's dialect
    (bound parameters, each through its type's bind processor; ``IN`` lists expanded); PostgreSQL
    reads through a server-side (named) cursor, in the connection's transaction, so memory stays
    bounded by the batch whatever the size of the result. Booleans come as the driver gives them
    (0/1 on SQLite)."""
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    for name, bind in compiled.binds.items():
        if name in params:
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                params[name] = process(params[name])
    args = tuple(params[name] for name in compiled.positiontup) if compiled.positional else params
    dbapi = conn.connection.dbapi_connection
    if dialect.name == "postgresql":
        # outside a transaction (an autocommit connection) a server-side cursor must be WITH HOLD
        cursor = dbapi.cursor(name=f"ilms_read_{next(_CURSORS)}", withhold=bool(dbapi.autocommit))
    else:
        cursor = dbapi.cursor()
    try:
        cursor.execute(str(compiled), args)
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        cursor.close()


def _suppressed(row) -> bool:
    return len(row) > 17 and bool(row[17])


def versions(conn: Connection, sel: Selection, *, public: bool = True, batch: int = 5000) -> Iterator[Version]:
    """Stream the selected versions in canonical order (table, series key, period)."""
    for row in _stream(conn, sel, batch, public):
        yield Version(_from_tuple(row, public, _suppressed(row)), row[14], row[15], row[16])


def _observation_maker():
    """``Observation(...)`` with its 14 fields positional, without the frozen dataclass's ``__init__``
    (an ``object.__setattr__`` lookup per field): each slot set through its descriptor, about half
    the cost per row. The same object (tests/store/test_read_fast_path.py)."""
    new = object.__new__
    (s_table, s_key, s_time, s_value, s_status, s_confidential, s_classif, s_indicator, s_source, s_comment,
     s_unit_mult, s_currency, s_decimals, s_provenance) = (Observation.__dict__[f.name].__set__
                                                          for f in dataclass_fields(Observation))

    def make(table, key, time, value, status, confidential, note_classif, note_indicator, note_source, comment,
             unit_mult, currency, decimals, provenance):
        o = new(Observation)
        s_table(o, table)
        s_key(o, key)
        s_time(o, time)
        s_value(o, value)
        s_status(o, status)
        s_confidential(o, confidential)
        s_classif(o, note_classif)
        s_indicator(o, note_indicator)
        s_source(o, note_source)
        s_comment(o, comment)
        s_unit_mult(o, unit_mult)
        s_currency(o, currency)
        s_decimals(o, decimals)
        s_provenance(o, provenance)
        return o
    return make


_make_observation = _observation_maker()


def observations(conn: Connection, sel: Selection, *, public: bool = True, batch: int = 5000) -> Iterator[Observation]:
    """Stream the selected observations in canonical order (the hot path of every output).

    The store's SELECT runs through SQLAlchemy (compilation, parameters, PostgreSQL's server-side
    cursor), but its rows are taken from the driver's cursor as plain tuples, ``batch`` at a time:
    SQLAlchemy's per-row processing cost more than the database's own work. The masking is
    ``_from_tuple``'s, the same rule as ``reference_observations`` (tests/store/test_read_fast_path.py
    compares the two on random data)."""
    make = _make_observation
    last_text, key = None, ()
    for rows in driver_rows(conn, _statement(conn, sel, public), batch):
        for row in rows:
            (table_no, text, time, value, status, confidential, n_classif, n_indicator, n_source, comment,
             unit_mult, currency, decimals, provenance) = row[:14]
            if text != last_text:
                last_text, key = text, tuple(text.split("."))
            # the driver's booleans: 0/1 on SQLite
            confidential = bool(confidential)
            if public:
                if len(row) > 17 and row[17]:
                    confidential = True
                if confidential:
                    value = None
            yield make(table_no, key, time, value, status, confidential, n_classif, n_indicator, n_source,
                       comment, unit_mult, currency, decimals, provenance)


#: the columns of ``public_rows``' tuples, in order: an observation of ``Selection.table`` as the
#: public sees it (value NULL and confidential true where confidential or withheld)
ROW_FIELDS = ("series_key", "time_period", "value", "status", "confidential", "note_classif", "note_indicator",
              "note_source", "comment", "unit_mult", "currency", "decimals")


def _public_row_statement(conn: Connection, sel: Selection):
    """``_statement(..., public=True)`` with the masking done by the database: the value of a
    confidential or withheld cell never reaches Python."""
    stmt = _statement(conn, sel, public=True)
    suppressed = stmt.selected_columns.get("suppressed")
    hidden = observation.c.confidential.is_(True) if suppressed is None else \
        or_(observation.c.confidential.is_(True), suppressed.element)
    columns = dict(zip(ROW_FIELDS, (series.c.series_key, observation.c.time_period,
                                    case((hidden, None), else_=observation.c.value), observation.c.status,
                                    case((hidden, True), else_=False), *(observation.c[f] for f in ROW_FIELDS[5:]))))
    return stmt.with_only_columns(*columns.values(), maintain_column_froms=True)


def public_rows(conn: Connection, sel: Selection, *, batch: int = 5000) -> Iterator[list[tuple]]:
    """``observations(conn, sel, public=True)`` as the driver's tuples (``ROW_FIELDS``), ``batch`` at a
    time: for a writer that formats rows itself (SDMX-CSV, SDMX-JSON, structure-specific SDMX-ML,
    tidy CSV), no ``Observation`` per row. The same rows, order and masking
    (tests/store/test_read_fast_path.py); booleans as the driver gives them."""
    yield from driver_rows(conn, _public_row_statement(conn, sel), batch)


class PublicRead:
    """A public read on a connection of its own, opened when consumed: iterating it gives
    ``observations(..., public=True)``; a writer that can format the driver's tuples takes
    ``row_batches()`` (``public_rows``) instead. Either is read once."""

    def __init__(self, engine, sel: Selection, batch: int = 5000):
        self.engine, self.selection, self.batch = engine, sel, batch

    def __iter__(self) -> Iterator[Observation]:
        with self.engine.connect() as conn:
            yield from observations(conn, self.selection, public=True, batch=self.batch)

    def row_batches(self) -> Iterator[list[tuple]]:
        with self.engine.connect() as conn:
            yield from public_rows(conn, self.selection, batch=self.batch)


def reference_observations(conn: Connection, sel: Selection, *, public: bool = True,
                           batch: int = 5000) -> Iterator[Observation]:
    """``observations`` through SQLAlchemy's rows, one ``_from_tuple`` each: the reference the fast
    path is tested against."""
    for row in _stream(conn, sel, batch, public):
        yield _from_tuple(row, public, _suppressed(row))


def history(conn: Connection, table: int, filters: Mapping[str, tuple[str, ...]] | None = None,
            time: str | None = None, *, public: bool = True):
    """Every version of the selected cells, oldest first, with who wrote it, when and why."""
    masked = suppressed_column(conn, None) if public else None
    stmt = (select(*_COLUMNS, changeset.c.kind, changeset.c.actor, changeset.c.reason, changeset.c.created_at,
                   changeset.c.file_name, *([masked] if masked is not None else []))
            .join(series, series.c.id == observation.c.series_id)
            .join(changeset, changeset.c.id == observation.c.valid_from)
            .where(series.c.table_no == table))
    for dim, codes in (filters or {}).items():
        if codes:
            stmt = stmt.where(dimension_column(dim, table).in_(list(codes)))
    if time:
        stmt = stmt.where(observation.c.time_period == time)
    stmt = stmt.order_by(_ordered(conn, series.c.series_key), observation.c.time_period, observation.c.valid_from)
    for row in conn.execute(stmt):
        suppressed = masked is not None and bool(row.suppressed)
        yield {"observation": _from_tuple(row, public, suppressed), "valid_from": row.valid_from,
               "valid_to": row.valid_to, "deleted": row.deleted, "kind": row.kind, "actor": row.actor,
               "reason": row.reason, "at": row.created_at, "file": row.file_name}
