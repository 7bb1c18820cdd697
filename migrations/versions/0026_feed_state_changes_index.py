"""the feed's revocations and expiries are read from an index, with no sort

The Atom feed lists the labels most recently revoked or expired. Read through ix_label_state, that was every
revoked and expired label (most of the table, once cycles have expired), sorted by when its state changed: on each
miss of the caches, in every worker. One index on (state, state_changed_at DESC, id DESC) gives each state's newest
changes as the first rows of an index scan (registry/queries.py: latest_state_ends).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 14:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    # Created in place (no batch copy on SQLite, which would lose the label table's triggers).
    op.create_index('ix_label_state_changes', 'label',
                    ['state', sa.text('state_changed_at DESC'), sa.text('id DESC')], unique=False)


def downgrade():
    op.drop_index('ix_label_state_changes', table_name='label')
