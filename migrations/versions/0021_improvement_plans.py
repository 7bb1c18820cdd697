"""improvement plans

Improvement points (a criterion the panel verified below the top level, with its comment), the actions the
municipality plans for them (status, version for stale edits, the one reminder), and the consent to publish the
plan's progress.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 07:36:10.647293

"""
import sqlalchemy as sa
from alembic import op

import labelapp.core.types

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('improvement_publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('changed_at', labelapp.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_improvement_publication_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_publication')),
    sa.UniqueConstraint('municipality_id', name=op.f('uq_improvement_publication_municipality_id'))
    )
    op.create_table('improvement_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=128), nullable=False),
    sa.Column('verified_level', sa.Integer(), nullable=False),
    sa.Column('top_level', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', labelapp.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_improvement_point_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_improvement_point_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_point')),
    sa.UniqueConstraint('application_id', 'criterion_id', name='uq_improvement_point_criterion')
    )
    with op.batch_alter_table('improvement_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_point_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_improvement_point_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('improvement_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('point_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'done', 'dropped', name='improvement_action_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reminded_at', labelapp.core.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', labelapp.core.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', labelapp.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_improvement_action_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['point_id'], ['improvement_point.id'], name=op.f('fk_improvement_action_point_id_improvement_point'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_action'))
    )
    with op.batch_alter_table('improvement_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_action_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_improvement_action_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_improvement_action_point_id'), ['point_id'], unique=False)



def downgrade():
    with op.batch_alter_table('improvement_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_action_point_id'))
        batch_op.drop_index(batch_op.f('ix_improvement_action_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_improvement_action_due_on'))

    op.drop_table('improvement_action')
    with op.batch_alter_table('improvement_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_point_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_improvement_point_application_id'))

    op.drop_table('improvement_point')
    op.drop_table('improvement_publication')
