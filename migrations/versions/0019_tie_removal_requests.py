"""tie removal requests

An assessor's request to remove a tie to a municipality whose application is being assessed waits for a
coordinator; the tie stays until then.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import labelapp.core.types

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessor_tie', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removal_requested_at', labelapp.core.types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessor_tie', schema=None) as batch_op:
        batch_op.drop_column('removal_requested_at')
