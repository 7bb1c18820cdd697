"""keyed audit chain

Rows written from now on carry HMAC-SHA256 hashes keyed with instance/audit-chain.key (chain_version 2);
rows from before keep their plain SHA-256 hashes (chain_version 1), so that hashes already copied elsewhere
(cron logs of `flask audit verify`) still match. They are sealed: this migration appends a keyed row whose
hash covers the newest unkeyed row's hash, and `flask audit verify` accepts unkeyed rows only before the first
keyed row and never as the newest. Rewriting the unkeyed rows therefore breaks the seal's link, which cannot
be re-made without the key. The migration needs the instance folder the app will run with (it creates the key
there on first use), which `flask db upgrade` gives it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:30:00.000000

"""
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

import labelapp.core.types  # noqa: F401  (custom column types used below)
from labelapp.core.audit import actor_label, keyed_digest
from labelapp.core.keys import chain_key
from labelapp.core.types import utcnow

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


AUDIT = sa.table(
    'audit_entry', sa.column('id', sa.Integer), sa.column('at', labelapp.core.types.UTCDateTime()),
    sa.column('actor_id', sa.Integer), sa.column('actor_label', sa.String), sa.column('action', sa.String),
    sa.column('object_type', sa.String), sa.column('object_id', sa.String), sa.column('before', sa.JSON),
    sa.column('after', sa.JSON), sa.column('client', sa.String), sa.column('prev_hash', sa.String),
    sa.column('entry_hash', sa.String), sa.column('chain_version', sa.SmallInteger),
)


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_version', sa.SmallInteger(), server_default='1', nullable=False))
    _seal_unkeyed_rows()


def _seal_unkeyed_rows():
    connection = op.get_bind()
    unkeyed = connection.scalar(sa.select(sa.func.count()).select_from(AUDIT))
    if not unkeyed:
        return
    head = connection.scalar(sa.select(AUDIT.c.entry_hash).order_by(AUDIT.c.id.desc()).limit(1))
    seal = SimpleNamespace(at=utcnow(), actor_id=None, actor_label=actor_label(), action='audit.chain_keyed',
                           object_type='audit_entry', object_id=None, before=None,
                           after={'unkeyed_rows': unkeyed, 'unkeyed_head': head}, client=None)
    connection.execute(sa.insert(AUDIT).values(
        **vars(seal), prev_hash=head, entry_hash=keyed_digest(chain_key(), head, seal), chain_version=2))


def downgrade():
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy of the table would lose its append-only triggers.
    # Keyed rows stay; the older `flask audit verify` reports them as changed.
    op.execute('ALTER TABLE audit_entry DROP COLUMN chain_version')
