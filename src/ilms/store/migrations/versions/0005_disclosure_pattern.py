"""secondary suppression pattern of a release (statistical disclosure control)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        'disclosure_pattern',
        sa.Column('release_id', Id, nullable=False),
        sa.Column('checksum', sa.String(length=64), nullable=False),
        sa.Column('n_primary', sa.Integer(), nullable=False),
        sa.Column('n_secondary', sa.Integer(), nullable=False),
        sa.Column('objective', sa.String(length=40), nullable=False),
        sa.Column('protection', sa.Float(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['release_id'], ['release.id'], name='fk_disclosure_pattern_release_id_release'),
        sa.PrimaryKeyConstraint('release_id', name='pk_disclosure_pattern'),
    )
    op.create_table(
        'disclosure_cell',
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('release_id', Id, nullable=False),
        sa.Column('series_id', Id, nullable=False),
        sa.Column('time_period', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['release_id'], ['release.id'], name='fk_disclosure_cell_release_id_release'),
        sa.ForeignKeyConstraint(['series_id'], ['series.id'], name='fk_disclosure_cell_series_id_series'),
        sa.PrimaryKeyConstraint('id', name='pk_disclosure_cell'),
    )
    with op.batch_alter_table('disclosure_cell', schema=None) as batch_op:
        batch_op.create_index('ix_disclosure_cell_release_id_series_id_time_period',
                              ['release_id', 'series_id', 'time_period'], unique=True)
        batch_op.create_index('ix_disclosure_cell_series_id_time_period', ['series_id', 'time_period'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('disclosure_cell', schema=None) as batch_op:
        batch_op.drop_index('ix_disclosure_cell_series_id_time_period')
        batch_op.drop_index('ix_disclosure_cell_release_id_series_id_time_period')
    op.drop_table('disclosure_cell')
    op.drop_table('disclosure_pattern')
