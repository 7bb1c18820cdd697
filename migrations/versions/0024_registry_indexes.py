"""registry sort keys, search column, indexes; more tables move the change marker

The registry orders labels by index scans with LIMIT: each label keeps its municipality's name (sort_name) and
its state's place (state_rank, current holders first), both kept by triggers. Municipalities get a search
column (no accents, case folded). Survey waves, panel decisions and an application's publishing choice now
move the registry change marker too, since the municipality page shows them.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 08:00:00.000000

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

# The registry's "status" order (labelapp/registry/queries.py STATE_ORDER).
RANK = ("CASE {state} WHEN 'valid' THEN 0 WHEN 'expiring' THEN 1 WHEN 'under_review' THEN 2 "
        "WHEN 'revoked' THEN 3 WHEN 'expired' THEN 4 END")
SORT_NAME = "(SELECT name FROM municipality WHERE municipality.id = {label}.municipality_id)"
# Inserts and updates of these move the marker (the municipality page shows them); per statement on PostgreSQL.
MARKED = (('survey_wave', 'INSERT OR UPDATE OR DELETE'), ('panel_decision', 'INSERT OR UPDATE OR DELETE'),
          ('application', 'UPDATE OF publish_details'))


def searchable(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=120), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_municipality_search_name'), ['search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_municipality_region'), ['region'], unique=False)
    with op.batch_alter_table('label', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('state_rank', sa.SmallInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_label_sort_name'), ['sort_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_label_awarded_on'), ['awarded_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_label_level'), ['level'], unique=False)
        batch_op.create_index('ix_label_registry_status', ['state_rank', 'sort_name', 'id'], unique=False)

    bind = op.get_bind()
    municipality = sa.table('municipality', sa.column('id', sa.Integer), sa.column('name', sa.String),
                            sa.column('search_name', sa.String))
    for row in bind.execute(sa.select(municipality.c.id, municipality.c.name)).all():
        bind.execute(municipality.update().where(municipality.c.id == row.id)
                     .values(search_name=searchable(row.name)))
    op.execute(f"UPDATE label SET sort_name = {SORT_NAME.format(label='label')}, "
               f"state_rank = {RANK.format(state='state')}")

    if bind.dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION label_sort_keys() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.sort_name := (SELECT name FROM municipality WHERE municipality.id = NEW.municipality_id);
                NEW.state_rank := {RANK.format(state='NEW.state')};
                RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER label_sort_keys BEFORE INSERT OR UPDATE OF state, municipality_id ON label "
                   "FOR EACH ROW EXECUTE FUNCTION label_sort_keys()")
        op.execute("""
            CREATE FUNCTION municipality_sort_name() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE label SET sort_name = NEW.name WHERE municipality_id = NEW.id;
                RETURN NULL;
            END $$""")
        op.execute("CREATE TRIGGER municipality_sort_name AFTER UPDATE OF name ON municipality "
                   "FOR EACH ROW EXECUTE FUNCTION municipality_sort_name()")
        for table, events in MARKED:
            op.execute(f"CREATE TRIGGER {table}_registry_changed AFTER {events} ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION registry_changed()")
    else:
        keys = (f"UPDATE label SET sort_name = {SORT_NAME.format(label='NEW')}, "
                f"state_rank = {RANK.format(state='NEW.state')} WHERE id = NEW.id;")
        op.execute(f"CREATE TRIGGER label_sort_keys_insert AFTER INSERT ON label BEGIN {keys} END")
        op.execute(f"CREATE TRIGGER label_sort_keys_update AFTER UPDATE OF state, municipality_id ON label "
                   f"BEGIN {keys} END")
        op.execute("CREATE TRIGGER municipality_sort_name AFTER UPDATE OF name ON municipality "
                   "BEGIN UPDATE label SET sort_name = NEW.name WHERE municipality_id = NEW.id; END")
        for table, events in MARKED:
            for event in events.split(' OR '):
                op.execute(f"CREATE TRIGGER {table}_registry_{event.split()[0].lower()} AFTER {event} ON {table} "
                           "BEGIN UPDATE registry_change SET counter = counter + 1, changed_at = CURRENT_TIMESTAMP "
                           "WHERE id = 1; END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table, _events in MARKED:
            op.execute(f"DROP TRIGGER {table}_registry_changed ON {table}")
        op.execute("DROP TRIGGER municipality_sort_name ON municipality")
        op.execute("DROP FUNCTION municipality_sort_name()")
        op.execute("DROP TRIGGER label_sort_keys ON label")
        op.execute("DROP FUNCTION label_sort_keys()")
    else:
        for table, events in MARKED:
            for event in events.split(' OR '):
                op.execute(f"DROP TRIGGER {table}_registry_{event.split()[0].lower()}")
        op.execute("DROP TRIGGER municipality_sort_name")
        op.execute("DROP TRIGGER label_sort_keys_update")
        op.execute("DROP TRIGGER label_sort_keys_insert")
    # Dropped in place (SQLite 3.35+), keeping the tables' other triggers (a batch copy would lose them).
    for name in ('ix_label_registry_status', 'ix_label_level', 'ix_label_awarded_on', 'ix_label_sort_name'):
        op.drop_index(name, table_name='label')
    op.drop_column('label', 'state_rank')
    op.drop_column('label', 'sort_name')
    for name in ('ix_municipality_region', 'ix_municipality_search_name'):
        op.drop_index(name, table_name='municipality')
    op.drop_column('municipality', 'search_name')
