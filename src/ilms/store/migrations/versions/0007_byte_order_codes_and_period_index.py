"""PostgreSQL: series keys and periods in byte order (COLLATE "C"); current versions by period

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

The store reads in byte order (``ORDER BY series_key COLLATE "C", time_period COLLATE "C"``, the
order of SQLite's BINARY). With the columns in the database's own collation no index had that
order, and PostgreSQL sorted every slice; declared ``"C"``, the ``(table_no, series_key)`` and
``(series_id, time_period, valid_from)`` indexes give it (an incremental sort of each series'
periods). ``disclosure_cell.time_period`` follows ``observation.time_period``, which it is
compared with. The partial index on the period of current versions serves a cross-section (all
countries x one year) of the latest data or, beside the ``valid_to`` index, of any cut. SQLite
needs neither: BINARY is byte order, and its planner walks the series of a table for a
cross-section without a sort (EXPLAIN QUERY PLAN, docs/benchmarks.md).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: (table, column, length) of the code columns the store orders and compares in byte order
BYTE_ORDER_COLUMNS = (('series', 'series_key', 200), ('observation', 'time_period', 10),
                      ('disclosure_cell', 'time_period', 10))


def _collate(collation: str | None) -> None:
    for table, column, length in BYTE_ORDER_COLUMNS:
        op.alter_column(table, column, existing_type=sa.String(length), existing_nullable=False,
                        type_=sa.String(length, collation=collation))


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    _collate('C')                        # rebuilds the indexes on these columns
    op.create_index(op.f('ix_observation_time_period'), 'observation', ['time_period'], unique=False,
                    postgresql_where=sa.text('valid_to IS NULL'))
    # a new type drops the columns' statistics: the planner would guess until autovacuum's ANALYZE
    op.execute('ANALYZE series, observation, disclosure_cell')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index(op.f('ix_observation_time_period'), table_name='observation',
                  postgresql_where=sa.text('valid_to IS NULL'))
    _collate('default')
    op.execute('ANALYZE series, observation, disclosure_cell')
