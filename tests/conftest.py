"""Fixtures: the database backends (SQLite and a throwaway PostgreSQL), the app, clients and users.

Every test that uses ``app`` runs once per backend. PostgreSQL tests are skipped with a reason when its
binaries are absent, unless LABELAPP_REQUIRE_POSTGRES=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade

from labelapp import create_app
from labelapp.auth.models import Role
from labelapp.extensions import db
from labelapp.municipalities import services as municipality_services
from tests.support import postgres
from tests.support.database import without_triggers
from tests.support.factories import make_user, open_round
from tests.support.smtp import SmtpServer
from tests.support.web import csrf_token, login

BACKENDS = ["sqlite", "postgresql"]


def required(name: str) -> bool:
    return os.environ.get(f"LABELAPP_REQUIRE_{name}") == "1"


def skip_or_fail(name: str, reason: str) -> None:
    if required(name):
        pytest.fail(f"{reason} (LABELAPP_REQUIRE_{name}=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


def base_config(database_url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-only-secret-key",
        "INSTANCE_PATH": str(instance),
        "SMTP_HOST": None,
        # Cheaper argon2id so that a suite creating hundreds of accounts stays fast; the production cost
        # is checked in tests/auth/test_passwords.py.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 8 * 1024,
        "ARGON2_PARALLELISM": 1,
        # The front cache reads the change marker on every request in tests (a change shows at once);
        # tests/registry/test_front_cache.py checks the interval.
        "FRONT_CACHE_SECONDS": 0,
    }


def migrate_to_head(database_url: str, instance: Path) -> None:
    app = create_app(base_config(database_url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgres_cluster():
    if not postgres.binaries_available():
        skip_or_fail("POSTGRES", "PostgreSQL server binaries (initdb, pg_ctl, postgres) are not on PATH")
    cluster = postgres.PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url(backend, request, tmp_path_factory) -> str:
    """A database migrated to head with ``flask db upgrade``'s code path, shared by the session."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database("labelapp_test")
    migrate_to_head(url, tmp_path_factory.mktemp("migrate-instance"))
    return url


def empty_all_tables() -> None:
    """Start the next test from empty tables, stepping round the audit log's append-only triggers.

    The registry's change marker keeps its row and moves on, as the triggers it stands for are stepped round
    (or, for TRUNCATE, not fired) here: caches keyed by it must not outlive a test's data.
    """
    tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name != "registry_change"]
    if db.engine.dialect.name == "postgresql":
        emptying = [f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"]
    else:
        emptying = [f"DELETE FROM {table}" for table in tables]
    without_triggers(*emptying, "UPDATE registry_change SET counter = counter + 1")


@pytest.fixture
def instance_path():
    path = Path(tempfile.mkdtemp(prefix="labelapp-instance-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def config_overrides() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, instance_path, config_overrides):
    app = create_app({**base_config(database_url, instance_path), **config_overrides})
    with app.app_context():
        municipality_services.load()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.rollback()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    """One user of each role, plus staff of a second municipality: name -> email."""
    with app.app_context():
        made = {
            "staff": make_user(Role.STAFF, "0784"),
            "other_staff": make_user(Role.STAFF, "0793"),
            "assessor": make_user(Role.ASSESSOR),
            "coordinator": make_user(Role.COORDINATOR),
        }
        return {key: user.email for key, user in made.items()}


@pytest.fixture
def login_as(client, users):
    """Log the test client in as one of the ``users`` (or anonymous for None)."""

    def _login(who: str | None):
        if who is None:
            return None
        response = login(client, users[who])
        assert response.status_code == 302, response.get_data(as_text=True)
        return users[who]

    return _login


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only (sqlite_only) exist only in that backend's variant (nothing to skip)."""
    kept, dropped = [], []
    for item in items:
        backend = getattr(getattr(item, "callspec", None), "params", {}).get("backend")
        other = (item.get_closest_marker("postgres_only") and backend == "sqlite") or \
            (item.get_closest_marker("sqlite_only") and backend == "postgresql")
        (dropped if other else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    """Say how many tests ran per backend and in the browser, so CI logs show they were not skipped."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") not in ("call", "setup") or \
                    (outcome == "passed" and report.when != "call"):
                continue
            node = report.nodeid
            kinds = ["browser"] if "/browser/" in node else []
            kinds += [b for b in BACKENDS if f"[{b}" in node or f"-{b}" in node.split("[", 1)[-1]]
            for kind in kinds or ["no database"]:
                counts.setdefault(kind, {}).setdefault(outcome, 0)
                counts[kind][outcome] += 1
    terminalreporter.write_sep("-", "tests by backend")
    for kind in ("sqlite", "postgresql", "browser", "no database"):
        if kind in counts:
            parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts[kind].items()))
            terminalreporter.write_line(f"{kind}: {parts}")


@pytest.fixture
def evidence_url(app, client, login_as):
    """A new self-assessment of the staff member, logged in; the evidence page of one criterion."""
    with app.test_request_context():
        open_round()
    login_as("staff")
    response = client.post("/assessments/start", data={"csrf_token": csrf_token(
        client.get("/assessments/start").get_data(as_text=True))})
    assessment_id = re.search(r"/assessments/(\d+)", response.headers["Location"]).group(1)
    return f"/assessments/{assessment_id}/criteria/strategy.principles/evidence"


@pytest.fixture
def smtp():
    """A local SMTP server that keeps what it receives (modules point SMTP_HOST at it in config_overrides)."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def fresh_url(backend, request, tmp_path):
    """An empty database of the backend, for tests that run the migrations themselves."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    cluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(f"fresh_{tmp_path.name[-20:].lower().replace('-', '_')}")
