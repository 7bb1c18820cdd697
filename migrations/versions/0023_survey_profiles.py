"""survey mapping profiles

A confirmed column mapping of a survey file, kept under a name and applied to later files with the same headers.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import labelapp.core.types

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_profile',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('headers_key', sa.String(length=64), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('saved_by_label', sa.String(length=255), nullable=False),
        sa.Column('saved_at', labelapp.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_profile')),
        sa.UniqueConstraint('name', name=op.f('uq_survey_profile_name')),
    )
    with op.batch_alter_table('survey_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_profile_headers_key'), ['headers_key'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_profile_headers_key'))
    op.drop_table('survey_profile')
