"""one index per registry order: each page is read in order from its index, with no sort

Migration 0024 indexed the first key of each order only (sort_name, awarded_on, valid_until), so a page still
sorted its rows by the next key: an incremental sort at best, and on a small table the planner chose a full
sort. Each order now has an index on all its keys, in its directions (the order "status" had one already):
the page is the first rows of an index scan. The three single-column indexes they begin with go.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 13:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

ORDERS = {
    'ix_label_registry_name': ('sort_name', 'awarded_on DESC', 'id'),
    'ix_label_registry_awarded': ('awarded_on DESC', 'sort_name', 'id'),
    'ix_label_registry_valid_until': ('valid_until DESC', 'sort_name', 'id'),
}
SINGLE = {'ix_label_sort_name': 'sort_name', 'ix_label_awarded_on': 'awarded_on', 'ix_label_valid_until': 'valid_until'}


def upgrade():
    # Created and dropped in place (no batch copy on SQLite, which would lose the label table's triggers).
    for name, keys in ORDERS.items():
        op.create_index(name, 'label', [sa.text(key) for key in keys], unique=False)
    for name in SINGLE:
        op.drop_index(name, table_name='label')


def downgrade():
    for name, column in SINGLE.items():
        op.create_index(name, 'label', [column], unique=False)
    for name in ORDERS:
        op.drop_index(name, table_name='label')
