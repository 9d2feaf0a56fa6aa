"""context datasets (UN DESA International Migrant Stock) beside the 17 tables

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('context_dataset',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('series', sa.String(length=40), nullable=False),
    sa.Column('revision', sa.String(length=20), nullable=False),
    sa.Column('layout', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('loaded_by', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('n_values', sa.Integer(), nullable=False),
    sa.Column('citation', sa.Text(), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_context_dataset'))
    )
    op.create_index(op.f('ix_context_dataset_series_revision_layout'), 'context_dataset',
                    ['series', 'revision', 'layout'], unique=False)
    op.create_table('context_value',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('dataset_id', Id, nullable=False),
    sa.Column('destination', sa.String(length=12), nullable=False),
    sa.Column('destination_name', sa.Text(), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('origin_name', sa.Text(), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['context_dataset.id'], name=op.f('fk_context_value_dataset_id_context_dataset')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_context_value'))
    )
    op.create_index(op.f('ix_context_value_dataset_id_destination_origin_sex_year'), 'context_value',
                    ['dataset_id', 'destination', 'origin', 'sex', 'year'], unique=True)
    op.create_index(op.f('ix_context_value_dataset_id_origin'), 'context_value', ['dataset_id', 'origin'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_context_value_dataset_id_origin'), table_name='context_value')
    op.drop_index(op.f('ix_context_value_dataset_id_destination_origin_sex_year'), table_name='context_value')
    op.drop_table('context_value')
    op.drop_index(op.f('ix_context_dataset_series_revision_layout'), table_name='context_dataset')
    op.drop_table('context_dataset')
