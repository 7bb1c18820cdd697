"""The audit log is append-only in the database itself and hash-chained; `flask audit verify` finds tampering."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from labelapp.core import audit
from labelapp.extensions import db
from tests.support.database import without_triggers


def write_rows(app, count: int) -> list[int]:
    with app.app_context():
        entries = [audit.record("test.event", "thing", n, after={"n": n, "name": "Põltsamaa"}) for n in range(count)]
        db.session.commit()
        return [entry.id for entry in entries]


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET action = 'forged'",
    "DELETE FROM audit_entry",
])
def test_the_database_refuses_to_change_or_delete_audit_rows(app, statement):
    write_rows(app, 2)
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.scalar(text("SELECT count(*) FROM audit_entry WHERE action = 'test.event'")) == 2


@pytest.mark.postgres_only
def test_postgresql_refuses_truncate_too(app):
    write_rows(app, 1)
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("TRUNCATE audit_entry"))
        db.session.rollback()


def test_each_row_chains_to_the_one_before(app):
    ids = write_rows(app, 3)
    with app.app_context():
        rows = db.session.execute(text("SELECT id, prev_hash, entry_hash FROM audit_entry ORDER BY id")).all()
    assert [row.id for row in rows][-3:] == ids
    assert rows[0].prev_hash == ""
    assert all(row.prev_hash == before.entry_hash for before, row in zip(rows, rows[1:], strict=False))
    assert len({row.entry_hash for row in rows}) == len(rows)


def test_verify_passes_on_an_intact_log(app, runner):
    write_rows(app, 5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "The audit log is intact" in result.output
    with app.app_context():
        newest = db.session.scalar(text("SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"))
    assert f"Newest row's hash: {newest}" in result.output


def test_verify_names_a_row_changed_behind_the_app(app, runner):
    ids = write_rows(app, 5)
    with app.app_context():
        without_triggers(f"UPDATE audit_entry SET after = '{{\"n\": 99}}' WHERE id = {ids[2]}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit row {ids[2]}: content does not match its hash" in result.output
    assert "NOT intact: 1 problem(s)" in result.output


def test_verify_names_the_row_after_a_removed_one(app, runner):
    ids = write_rows(app, 5)
    with app.app_context():
        without_triggers(f"DELETE FROM audit_entry WHERE id = {ids[1]}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit row {ids[2]}: previous-row hash does not match" in result.output


def test_a_rewritten_row_with_a_recomputed_hash_still_breaks_the_next_link(app, runner):
    ids = write_rows(app, 3)
    with app.app_context():
        entry = db.session.get(audit.AuditEntry, ids[0])
        db.session.expunge(entry)
        entry.action = "forged"
        forged = audit.digest_of(entry, entry.prev_hash)
        without_triggers(f"UPDATE audit_entry SET action = 'forged', entry_hash = '{forged}' WHERE id = {ids[0]}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit row {ids[0]}" not in result.output  # the forged row is self-consistent ...
    assert f"audit row {ids[1]}: previous-row hash does not match" in result.output  # ... its successor is not
