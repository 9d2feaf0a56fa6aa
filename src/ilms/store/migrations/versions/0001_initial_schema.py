"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('changeset',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('n_added', sa.Integer(), server_default='0', nullable=False),
    sa.Column('n_changed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('n_deleted', sa.Integer(), server_default='0', nullable=False),
    sa.Column('n_unchanged', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_changeset'))
    )
    with op.batch_alter_table('changeset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changeset_created_at'), ['created_at'], unique=False)

    op.create_table('note',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_note'))
    )
    op.create_table('release',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('cut', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.String(length=120), nullable=True),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('n_observations', sa.Integer(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cut'], ['changeset.id'], name=op.f('fk_release_cut_changeset')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
    sa.UniqueConstraint('name', name=op.f('uq_release_name'))
    )
    op.create_table('source',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('ref_area', sa.String(length=3), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=2), nullable=False),
    sa.Column('agency', sa.Text(), nullable=True),
    sa.Column('periodicity', sa.Text(), nullable=True),
    sa.Column('coverage', sa.Text(), nullable=True),
    sa.Column('migrant_definition', sa.Text(), nullable=True),
    sa.Column('reference_period', sa.Text(), nullable=True),
    sa.Column('classifications', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('changeset_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['changeset_id'], ['changeset.id'], name=op.f('fk_source_changeset_id_changeset')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_source'))
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_ref_area'), ['ref_area'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('table_no', sa.SmallInteger(), nullable=False),
    sa.Column('series_key', sa.String(length=200), nullable=False),
    sa.Column('ref_area', sa.String(length=3), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('basis', sa.String(length=3), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=False),
    sa.Column('c1', sa.String(length=40), nullable=True),
    sa.Column('c2', sa.String(length=40), nullable=True),
    sa.Column('c3', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['source'], ['source.code'], name=op.f('fk_series_source_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series'))
    )
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_ref_area_table_no'), ['ref_area', 'table_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_table_no_ref_area'), ['table_no', 'ref_area'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_table_no_series_key'), ['table_no', 'series_key'], unique=True)

    op.create_table('observation',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('series_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('time_period', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=2), nullable=True),
    sa.Column('confidential', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('note_classif', sa.Text(), nullable=True),
    sa.Column('note_indicator', sa.Text(), nullable=True),
    sa.Column('note_source', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('unit_mult', sa.String(length=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('decimals', sa.SmallInteger(), nullable=True),
    sa.Column('provenance', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('valid_from', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('valid_to', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_observation_series_id_series')),
    sa.ForeignKeyConstraint(['valid_from'], ['changeset.id'], name=op.f('fk_observation_valid_from_changeset')),
    sa.ForeignKeyConstraint(['valid_to'], ['changeset.id'], name=op.f('fk_observation_valid_to_changeset')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation'))
    )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_series_id_time_period_valid_from'), ['series_id', 'time_period', 'valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_valid_from'), ['valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_valid_to'), ['valid_to'], unique=False)
        batch_op.create_index('uq_observation_current', ['series_id', 'time_period'], unique=True, sqlite_where=sa.text('valid_to IS NULL'), postgresql_where=sa.text('valid_to IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index('uq_observation_current', sqlite_where=sa.text('valid_to IS NULL'), postgresql_where=sa.text('valid_to IS NULL'))
        batch_op.drop_index(batch_op.f('ix_observation_valid_to'))
        batch_op.drop_index(batch_op.f('ix_observation_valid_from'))
        batch_op.drop_index(batch_op.f('ix_observation_series_id_time_period_valid_from'))

    op.drop_table('observation')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_table_no_series_key'))
        batch_op.drop_index(batch_op.f('ix_series_table_no_ref_area'))
        batch_op.drop_index(batch_op.f('ix_series_ref_area_table_no'))

    op.drop_table('series')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_ref_area'))

    op.drop_table('source')
    op.drop_table('release')
    op.drop_table('note')
    with op.batch_alter_table('changeset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changeset_created_at'))

    op.drop_table('changeset')
