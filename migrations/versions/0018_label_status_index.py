"""label status index

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    # Each label's position in the registry's Bitstring Status Lists; labels made before get id - 1 (unique,
    # and below any index a later label takes, which continues from the highest). Nullable with a unique
    # index, not NOT NULL with a constraint: either of those makes SQLite copy the table, which would drop the
    # registry's change-marker triggers on it (migration 0011); create_label always sets it.
    op.add_column('label', sa.Column('status_index', sa.Integer(), nullable=True))
    op.execute("UPDATE label SET status_index = id - 1")
    op.create_index(op.f('ix_label_status_index'), 'label', ['status_index'], unique=True)


def downgrade():
    op.drop_index(op.f('ix_label_status_index'), table_name='label')
    op.drop_column('label', 'status_index')  # SQLite 3.35+ drops a column in place, keeping the triggers
