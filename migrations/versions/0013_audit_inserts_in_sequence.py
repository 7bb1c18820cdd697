"""audit inserts in sequence

The database refuses an audit row that replaces an existing one (SQLite's INSERT OR REPLACE deletes the old row
without firing DELETE triggers; PostgreSQL's upsert is refused by 0010's UPDATE trigger as well) and one that
does not extend the chain: its id must be above every other and its prev_hash the newest row's entry_hash.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 04:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        # A row-level BEFORE trigger sees the rows inserted before it by the same statement, so a multi-row
        # INSERT is checked row by row in its VALUES order.
        op.execute("""
            CREATE FUNCTION audit_entry_in_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                newest_id integer;
                newest_hash varchar;
            BEGIN
                SELECT id, entry_hash INTO newest_id, newest_hash FROM audit_entry ORDER BY id DESC LIMIT 1;
                IF NEW.id <= newest_id OR NEW.prev_hash IS DISTINCT FROM coalesce(newest_hash, '') THEN
                    RAISE EXCEPTION 'audit_entry is append-only: INSERT out of sequence refused (id %)', NEW.id;
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER audit_entry_in_sequence BEFORE INSERT ON audit_entry "
                   "FOR EACH ROW EXECUTE FUNCTION audit_entry_in_sequence()")
    else:
        # In a BEFORE INSERT trigger NEW.id is -1 when SQLite assigns it, so the order is checked AFTER the
        # insert (SQLite runs row triggers as each row goes in), and the replacement BEFORE it, while the row
        # that REPLACE would delete is still there.
        op.execute("CREATE TRIGGER audit_entry_no_replace BEFORE INSERT ON audit_entry "
                   "WHEN EXISTS (SELECT 1 FROM audit_entry WHERE id = NEW.id) "
                   "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: INSERT over an existing row refused'); "
                   "END")
        op.execute("CREATE TRIGGER audit_entry_in_sequence AFTER INSERT ON audit_entry "
                   "WHEN EXISTS (SELECT 1 FROM audit_entry WHERE id > NEW.id) "
                   "OR NEW.prev_hash IS NOT coalesce((SELECT entry_hash FROM audit_entry WHERE id < NEW.id "
                   "ORDER BY id DESC LIMIT 1), '') "
                   "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: INSERT out of sequence refused'); END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER audit_entry_in_sequence ON audit_entry")
        op.execute("DROP FUNCTION audit_entry_in_sequence()")
    else:
        op.execute("DROP TRIGGER audit_entry_in_sequence")
        op.execute("DROP TRIGGER audit_entry_no_replace")
