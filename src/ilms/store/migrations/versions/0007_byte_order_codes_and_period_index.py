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
countries x one year) of the latest data or, beside the ``valid_to`` index, of any cut; it holds
``series_id`` too so that, without statistics (a new database), the planner cannot take it for the
writer's look-up of a cell's current version, which ``uq_observation_current`` serves (on the
period alone it did: 2,600 rows read per cell, 8x the server's CPU for a revision). SQLite
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
    op.create_index(op.f('ix_observation_time_period_series_id'), 'observation', ['time_period', 'series_id'],
                    unique=False, postgresql_where=sa.text('valid_to IS NULL'))
    _analyze()


def _analyze() -> None:
    """A new type drops the columns' statistics: gather them again, or the planner guesses until
    autovacuum's ANALYZE. Not in an empty database: there it would record empty tables, and the
    first load (one transaction) was then planned as if they stayed empty (3x the server's CPU)."""
    if op.get_bind().execute(sa.text('SELECT EXISTS (SELECT 1 FROM series)')).scalar():
        op.execute('ANALYZE series, observation, disclosure_cell')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index(op.f('ix_observation_time_period_series_id'), table_name='observation',
                  postgresql_where=sa.text('valid_to IS NULL'))
    _collate('default')
    _analyze()
