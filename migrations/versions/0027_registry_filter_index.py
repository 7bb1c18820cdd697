"""registry filters by status and year from one index

A registry filter by status (and year) was answered from the municipality index: every label of the county or
the search's municipalities was read from the table to test its status and award date (40 ms at 100,000 labels),
and its count did the same. One index on the status keys, the award date and the municipality answers a status
filter, with or without a year, county or search, by a range of that index, and counts it from the index alone.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 14:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    # Created in place (no batch copy on SQLite, which would lose the label table's triggers).
    op.create_index('ix_label_registry_filter', 'label', ['state_rank', 'state', 'awarded_on', 'municipality_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_label_registry_filter', table_name='label')
