"""The migrations create exactly the models' schema, on SQLite and PostgreSQL, and can go down and up again."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from labelapp import create_app
from labelapp.extensions import db
from tests.conftest import base_config


@pytest.fixture
def fresh_url(backend, request, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    cluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(f"fresh_{tmp_path.name[-20:].lower().replace('-', '_')}")


def schema_drift() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


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
