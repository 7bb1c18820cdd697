"""survey row accounting

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 05:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # Rows read, used and excluded by reason for each imported file; waves imported before have {}.
    with op.batch_alter_table('survey_wave', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accounting', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('survey_wave', schema=None) as batch_op:
        batch_op.drop_column('accounting')
