"""sealed totp secrets

TOTP shared secrets are stored encrypted with the instance's secrets key (instance/secrets.fernet.key, Fernet),
so that a copy of the database, or of its dump in a backup, does not hold them in the clear. The column grows
to hold the token, and the secrets already stored are encrypted. Like 0012, the migration needs the instance
folder the app will run with (the key is created there on first use), which `flask db upgrade` gives it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 05:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

from labelapp.core.keys import SEALED_PREFIX, seal, unseal

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

USERS = sa.table('user_account', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    _rewrite(lambda secret: secret if secret.startswith(SEALED_PREFIX) else seal(secret))


def downgrade():
    _rewrite(lambda secret: unseal(secret) if secret.startswith(SEALED_PREFIX) else secret)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)


def _rewrite(change):
    connection = op.get_bind()
    rows = connection.execute(sa.select(USERS.c.id, USERS.c.totp_secret).where(USERS.c.totp_secret.is_not(None)))
    for user_id, secret in rows.all():
        connection.execute(sa.update(USERS).where(USERS.c.id == user_id).values(totp_secret=change(secret)))
