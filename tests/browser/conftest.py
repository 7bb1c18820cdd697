import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from labelapp import demo
from labelapp.extensions import db
from tests.conftest import empty_all_tables, skip_or_fail
from tests.support.browser import CHROMIUM_ARGS, Axe, LiveServer, chromium_path

# The browser tests exercise pages, not the database: they run on the SQLite backend only.
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session", params=["sqlite"])
def backend(request):
    return request.param


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        skip_or_fail("BROWSER", "Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory) -> Path:
    """Where the first browser test keeps the demo data it seeded (database file and instance keys), so that the
    others load a copy instead of seeding again (seeding hashes passwords, publishes criteria, scores, awards)."""
    return tmp_path_factory.mktemp("demo-snapshot")


def _restore(app, snapshot: Path) -> None:
    """The snapshot's rows into the emptied tables (in dependency order), and its keys into the instance folder
    (the audit chain and the stored secrets are keyed by them)."""
    shutil.copytree(snapshot / "instance", app.instance_path, dirs_exist_ok=True)
    empty_all_tables()
    tables = [t.name for t in db.metadata.sorted_tables if t.name != "registry_change"]
    connection = db.session.connection()
    connection.exec_driver_sql(f"ATTACH DATABASE '{snapshot / 'demo.sqlite3'}' AS snapshot")
    for table in tables:
        connection.exec_driver_sql(f"INSERT INTO main.{table} SELECT * FROM snapshot.{table}")
    db.session.commit()
    db.session.connection().exec_driver_sql("DETACH DATABASE snapshot")
    db.session.commit()


def _only_municipalities() -> bool:
    """Whether the database holds the app fixture's municipalities (and the audit row of their loading) and
    nothing else, the state demo.seed starts from: a test that made data of its own before the server started
    gets demo.seed on top of it, as before."""
    tables = [t.name for t in db.metadata.sorted_tables
              if t.name not in ("municipality", "audit_entry", "registry_change")]
    others = " + ".join(f"(SELECT count(*) FROM {table})" for table in tables)
    return db.session.scalar(text(f"SELECT {others} + (SELECT count(*) > 1 FROM audit_entry)")) == 0


@pytest.fixture
def live_server(app, demo_snapshot):
    with app.app_context():
        clean = _only_municipalities()
        if clean and (demo_snapshot / "demo.sqlite3").exists():
            _restore(app, demo_snapshot)
        else:
            demo.seed()
            db.session.commit()
        if clean and not (demo_snapshot / "demo.sqlite3").exists():
            shutil.copytree(app.instance_path, demo_snapshot / "instance", dirs_exist_ok=True)
            source, target = sqlite3.connect(db.engine.url.database), sqlite3.connect(demo_snapshot / "demo.sqlite3")
            source.backup(target)
            source.close()
            target.close()  # a connection's "with" commits but does not close
        assert db.session.scalar(text("SELECT count(*) FROM user_account")) > 0
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="et-EE")
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()
