"""The migrations create exactly the models' schema, on SQLite and PostgreSQL, and can go down and up again."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.sql import operators

from labelapp import create_app
from labelapp.core import audit
from labelapp.core.models import AuditEntry
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db
from tests.conftest import base_config


def ordered_indexes() -> dict[str, list[tuple[str, bool]]]:
    """The model's indexes with a descending key: {name: [(column, descending), ...]}."""
    found = {}
    for table in db.metadata.tables.values():
        for index in table.indexes:
            keys = [(str(getattr(e, "element", e)).rsplit(".", 1)[-1],
                     getattr(e, "modifier", None) is operators.desc_op) for e in index.expressions]
            if any(descending for _column, descending in keys):
                found[index.name] = keys
    return found


def schema_drift() -> list:
    """Alembic's comparison; on SQLite it cannot compare an index with a descending key (it reads the key as an
    expression), so those are compared here from SQLite's own description of each index."""
    ordered = ordered_indexes() if db.engine.dialect.name == "sqlite" else {}
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_object": lambda obj, name, type_, *_: not (type_ == "index" and name in ordered)})
        drift = compare_metadata(context, db.metadata)
        for name, keys in ordered.items():
            info = connection.exec_driver_sql(f"PRAGMA index_xinfo('{name}')").all()  # seqno, cid, name, desc, ..., key
            if [(row[2], bool(row[3])) for row in info if row[5]] != keys:
                drift.append(("changed_ordered_index", name, info))
    return drift


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_down_up_matches_models(fresh_url, tmp_path):
    app = create_app(base_config(fresh_url, tmp_path / "instance"))
    with app.app_context():
        upgrade()
        assert schema_drift() == []
        assert tables() == set(db.metadata.tables)
        downgrade(revision="base")
        assert tables() == set()
        upgrade()
        assert schema_drift() == []
        db.engine.dispose()


UNKEYED_AUDIT = sa.table(
    "audit_entry", sa.column("at", UTCDateTime()), sa.column("actor_label", sa.String),
    sa.column("action", sa.String), sa.column("object_type", sa.String), sa.column("object_id", sa.String),
    sa.column("prev_hash", sa.String), sa.column("entry_hash", sa.String),
)


def write_unkeyed_rows(count: int) -> None:
    """Rows as the app wrote them before migration 0012: plain SHA-256 chain."""
    previous = ""
    for n in range(1, count + 1):
        at = utcnow()
        digest = audit.entry_digest(previous, at, None, "cli:old", "old.event", "thing", str(n), None, None, None)
        db.session.execute(sa.insert(UNKEYED_AUDIT).values(at=at, actor_label="cli:old", action="old.event",
                                                           object_type="thing", object_id=str(n),
                                                           prev_hash=previous, entry_hash=digest))
        previous = digest
    db.session.commit()


def test_unkeyed_rows_are_sealed_by_the_keyed_chain_migration(fresh_url, tmp_path):
    app = create_app(base_config(fresh_url, tmp_path / "instance"))
    with app.app_context():
        upgrade(revision="0011")
        write_unkeyed_rows(3)
        upgrade()
        report = audit.verify_chain()
        assert (report.problems, report.checked) == ([], 4)
        seal = db.session.get(AuditEntry, 4)
        assert (seal.action, seal.chain_version, seal.after["unkeyed_rows"]) == ("audit.chain_keyed", 2, 3)
        # The old rows' hashes are unchanged, so copies kept elsewhere still match.
        assert [e.chain_version for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))] \
            == [1, 1, 1, 2]
        # Rewriting an unkeyed row and its successors with the plain digest breaks the seal's link.
        db.session.execute(sa.text("DROP TRIGGER audit_entry_no_update") if db.engine.dialect.name == "sqlite"
                           else sa.text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
        previous = ""
        for entry in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.id <= 3).order_by(AuditEntry.id)):
            entry.action = "forged"
            entry.prev_hash, entry.entry_hash = previous, audit.digest_of(entry, previous)
            previous = entry.entry_hash
        db.session.commit()
        assert [(p.entry_id, p.problem[:21]) for p in audit.verify_chain().problems] == \
            [(4, "previous-row hash doe")]
        db.session.remove()
        db.engine.dispose()


def test_applications_past_their_draft_get_a_revision_from_the_revisions_migration(fresh_url, tmp_path):
    from labelapp.applications.models import ApplicationRevision
    from labelapp.auth.models import Role
    from labelapp.municipalities import services as municipality_services
    from tests.support.factories import make_user, recommended_application

    app = create_app(base_config(fresh_url, tmp_path / "instance"))
    with app.test_request_context():
        upgrade()
        municipality_services.load()
        application = recommended_application(make_user(Role.STAFF, "0784"), make_user(Role.ASSESSOR))
        application_id, expected = application.id, {
            cid: {"level": a.level, "comment": a.comment} for cid, a in
            ((a.criterion_id, a) for a in application.assessment.answers)}
        db.session.remove()
        downgrade(revision="0013")  # as an instance upgraded from before revisions existed
        assert "application_revision" not in tables()
        upgrade()
        revisions = db.session.scalars(sa.select(ApplicationRevision)).all()
        assert [(r.application_id, r.number) for r in revisions] == [(application_id, 1)]
        assert revisions[0].answers == expected and len(revisions[0].evidence) > 0
        db.session.remove()
        db.engine.dispose()
