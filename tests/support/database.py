"""Database-owner operations the app itself can never do."""

from sqlalchemy import text

from labelapp.extensions import db


def without_triggers(*statements: str) -> None:
    """Run ``statements`` and commit with the database's triggers stepped round, as someone with direct database
    access could (PostgreSQL: replica role, needs a superuser; SQLite: drop the triggers, then recreate them)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            db.session.execute(text(statement))
    else:
        triggers = db.session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            db.session.execute(text(f"DROP TRIGGER {name}"))
        for statement in statements:
            db.session.execute(text(statement))
        for _name, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()
