"""library of good practice

Criteria a municipality publishes, with its consent, after the panel verified them at the top level, and the
uploaded evidence files it made public with them.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import labelapp.core.types

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('good_example',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=64), nullable=False),
    sa.Column('area_id', sa.String(length=64), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('published', 'withdrawn', name='good_example_state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_at', labelapp.core.types.UTCDateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', labelapp.core.types.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_good_example_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_good_example_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_good_example_published_by_id_user_account')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_good_example_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_good_example')),
    sa.UniqueConstraint('application_id', 'criterion_id', name='uq_good_example_application_id')
    )
    with op.batch_alter_table('good_example', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_good_example_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_good_example_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_good_example_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_good_example_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_good_example_state'), ['state'], unique=False)

    op.create_table('good_example_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('example_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_good_example_file_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['example_id'], ['good_example.id'], name=op.f('fk_good_example_file_example_id_good_example'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_good_example_file')),
    sa.UniqueConstraint('example_id', 'evidence_id', name='uq_good_example_file_example_id')
    )
    with op.batch_alter_table('good_example_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_good_example_file_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_good_example_file_example_id'), ['example_id'], unique=False)



def downgrade():
    with op.batch_alter_table('good_example_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_good_example_file_example_id'))
        batch_op.drop_index(batch_op.f('ix_good_example_file_evidence_id'))

    op.drop_table('good_example_file')
    with op.batch_alter_table('good_example', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_good_example_state'))
        batch_op.drop_index(batch_op.f('ix_good_example_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_good_example_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_good_example_area_id'))
        batch_op.drop_index(batch_op.f('ix_good_example_application_id'))

    op.drop_table('good_example')
