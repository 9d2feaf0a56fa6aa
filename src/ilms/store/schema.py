"""The database schema (SQLAlchemy Core). Migrations in ``migrations/`` create and evolve it.

History model: an observation row is one *version* of a cell (series x period). A version is
current from the changeset that wrote it (``valid_from``) until the changeset that replaced or
deleted it (``valid_to``, NULL while current). A deletion writes a tombstone version
(``deleted``). Changeset ids grow monotonically, so "as of" a time or a release is "as of a
changeset id": ``valid_from <= cut AND (valid_to IS NULL OR valid_to > cut)``.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
                        MetaData, SmallInteger, String, Table, Text, text)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# BigInteger on PostgreSQL, INTEGER (the rowid alias) on SQLite.
Id = BigInteger().with_variant(Integer, "sqlite")


def byte_order(length: int):
    """A code column compared and sorted in byte order: COLLATE "C" on PostgreSQL, so its indexes
    have the order of the store's reads (``ORDER BY ... COLLATE "C"``); SQLite's BINARY already is."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


changeset = Table(
    "changeset", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),          # load, submission, correction, demo, fetch, delete
    Column("actor", String(120), nullable=False),
    Column("reason", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("file_name", Text),
    Column("file_sha256", String(64)),
    Column("n_added", Integer, nullable=False, server_default="0"),
    Column("n_changed", Integer, nullable=False, server_default="0"),
    Column("n_deleted", Integer, nullable=False, server_default="0"),
    Column("n_unchanged", Integer, nullable=False, server_default="0"),
    Column("report", Text),                              # validation report of what was written (JSON)
    Index(None, "created_at"),
)

source = Table(
    "source", metadata,
    Column("code", String(40), primary_key=True),        # SDMX-safe id, e.g. BA_453 (ILOSTAT BA:453)
    Column("ref_area", String(3), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(2), nullable=False),           # CL_SOURCE_TYPE
    Column("agency", Text),
    Column("periodicity", Text),
    Column("coverage", Text),
    Column("migrant_definition", Text),                  # place of birth / citizenship
    Column("reference_period", Text),
    Column("classifications", Text),                     # e.g. "ISIC Rev.4; ISCO-08; ISCED 2011"
    Column("notes", Text),
    Column("changeset_id", Id, ForeignKey("changeset.id")),
    Index(None, "ref_area"),
)

series = Table(
    "series", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("table_no", SmallInteger, nullable=False),
    Column("series_key", byte_order(200), nullable=False),   # codes joined by "." in the table's key order
    Column("ref_area", String(3), nullable=False),
    Column("source", String(40), ForeignKey("source.code"), nullable=False),
    Column("basis", String(3), nullable=False),
    Column("sex", String(10), nullable=False),
    Column("c1", String(40)),                            # the table's own dimensions, in key order
    Column("c2", String(40)),
    Column("c3", String(40)),
    Index(None, "table_no", "series_key", unique=True),
    Index(None, "table_no", "ref_area"),
    Index(None, "ref_area", "table_no"),
)

observation = Table(
    "observation", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("series_id", Id, ForeignKey("series.id"), nullable=False),
    Column("time_period", byte_order(10), nullable=False),
    Column("value", Float),
    Column("status", String(2)),
    Column("confidential", Boolean, nullable=False, server_default=text("false")),
    Column("note_classif", Text),
    Column("note_indicator", Text),
    Column("note_source", Text),
    Column("comment", Text),
    Column("unit_mult", String(2)),
    Column("currency", String(3)),
    Column("decimals", SmallInteger),
    Column("provenance", Text),
    Column("deleted", Boolean, nullable=False, server_default=text("false")),
    Column("valid_from", Id, ForeignKey("changeset.id"), nullable=False),
    Column("valid_to", Id, ForeignKey("changeset.id")),
    Index(None, "series_id", "time_period", "valid_from"),
    # at most one current version per cell; also the index of every "current" query
    Index("uq_observation_current", "series_id", "time_period", unique=True,
          sqlite_where=text("valid_to IS NULL"), postgresql_where=text("valid_to IS NULL")),
    Index(None, "valid_from"),
    Index(None, "valid_to"),
    # a cross-section (one period, every series) of current versions; beside the valid_to index
    # (a BitmapOr), of any cut. With series_id: never a worse seek than uq_observation_current for a
    # cell (migration 0007). PostgreSQL only: SQLite's planner does not take it (EXPLAIN QUERY PLAN)
    Index(None, "time_period", "series_id", postgresql_where=text("valid_to IS NULL")).ddl_if(dialect="postgresql"),
)

release = Table(
    "release", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("cut", Id, ForeignKey("changeset.id"), nullable=False),   # the last changeset it includes
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("published_by", String(120)),
    Column("checksum", String(64), nullable=False),
    Column("n_observations", Integer, nullable=False),
    Column("synthetic", Boolean, nullable=False, server_default=text("false")),
    Column("description", Text),
)

note = Table(
    "note", metadata,
    Column("code", String(40), primary_key=True),       # e.g. "T2:85"
    Column("type", String(10), nullable=False),         # e.g. "T2"
    Column("text", Text, nullable=False),
)

# --- collection: rounds and submissions (nothing a focal point sends is ever lost) -------------

collection_round = Table(
    "collection_round", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("years", String(200), nullable=False),          # "2023,2024"
    Column("countries", Text, nullable=False),             # "BRN,IDN,..."
    Column("deadline", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("opened_by", String(120), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("closed_by", String(120)),
)

submission = Table(
    "submission", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("round_id", Id, ForeignKey("collection_round.id")),
    Column("ref_area", String(3), nullable=False),
    Column("year", String(10), nullable=False),
    Column("status", String(12), nullable=False),         # received, checked, returned, accepted, published
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_content", LargeBinary, nullable=False),   # the file as sent, kept for ever
    Column("format", String(40), nullable=False),
    Column("n_observations", Integer, nullable=False, server_default="0"),
    Column("n_errors", Integer, nullable=False, server_default="0"),
    Column("n_warnings", Integer, nullable=False, server_default="0"),
    Column("report", Text),                                # the check report (JSON)
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("submitted_by", String(120), nullable=False),
    Column("override_reason", Text),                       # accepted despite errors: why
    Column("changeset_id", Id, ForeignKey("changeset.id")),  # what accepting wrote
    Column("release_name", String(80)),                    # the release that published it
    Index(None, "ref_area", "year"),
    Index(None, "round_id"),
    Index(None, "status"),
)

submission_event = Table(
    "submission_event", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("submission_id", Id, ForeignKey("submission.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("from_status", String(12)),
    Column("to_status", String(12), nullable=False),
    Column("comment", Text),
    Index(None, "submission_id"),
)

# --- context data: other organisations' series beside the 17 tables (never mixed into them) -------

context_dataset = Table(
    "context_dataset", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("series", String(40), nullable=False),          # e.g. UNDESA_IMS (International Migrant Stock)
    Column("revision", String(20), nullable=False),        # the publisher's edition, e.g. 2019
    Column("layout", String(40), nullable=False),          # totals | origin_destination
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    Column("reason", Text),
    Column("n_values", Integer, nullable=False),
    Column("citation", Text),
    Column("superseded_at", DateTime(timezone=True)),     # a later load of the same edition replaced it
    Index(None, "series", "revision", "layout"),
)

context_value = Table(
    "context_value", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dataset_id", Id, ForeignKey("context_dataset.id"), nullable=False),
    Column("destination", String(12), nullable=False),     # ISO 3166-1 alpha-3, or M49_<n> for an area
    Column("destination_name", Text, nullable=False),
    Column("origin", String(12), nullable=False),          # as destination; TOTAL for all origins; NAME for "Other South"...
    Column("origin_name", Text, nullable=False),
    Column("sex", String(10), nullable=False),             # SEX_T, SEX_M, SEX_F
    Column("year", SmallInteger, nullable=False),
    Column("value", Float, nullable=False),                # persons
    Index(None, "dataset_id", "destination", "origin", "sex", "year", unique=True),
    Index(None, "dataset_id", "origin"),
)

# --- statistical disclosure control: each release's secondary suppression pattern ------------
# (``ilms.disclosure``). Cells, never values: the public reads mask them like confidential cells.

disclosure_pattern = Table(
    "disclosure_pattern", metadata,
    Column("release_id", Id, ForeignKey("release.id"), primary_key=True),
    Column("checksum", String(64), nullable=False),          # SHA-256 of the sorted suppressed cells
    Column("n_primary", Integer, nullable=False),
    Column("n_secondary", Integer, nullable=False),
    Column("objective", String(40), nullable=False),         # what the suppression minimised
    Column("protection", Float, nullable=False),             # the required range, share of the value
    Column("seconds", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

disclosure_cell = Table(
    "disclosure_cell", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("release_id", Id, ForeignKey("release.id"), nullable=False),
    Column("series_id", Id, ForeignKey("series.id"), nullable=False),
    Column("time_period", byte_order(10), nullable=False),             # compared with observation's
    Index(None, "release_id", "series_id", "time_period", unique=True),
    Index(None, "series_id", "time_period"),
)

# -- accounts, sessions, tokens, audit, outbox (the web workflow; docs/accounts.md) -----------------

account = Table(
    "account", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("role", String(20), nullable=False),            # admin, curator, focal-point
    Column("countries", Text, nullable=False, server_default=""),   # ISO3 codes, comma-separated (focal points)
    Column("email", String(200)),
    Column("password_hash", Text),                          # Argon2id; NULL: cannot log in
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

web_session = Table(
    "web_session", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the cookie's random value
    Column("account_id", Id, ForeignKey("account.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

api_token = Table(
    "api_token", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("account.id"), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),   # shown to tell tokens apart; not secret
    Column("token_hash", Text, nullable=False),             # Argon2id of the secret part
    Column("label", String(200)),
    Column("countries", Text),                              # narrower than the account's; NULL: all of them
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)

login_attempt = Table(
    "login_attempt", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False),
    Column("client", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("ok", Boolean, nullable=False),
    Index(None, "name", "at"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),          # the account's name
    Column("account_id", Id, ForeignKey("account.id")),
    Column("action", String(60), nullable=False),          # submission.upload, submission.accept, account.create ...
    Column("target", Text),                                 # what it acted on ("submission 12", "account ana")
    Column("origin", String(200)),                          # from which form or API route
    Column("submission_id", Id, ForeignKey("submission.id")),
    Column("detail", Text),                                 # JSON
    Index(None, "at"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("recipient", String(200), nullable=False),      # an account name or an address
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True)),             # set by a mail adapter that sends
    Column("adapter", String(40)),
)
