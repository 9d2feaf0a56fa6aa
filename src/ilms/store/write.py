"""Write observations with full history: nothing is overwritten, nothing is lost.

``write`` runs inside the caller's transaction: a failure anywhere leaves the database as it was
when the transaction began (callers use ``with engine.begin() as conn``).
"""
from __future__ import annotations

from itertools import islice
from typing import Callable, Iterable, Iterator

from sqlalchemy import Connection, and_, select, tuple_, update

from ..observation import Observation
from ..tables import structure
from .changesets import Summary, close_changeset, open_changeset
from .schema import observation, series

BATCH = 2000


class StoreError(ValueError):
    """Input the store refuses (duplicate cell, wrong key length, unknown table)."""


def series_key(key: tuple[str, ...]) -> str:
    return ".".join(key)


def series_row(table_no: int, key: tuple[str, ...]) -> dict:
    own = list(key[4:]) + [None] * (3 - len(key[4:]))
    return {"table_no": table_no, "series_key": series_key(key), "ref_area": key[0], "source": key[1],
            "basis": key[2], "sex": key[3], "c1": own[0], "c2": own[1], "c3": own[2]}


def version_row(obs: Observation, series_id: int, changeset_id: int, *, deleted: bool = False) -> dict:
    return {"series_id": series_id, "time_period": obs.time, "value": None if deleted else obs.value,
            "status": obs.status or None, "confidential": bool(obs.confidential),
            "note_classif": obs.note_classif or None, "note_indicator": obs.note_indicator or None,
            "note_source": obs.note_source or None, "comment": obs.comment or None,
            "unit_mult": obs.unit_mult or structure().table(obs.table).unit.unit_mult,
            "currency": obs.currency or None,
            "decimals": obs.decimals, "provenance": obs.provenance, "deleted": deleted,
            "valid_from": changeset_id, "valid_to": None}


_PAYLOAD = ("value", "status", "confidential", "note_classif", "note_indicator", "note_source",
            "comment", "unit_mult", "currency")


def _same(current, new: dict) -> bool:
    return not current.deleted and all(current._mapping[c] == new[c] for c in _PAYLOAD)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def series_ids(conn: Connection, wanted: dict[tuple[int, str], dict]) -> dict[tuple[int, str], int]:
    """Ids of the series ``(table_no, series_key)``; creates the missing ones."""
    found = existing_series(conn, list(wanted))
    missing = [p for p in wanted if p not in found]
    if missing:
        conn.execute(series.insert(), [wanted[p] for p in missing])
        found.update(existing_series(conn, missing))
    return found


_VERSION_COLUMNS = ("series_id", "time_period", "value", "status", "confidential", "note_classif",
                    "note_indicator", "note_source", "comment", "unit_mult", "currency", "decimals",
                    "provenance", "deleted", "valid_from", "valid_to")


_SQLITE_INSERT = (f"INSERT INTO observation ({', '.join(_VERSION_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(_VERSION_COLUMNS))})")


def _insert_versions(conn: Connection, rows: list[dict]) -> None:
    _insert_version_tuples(conn, [tuple(row[c] for c in _VERSION_COLUMNS) for row in rows])


#: PostgreSQL's types of ``_VERSION_COLUMNS`` (``schema.observation``), for a binary COPY
_VERSION_PG_TYPES = ("int8", "varchar", "float8", "varchar", "bool", "text", "text", "text", "text", "varchar",
                     "varchar", "int2", "text", "bool", "int8", "int8")


def _insert_version_tuples(conn: Connection, rows: list[tuple]) -> None:
    """Insert versions (tuples in ``_VERSION_COLUMNS`` order): PostgreSQL's COPY (several times
    faster than executemany), binary (no number formatted by the client and parsed by the server:
    a third of the client's CPU and about a tenth of the server's for the COPY), inside the
    caller's transaction; executemany elsewhere."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        cursor = conn.connection.dbapi_connection.cursor()
        with cursor.copy(f"COPY observation ({', '.join(_VERSION_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(_VERSION_PG_TYPES)
            write_row = copy.write_row
            for row in rows:
                write_row(row)
        cursor.close()
    elif conn.dialect.name == "sqlite":
        # the driver's executemany with plain tuples: SQLAlchemy's per-row parameter processing
        # cost more than SQLite's own insert (the values are already what the columns store)
        conn.exec_driver_sql(_SQLITE_INSERT, rows)
    else:
        conn.execute(observation.insert(), [dict(zip(_VERSION_COLUMNS, row)) for row in rows])


def existing_series(conn: Connection, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    found = {}
    for chunk in _batches(pairs, 500):
        rows = conn.execute(select(series.c.id, series.c.table_no, series.c.series_key)
                            .where(tuple_(series.c.table_no, series.c.series_key).in_(chunk)))
        found.update({(r.table_no, r.series_key): r.id for r in rows})
    return found


def _check_key(obs: Observation) -> None:
    try:
        table = structure().table(obs.table)
    except KeyError as exc:
        raise StoreError(f"{obs.provenance or 'observation'}: {exc.args[0]}") from None
    if len(obs.key) != len(table.dimensions):          # == len(key_order), without building it per row
        raise StoreError(f"{obs.provenance or 'observation'}: table {obs.table} needs a key of "
                         f"{len(table.key_order)} codes ({'.'.join(table.key_order)}), got {'.'.join(obs.key)}")


def write(conn: Connection, observations: Iterable[Observation], *, kind: str, by: str,
          reason: str | None = None, file_name: str | None = None, file_sha256: str | None = None,
          progress: Callable[[int], None] | None = None) -> Summary:
    """Add or revise observations; an unchanged value is left alone (no new version)."""
    summary = Summary(open_changeset(conn, kind, by, reason, file_name, file_sha256))
    seen: dict[tuple, str | None] = {}
    for batch in _batches(observations, BATCH):
        for obs in batch:
            _check_key(obs)
            cell = obs.cell()
            if cell in seen:
                raise StoreError(f"{obs.provenance or 'observation'}: the same cell is given twice "
                                 f"(first at {seen[cell] or '?'}): table {obs.table}, "
                                 f"{series_key(obs.key)}, {obs.time}")
            seen[cell] = obs.provenance
        _write_batch(conn, batch, summary, deleting=False)
        if progress:
            progress(len(batch))
    close_changeset(conn, summary)
    return summary


def delete(conn: Connection, cells: Iterable[tuple[int, tuple[str, ...], str]], *, by: str,
           reason: str | None = None) -> Summary:
    """Delete cells (table, key, time): each gets a tombstone version; older versions stay."""
    summary = Summary(open_changeset(conn, "delete", by, reason))
    obs = [Observation(t, tuple(k), time, None) for t, k, time in cells]
    for batch in _batches(obs, BATCH):
        _write_batch(conn, batch, summary, deleting=True)
    close_changeset(conn, summary)
    return summary


def _write_batch(conn: Connection, batch: list[Observation], summary: Summary, *, deleting: bool) -> None:
    # one row per series, not per observation (a batch holds whole series of many periods)
    wanted = {(t, series_key(k)): series_row(t, k) for t, k in dict.fromkeys((o.table, o.key) for o in batch)}
    if deleting:
        ids = existing_series(conn, list(wanted))
    else:
        ids = series_ids(conn, wanted)
    current = {}
    sids = sorted(set(ids.values()))
    for chunk in _batches(sids, 500):
        rows = conn.execute(select(observation).where(and_(observation.c.series_id.in_(chunk),
                                                           observation.c.valid_to.is_(None))))
        current.update({(r.series_id, r.time_period): r for r in rows})
    inserts, retire = [], []
    for obs in batch:
        sid = ids.get((obs.table, series_key(obs.key)))
        old = current.get((sid, obs.time)) if sid is not None else None
        if deleting:
            if old is None or old.deleted:
                summary.unchanged += 1
                continue
            retire.append(old.id)
            inserts.append(version_row(obs, sid, summary.changeset_id, deleted=True))
            summary.deleted += 1
            continue
        new = version_row(obs, sid, summary.changeset_id)
        if old is None or old.deleted:
            summary.added += 1
        elif _same(old, new):
            summary.unchanged += 1
            continue
        else:
            summary.changed += 1
        if old is not None:
            retire.append(old.id)
        inserts.append(new)
    for chunk in _batches(retire, 500):
        conn.execute(update(observation).where(observation.c.id.in_(chunk))
                     .values(valid_to=summary.changeset_id))
    if inserts:
        _insert_versions(conn, inserts)



# ------------------------------------------------------------------------------------------ the fast path

_CURRENT_COLUMNS = ", ".join(f"o.{c}" for c in ("id", "series_id", "time_period", "deleted", *_PAYLOAD))


def write_rows(conn: Connection, batches: Iterable[list[tuple]], *, kind: str, by: str,
               reason: str | None = None, file_name: str | None = None, file_sha256: str | None = None,
               progress: Callable[[int], None] | None = None) -> Summary:
    """``write`` for rows as plain tuples in ``Observation``'s field order (table, key, time, value,
    status, confidential, note_classif, note_indicator, note_source, comment, unit_mult, currency,
    decimals, provenance), a list of them per batch: the same checks, errors, versions and summary
    as ``write`` of the same observations, without an object or a dict per row. Series are looked
    up once per write; the current versions are read only for series that existed before it, one
    index seek per cell; a version is compared with the current one as one tuple."""
    summary = Summary(open_changeset(conn, kind, by, reason, file_name, file_sha256))
    state: dict[tuple[int, tuple], _Series] = {}      # (table, key) -> its id, whether new, periods seen
    units: dict[int, str] = {}                        # table -> its unit's multiplier
    last = None
    for rows in batches:
        for row in rows:
            # rows of a series come together, with the same key object: most rows skip the lookup
            if last is None or row[1] is not last.key or row[0] != last.table:
                last = state.get((row[0], row[1]))
                if last is None:
                    _check_key(_RowKey(row))
                    last = state[(row[0], row[1])] = _Series(row[0], row[1])
            seen = last.seen
            if row[2] in seen:
                raise StoreError(f"{row[13] or 'observation'}: the same cell is given twice "
                                 f"(first at {seen[row[2]] or '?'}): table {row[0]}, {series_key(row[1])}, {row[2]}")
            seen[row[2]] = row[13]
        _write_rows_batch(conn, rows, summary, state, units)
        if progress:
            progress(len(rows))
    close_changeset(conn, summary)
    return summary


class _Series:
    """What ``write_rows`` keeps of a series: the periods given (and where), its id, whether it was
    created by this write (then no cell of it has a current version)."""
    __slots__ = ("table", "key", "seen", "id", "new")

    def __init__(self, table: int, key: tuple):
        self.table, self.key, self.seen, self.id, self.new = table, key, {}, None, False


class _RowKey:
    """What ``_check_key`` reads of an observation, from a row."""
    __slots__ = ("table", "key", "provenance")

    def __init__(self, row: tuple):
        self.table, self.key, self.provenance = row[0], row[1], row[13]


def _pairs_select(conn: Connection, columns: str, table: str, where: str, types: tuple[str, str],
                  pairs: list[tuple]) -> list[tuple]:
    """``columns`` of the rows of ``table`` that match a pair ``(v.column1, v.column2)`` of ``pairs``,
    one index seek per pair (``where`` compares with ``v.column1``/``v.column2``), on the driver's
    cursor. SQLite: a VALUES list of 500 pairs at a time, CROSS JOIN keeping it the outer loop.
    PostgreSQL: all the pairs as two arrays (``unnest``, of the SQL ``types``: one short statement
    whatever their number, not a text of thousands of parameters for the driver to split), LATERAL
    with ``OFFSET 0`` (which keeps the planner from flattening it): an index scan per pair whatever
    the statistics say (right after a large load they are stale, and the hash join then chosen read
    every current version of the table for each chunk: EXPLAIN ANALYZE, 50,400 versions, 20-41 ms
    -> 0.5 ms), never prepared (the driver prepares a statement run five times, and the generic plan
    of one prepared while the table was still nearly empty scanned the whole of it per pair: 50-118 ms
    a batch late in a first load of 2,592 series, 2.3 s of its server's time)."""
    cursor = conn.connection.dbapi_connection.cursor()
    out: list[tuple] = []
    try:
        if conn.dialect.name == "postgresql":
            cursor.execute(f"SELECT {columns} FROM unnest(%s::{types[0]}[], %s::{types[1]}[]) v(column1, column2) "
                           f"CROSS JOIN LATERAL (SELECT * FROM {table} o WHERE {where} OFFSET 0) o",
                           [[p[0] for p in pairs], [p[1] for p in pairs]], prepare=False)
            return cursor.fetchall()
        for chunk in _batches(pairs, 500):
            values = ", ".join(["(?, ?)"] * len(chunk))
            cursor.execute(f"SELECT {columns} FROM (VALUES {values}) v CROSS JOIN {table} o ON {where}",
                           [x for p in chunk for x in p])
            out += cursor.fetchall()
    finally:
        cursor.close()
    return out


def _series_ids(conn: Connection, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    rows = _pairs_select(conn, "o.id, o.table_no, o.series_key", "series",
                         "o.table_no = v.column1 AND o.series_key = v.column2", ("smallint", "text"), pairs)
    return {(t, k): i for i, t, k in rows}


def _current_versions(conn: Connection, cells: list[tuple[int, str]]) -> dict[tuple[int, str], tuple]:
    """The current version of each cell ``(series id, period)`` that has one: ``(id, series_id,
    time_period, deleted, *payload)``, through the index of current versions (``uq_observation_current``)."""
    rows = _pairs_select(conn, _CURRENT_COLUMNS, "observation",
                         "o.series_id = v.column1 AND o.time_period = v.column2 AND o.valid_to IS NULL",
                         ("bigint", "text"), cells)
    return {(r[1], r[2]): r for r in rows}


_SERIES_COLUMNS = ("table_no", "series_key", "ref_area", "source", "basis", "sex", "c1", "c2", "c3")


def _insert_series(conn: Connection, rows: list[dict]) -> dict[tuple[int, str], int]:
    """Insert series (``series_row``s), numbered in the order given (as one INSERT each would
    number them); their ids by ``(table_no, series_key)``. PostgreSQL: one INSERT ... SELECT from
    arrays (``unnest``), RETURNING the ids, not an INSERT per series and a look-up after them (nor
    SQLAlchemy's multi-row VALUES, whose text of thousands of parameters the driver splits at a
    cost). SQLite: executemany, then the look-up."""
    if conn.dialect.name != "postgresql":
        conn.execute(series.insert(), rows)
        return _series_ids(conn, [(r["table_no"], r["series_key"]) for r in rows])
    columns = ", ".join(_SERIES_COLUMNS)
    arrays = ", ".join(f"%s::{'smallint' if c == 'table_no' else 'varchar'}[]" for c in _SERIES_COLUMNS)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(f"INSERT INTO series ({columns}) SELECT {columns} FROM unnest({arrays}) WITH ORDINALITY "
                       f"AS v({columns}, n) ORDER BY n RETURNING id, table_no, series_key",
                       [[r[c] for r in rows] for c in _SERIES_COLUMNS], prepare=False)
        return {(t, k): i for i, t, k in cursor.fetchall()}
    finally:
        cursor.close()


def _write_rows_batch(conn: Connection, rows: list[tuple], summary: Summary, state: dict, units: dict) -> None:
    of_row = []                         # each row's _Series
    s = None
    for r in rows:
        if s is None or r[1] is not s.key or r[0] != s.table:
            s = state[(r[0], r[1])]
        of_row.append(s)
    fresh = [s for s in dict.fromkeys(of_row) if s.id is None]
    if fresh:
        wanted = {(s.table, series_key(s.key)): s for s in fresh}
        found = _series_ids(conn, list(wanted))
        missing = [p for p in wanted if p not in found]
        if missing:
            created = _insert_series(conn, [series_row(t, wanted[(t, k)].key) for t, k in missing])
            for p in missing:
                wanted[p].id, wanted[p].new = created[p], True
        for p, i in found.items():
            wanted[p].id = i
    for t in {r[0] for r in rows}:
        if t not in units:
            units[t] = structure().table(t).unit.unit_mult
    ids = [s.id for s in of_row]
    # only a series that existed before this write can have a current version of a cell
    cells = [(s.id, r[2]) for s, r in zip(of_row, rows) if not s.new]
    current = _current_versions(conn, cells) if cells else {}
    inserts, retire = [], []
    added = changed = unchanged = 0
    cs = summary.changeset_id
    for sid, r in zip(ids, rows):
        new = (sid, r[2], r[3], r[4] or None, bool(r[5]), r[6] or None, r[7] or None, r[8] or None, r[9] or None,
               r[10] or units[r[0]], r[11] or None, r[12], r[13], False, cs, None)
        old = current.get((sid, r[2])) if current else None
        if old is None or old[3]:
            added += 1
        elif old[4:] == new[2:11]:
            unchanged += 1
            continue
        else:
            changed += 1
        if old is not None:
            retire.append(old[0])
        inserts.append(new)
    summary.added += added
    summary.changed += changed
    summary.unchanged += unchanged
    if retire:
        _retire(conn, retire, cs)
    if inserts:
        _insert_version_tuples(conn, inserts)


def _retire(conn: Connection, ids: list[int], changeset_id: int) -> None:
    """End the versions ``ids`` at ``changeset_id`` (``valid_to``). PostgreSQL: one UPDATE of an
    array of ids (not a text of 500 parameters per chunk for the driver to split); elsewhere 500
    at a time."""
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            cursor.execute("UPDATE observation SET valid_to = %s WHERE id = ANY(%s::bigint[])", [changeset_id, ids],
                           prepare=False)
        finally:
            cursor.close()
        return
    for chunk in _batches(ids, 500):
        conn.execute(update(observation).where(observation.c.id.in_(chunk)).values(valid_to=changeset_id))
