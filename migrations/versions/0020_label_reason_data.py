"""label reason data

An automatic reason (a survey wave below the threshold) is kept as a code with its numbers, so that every page
and each half of an e-mail words it in the reader's language and number format.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch copy): copying the table on SQLite would drop the registry's change-marker
    # triggers on it (migration 0011). Existing reasons stay text; labels/wording.py rewords the survey ones.
    op.add_column('label', sa.Column('state_reason_data', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('label', 'state_reason_data')  # SQLite 3.35+ drops a column in place, keeping the triggers
