"""The release checksum, fast: the same value as ``releases.reference_checksum_at``, at scale.

The reference reads the public cut through ``store.read.observations`` (an ``Observation`` per
row, through SQLAlchemy's result machinery) and hashes ``canonical_line`` of each: about 60,000
observations/s, so minutes at 20 million. Here the *same statement* (``store.read``'s public read
of the whole cut: same rows, same masking inputs, same order) runs on the driver's own cursor
inside the caller's transaction (so a pattern the create hooks just wrote is seen); rows arrive in
``fetchmany`` batches (a server-side cursor on PostgreSQL: memory stays flat), each row becomes
its canonical line through one f-string, and each batch is joined and hashed in one call.

The canonical line replaces a tab or a line break inside a field by a space. Fields almost never
hold one, so a batch is checked as a whole (its text must hold exactly 11 tabs and one line break
per line); a batch that fails the check is serialised again field by field, by the reference rule.
"""
from __future__ import annotations

import hashlib
import uuid
from typing import Iterator, Sequence

from sqlalchemy import Connection

from .read import Selection, _statement

#: rows per fetch
BATCH = 20_000
_TABS = 11      # fields per canonical line, minus one


def fast_checksum(conn: Connection, cut: int, batch: int = BATCH) -> tuple[str, int]:
    digest, n = hashlib.sha256(), 0
    for rows, masked in _batches(conn, cut, batch):
        text = _joined(rows, masked)
        if text.count("\t") != _TABS * len(rows) or text.count("\n") != len(rows):
            text = "".join(_careful_line(row, masked) for row in rows)
        digest.update(text.encode("utf-8"))
        n += len(rows)
    return digest.hexdigest(), n


def _batches(conn: Connection, cut: int, batch: int) -> Iterator[tuple[Sequence[tuple], bool]]:
    stmt = _statement(conn, Selection(cut=cut), public=True)
    masked = len(stmt.selected_columns) > 17          # the "suppressed" column: a pattern applies
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        # a server-side (named) cursor, in the caller's transaction: rows stream
        cursor = raw.cursor(name=f"ilms_checksum_{uuid.uuid4().hex[:12]}")
        sql = compiled.string
    else:
        cursor = raw.cursor()
        sql = sqlite_walk(compiled.string)
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(batch):
            yield rows, masked
    finally:
        cursor.close()


#: SQLite: the same query, planned to walk the series in key order (unique index on table_no,
#: series_key) and each series' versions in period order (index on series_id, time_period,
#: valid_from): rows come out in the ORDER BY's order with no sort at all, where SQLite's own plan
#: scans the valid_from index and sorts the whole cut in a temporary B-tree (gigabytes at 20
#: million observations, nothing before the sort ends). ``CROSS JOIN`` fixes the join order in
#: SQLite (with its ON clause it is the same inner join); unary ``+`` keeps the valid_from index
#: out of the plan (same integer). Both are exact rewrites of one clause each.
_SQLITE_REWRITES = (
    ("FROM observation JOIN series ON series.id = observation.series_id",
     "FROM series CROSS JOIN observation ON series.id = observation.series_id"),
    ("WHERE observation.valid_from <= ", "WHERE +observation.valid_from <= "),
)


def sqlite_walk(sql: str) -> str:
    """``sql`` with the rewrites above; unchanged when any of them does not match exactly once."""
    if all(sql.count(old) == 1 for old, _ in _SQLITE_REWRITES):
        for old, new in _SQLITE_REWRITES:
            sql = sql.replace(old, new)
    return sql


def _joined(rows: Sequence[tuple], masked: bool) -> str:
    """The canonical lines of ``rows`` (columns of ``store.read._COLUMNS``, then ``suppressed``)."""
    out = []
    add = out.append
    for (table_no, key, time, value, status, confidential, n_classif, n_indicator, n_source, comment,
         unit_mult, currency, *rest) in rows:
        hidden = confidential or (masked and rest[-1])
        add(f"{table_no}\t{key}\t{time}\t{'' if hidden or value is None else repr(float(value))}\t"
            f"{status or ''}\t{'C' if hidden else ''}\t{n_classif or ''}\t{n_indicator or ''}\t"
            f"{n_source or ''}\t{unit_mult or ''}\t{currency or ''}\t{comment or ''}\n")
    return "".join(out)


def _careful_line(row: tuple, masked: bool) -> str:
    (table_no, key, time, value, status, confidential, n_classif, n_indicator, n_source, comment,
     unit_mult, currency, *rest) = row
    hidden = bool(confidential) or bool(masked and rest[-1])
    value = "" if hidden or value is None else repr(float(value))
    fields = (str(table_no), key, time, value, status or "", "C" if hidden else "", n_classif or "",
              n_indicator or "", n_source or "", unit_mult or "", currency or "", comment or "")
    return "\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n"
