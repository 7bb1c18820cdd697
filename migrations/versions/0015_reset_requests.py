"""reset requests

"Forgot your password?" requests, stored alike for every address and handled after the response is sent;
they carry the per-account and per-address limits on reset e-mails.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 05:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import labelapp.core.types

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reset_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', labelapp.core.types.UTCDateTime(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('handled_at', labelapp.core.types.UTCDateTime(), nullable=True),
    sa.Column('mailed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reset_request'))
    )
    with op.batch_alter_table('reset_request', schema=None) as batch_op:
        batch_op.create_index('ix_reset_request_client_at', ['client', 'at'], unique=False)
        batch_op.create_index('ix_reset_request_email_at', ['email', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('reset_request', schema=None) as batch_op:
        batch_op.drop_index('ix_reset_request_email_at')
        batch_op.drop_index('ix_reset_request_client_at')
    op.drop_table('reset_request')
