"""The audit log is append-only in the database itself and hash-chained; `flask audit verify` finds tampering."""

import hashlib
import hmac
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from labelapp.core import audit
from labelapp.core.models import AuditEntry
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


def copy_of_row(source_id: int, new_id: int | str, prev_hash: str, entry_hash: str = "'forged'",
                verb: str = "INSERT") -> str:
    """SQL that inserts a copy of audit row ``source_id`` under ``new_id`` with the given links."""
    return (f"{verb} INTO audit_entry (id, at, actor_id, actor_label, action, object_type, object_id, client, "
            f"prev_hash, entry_hash) SELECT {new_id}, at, actor_id, actor_label, 'forged', object_type, object_id, "
            f"client, {prev_hash}, {entry_hash} FROM audit_entry WHERE id = {source_id}")


@pytest.mark.sqlite_only
def test_sqlite_refuses_insert_or_replace_of_an_audit_row(app):
    ids = write_rows(app, 3)
    with app.app_context():
        # REPLACE deletes the old row without firing DELETE triggers (recursive_triggers is off).
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(copy_of_row(ids[1], ids[1], "prev_hash", "entry_hash", "INSERT OR REPLACE")))
        db.session.rollback()
        assert db.session.scalar(text("SELECT count(*) FROM audit_entry WHERE action = 'forged'")) == 0


@pytest.mark.postgres_only
def test_postgresql_refuses_an_upsert(app):
    ids = write_rows(app, 3)
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(copy_of_row(ids[1], ids[1], "prev_hash", "entry_hash")
                                    + " ON CONFLICT (id) DO UPDATE SET action = EXCLUDED.action"))
        db.session.rollback()
        assert db.session.scalar(text("SELECT count(*) FROM audit_entry WHERE action = 'forged'")) == 0


@pytest.mark.parametrize("where", ["below the newest id", "not linked to the newest row"])
def test_the_database_refuses_an_out_of_sequence_insert(app, where):
    ids = write_rows(app, 3)
    with app.app_context():
        if where == "below the newest id":
            statement = copy_of_row(ids[0], 0, "''")
        else:
            statement = copy_of_row(ids[0], ids[-1] + 10, "(SELECT entry_hash FROM audit_entry WHERE id = "
                                                          f"{ids[0]})")
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.scalar(text("SELECT count(*) FROM audit_entry WHERE action = 'forged'")) == 0


def rehash_from(first: int, digest, change=lambda entry: None) -> None:
    """Apply ``change`` to the rows from ``first`` on and rewrite their chain with ``digest(entry, prev_hash)``,
    triggers stepped round."""
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    db.session.expunge_all()
    statements, previous = [], ""
    for entry in entries:
        if entry.id >= first:
            change(entry)
            entry.prev_hash = previous
            entry.entry_hash = digest(entry, previous)
            statements.append(f"UPDATE audit_entry SET action = '{entry.action}', prev_hash = '{entry.prev_hash}', "
                              f"entry_hash = '{entry.entry_hash}', chain_version = {entry.chain_version} "
                              f"WHERE id = {entry.id}")
        previous = entry.entry_hash
    without_triggers(*statements)


def unkeyed(entry, prev_hash):
    return audit.entry_digest(prev_hash, entry.at, entry.actor_id, entry.actor_label, entry.action,
                              entry.object_type, entry.object_id, entry.before, entry.after, entry.client)


@pytest.mark.parametrize("attack", ["another key", "the unkeyed digest", "the unkeyed digest, marked as legacy"])
def test_verify_finds_a_row_changed_and_every_later_hash_recomputed(app, runner, attack):
    ids = write_rows(app, 5)
    with app.app_context():
        def forge(entry):
            if entry.id == ids[2]:
                entry.action = "forged"
            if "legacy" in attack:
                entry.chain_version = audit.CHAIN_UNKEYED

        if attack == "another key":
            rehash_from(ids[2], lambda entry, prev: audit.keyed_digest(b"not the instance key", prev, entry), forge)
        elif attack == "the unkeyed digest":
            rehash_from(ids[2], unkeyed, forge)
        else:
            rehash_from(0, unkeyed, forge)  # the whole log, as if it had never been keyed
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert "NOT intact" in result.output
    if attack == "the unkeyed digest, marked as legacy":
        assert f"audit row {ids[-1]}: the newest row is not keyed" in result.output
    else:
        assert f"audit row {ids[2]}: content does not match its hash" in result.output


@pytest.mark.parametrize("digest", ["unkeyed", "unkeyed, marked as legacy", "another key"])
def test_verify_finds_a_forged_row_appended_with_a_well_formed_hash(app, runner, digest):
    ids = write_rows(app, 3)
    with app.app_context():
        newest = db.session.get(AuditEntry, ids[-1])
        forged = AuditEntry(id=ids[-1] + 1, at=newest.at, actor_label="cli:root", action="label.award",
                            object_type="label", object_id="1", prev_hash=newest.entry_hash,
                            chain_version=audit.CHAIN_UNKEYED if "legacy" in digest else audit.CHAIN_KEYED)
        forged.entry_hash = unkeyed(forged, forged.prev_hash) if "unkeyed" in digest else \
            audit.keyed_digest(b"not the instance key", forged.prev_hash, forged)
        db.session.add(forged)
        db.session.commit()  # in sequence: the triggers let it in; only the key tells it apart
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1, result.output
    problem = "an unkeyed row after keyed rows" if "legacy" in digest else "content does not match its hash"
    assert f"audit row {ids[-1] + 1}: {problem}" in result.output


def test_the_chain_key_lives_in_the_instance_folder_readable_only_by_its_owner(app):
    [entry_id] = write_rows(app, 1)
    key_file = Path(app.instance_path) / "audit-chain.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    with app.app_context():
        entry = db.session.get(AuditEntry, entry_id)
        assert entry.chain_version == audit.CHAIN_KEYED
        assert entry.entry_hash == hmac.new(bytes.fromhex(key_file.read_text()), audit.canonical_content(
            entry.prev_hash, entry), hashlib.sha256).hexdigest()


VALUES = [None, {}, {"n": 1, "name": "Põltsamaa", "score": 71.25, "ok": True, "none": None},
          {"b": [1, "ä", {"z": 1, "a": 2}], "a": "x"}, "just a text", ["a", 2, None], 3, 0.1]


def test_verify_reads_every_kind_of_stored_value_as_the_hash_saw_it_in_batches_with_progress(app):
    """The check reads rows as plain values in batches; every JSON shape (a bare string too), text outside ASCII,
    floats, nulls and the time's microseconds must come out exactly as they were hashed when written."""
    with app.app_context():
        for number, value in enumerate(VALUES):
            audit.record("test.values", "thing", number, before=value, after=VALUES[-1 - number])
        db.session.commit()
        seen = []
        report = audit.verify_chain(batch=3, progress=seen.append)
        total = db.session.scalar(text("SELECT count(*) FROM audit_entry"))
        newest = db.session.scalar(text("SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"))
    assert report.problems == []
    assert (report.checked, report.newest) == (total, newest)
    assert seen == [*range(3, total, 3), total]


def test_verify_finds_a_value_changed_to_another_json_shape(app, runner):
    """A text changed into a one-element list (or a number into a text) is a change, though it reads alike."""
    with app.app_context():
        entries = [audit.record("test.values", "thing", 1, after="7"), audit.record("test.values", "thing", 2,
                                                                                  after=7)]
        db.session.commit()
        ids = [entry.id for entry in entries]
        without_triggers(f"UPDATE audit_entry SET after = '[\"7\"]' WHERE id = {ids[0]}",
                         f"UPDATE audit_entry SET after = '\"7\"' WHERE id = {ids[1]}")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert f"audit row {ids[0]}: content does not match its hash" in result.output
    assert f"audit row {ids[1]}: content does not match its hash" in result.output
