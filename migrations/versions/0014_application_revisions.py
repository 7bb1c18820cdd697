"""application revisions

What the panel judges is frozen per application revision. Applications already past their draft get one
revision: their self-assessment as it is now, the best that can be known of what the panel saw.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:00:00.000000

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

import labelapp.core.types  # noqa: F401  (custom column types used below)

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    revisions = op.create_table('application_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', labelapp.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_revision_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_revision')),
    sa.UniqueConstraint('application_id', 'number', name='uq_application_revision_number')
    )
    with op.batch_alter_table('application_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_revision_application_id'), ['application_id'], unique=False)

    bind = op.get_bind()
    applications = bind.execute(sa.text(
        "SELECT id, assessment_id, revision FROM application WHERE status != 'draft' ORDER BY id")).all()
    rows, now = [], dt.datetime.now(dt.UTC)
    for application_id, assessment_id, number in applications:
        answers = {cid: {"level": level, "comment": comment or ""} for cid, level, comment in bind.execute(sa.text(
            "SELECT criterion_id, level, comment FROM assessment_answer WHERE assessment_id = :a ORDER BY criterion_id"),
            {"a": assessment_id})}
        evidence = [{"id": eid, "criterion_id": cid, "kind": kind, "title": title, "url": url}
                    for eid, cid, kind, title, url in bind.execute(sa.text(
                        "SELECT id, criterion_id, kind, title, url FROM evidence WHERE assessment_id = :a ORDER BY id"),
                        {"a": assessment_id})]
        rows.append({"application_id": application_id, "number": number, "answers": answers, "evidence": evidence,
                     "note": "recorded when revisions were introduced", "created_at": now})
    if rows:
        op.bulk_insert(revisions, rows)


def downgrade():
    with op.batch_alter_table('application_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_revision_application_id'))
    op.drop_table('application_revision')
