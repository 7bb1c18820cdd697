"""labelapp: the 'Kaasav omavalitsus' (inclusive municipality) label service."""

from __future__ import annotations

import gc
import os
from functools import partial

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine


def create_app(test_config: dict | None = None) -> Flask:
    """The app. Its start-up makes hundreds of thousands of objects that live as long as the process (modules,
    classes, the tables and mappers): the cycle collector is paused while they are made and they are then moved
    out of its sight (``gc.freeze``), so that no later collection walks them again (a command reading a large
    survey file spent a tenth of its time in such collections). Not in tests, which make an app per test: there
    freezing would keep every earlier test's garbage."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        app = _create_app(test_config)
    finally:
        if collecting:
            gc.enable()
    if not app.testing:
        gc.freeze()
    return app


def _create_app(test_config: dict | None) -> Flask:
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("LABELAPP_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    from labelapp.core.routing import LazyBuildRule

    app.url_rule_class = LazyBuildRule

    from labelapp.config import load_config

    load_config(app, test_config)
    register_proxy(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_commands(app)
    register_front_cache(app)
    return app


def register_front_cache(app: Flask) -> None:
    """Anonymous GETs of the public registry pages are answered from a cache in front of the app stack, keyed by
    the registry change marker, read at most once per FRONT_CACHE_SECONDS (0: every request; None: no cache)."""
    interval = app.config["FRONT_CACHE_SECONDS"]
    if interval is None:
        return
    from labelapp.core.frontcache import FrontCache
    from labelapp.extensions import db
    from labelapp.registry import cache

    with app.app_context():
        engine = db.engine
    app.wsgi_app = FrontCache(app.wsgi_app, cache.marker_reader(engine), cache.FRONT_PREFIXES, interval=interval)
    app.extensions["labelapp.front_cache"] = app.wsgi_app


def register_proxy(app: Flask) -> None:
    """Take the client address from X-Forwarded-For only when proxies are configured (PROXY_FIX_X_FOR), and
    then only the hops those proxies appended: a header a client sends itself is not believed."""
    hops = app.config["PROXY_FIX_X_FOR"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)


def register_extensions(app: Flask) -> None:
    import labelapp.models  # noqa: F401  (registers every table on the metadata)
    from labelapp.extensions import babel, csrf, db, init_migrate, login_manager

    db.init_app(app)
    init_migrate(app, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                 render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.session_protection = "basic"

    from labelapp.auth.loader import load_user

    login_manager.user_loader(load_user)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # Let SQLAlchemy's "begin" event below start transactions instead of the sqlite3 module.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A request that may write (POST) takes SQLite's single write lock at BEGIN, waiting up to
        # busy_timeout for it. A deferred transaction that reads first and writes later fails at once
        # ("database is locked") when another writer committed in between, which busy_timeout cannot help
        # with. Pages that only read (GET) keep deferred transactions so that readers never wait for writers;
        # so do command-line tools, which may nest app contexts (each with its own connection).
        writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def select_locale() -> str:
    from flask import current_app, has_request_context

    if not has_request_context():
        return current_app.config["CLI_LOCALE"]
    choice = request.cookies.get("lang")
    return choice if choice in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def register_blueprints(app: Flask) -> None:
    from labelapp.applications import views as applications
    from labelapp.assessment import views as assessment
    from labelapp.auth import admin_views as user_admin
    from labelapp.auth import views as auth
    from labelapp.auth.permissions import declare_endpoint, deny_undeclared, public
    from labelapp.core.inputs import register_converters, register_query_checks
    from labelapp.criteria import views as criteria
    from labelapp.improvement import views as improvement
    from labelapp.labels import views as labels
    from labelapp.pages import views as pages
    from labelapp.panel import views as panel
    from labelapp.programme import api as programme_api
    from labelapp.programme import views as programme
    from labelapp.registry import api, trust
    from labelapp.registry import views as registry
    from labelapp.surveys import views as surveys

    register_converters(app)
    register_query_checks(app)
    for module in (pages, auth, user_admin, criteria, assessment, surveys, applications, panel, labels,
                   improvement, registry, api, trust, programme, programme_api):
        app.register_blueprint(module.bp)
    app.register_blueprint(surveys.staff_bp)
    declare_endpoint(app, "static", public)
    deny_undeclared(app)


def register_request_hooks(app: Flask) -> None:
    from labelapp.core import mail
    from labelapp.core.http import register_error_handlers, register_security_headers, register_trusted_hosts
    from labelapp.core.templating import register_template_helpers

    mail.register(app)
    from labelapp.auth import permissions, sessions

    sessions.register(app)
    register_trusted_hosts(app)
    register_security_headers(app)
    register_error_handlers(app)
    register_template_helpers(app)
    permissions.register_template_helpers(app)
    register_hooks()


def register_hooks() -> None:
    """Let later steps of the process answer earlier steps' signals (the earlier ones never import them)."""
    from labelapp.applications import hooks as application_hooks
    from labelapp.improvement import hooks as improvement_hooks
    from labelapp.labels import hooks as label_hooks
    from labelapp.panel import hooks as panel_hooks
    from labelapp.programme import hooks as programme_hooks
    from labelapp.registry import hooks as registry_hooks

    application_hooks.connect()
    panel_hooks.connect()
    label_hooks.connect()
    improvement_hooks.connect()
    programme_hooks.connect()
    registry_hooks.connect()


# The command groups, listed by name and help; each group's module (and what it imports) loads only when the group
# is used, so that one command does not pay for the others. tests/test_startup.py checks the help against each group.
COMMANDS = {
    "municipalities": ("Reference list of municipalities.", "labelapp.municipalities.cli:municipalities_cli"),
    "users": ("Accounts and roles.", "labelapp.auth.cli:users_cli"),
    "mail": ("The e-mail outbox.", "labelapp.core.cli:mail_cli"),
    "demo": ("Demo data (refused in production).", "labelapp.demo.cli:demo_cli"),
    "criteria": ("Versioned criteria files.", "labelapp.criteria.cli:criteria_cli"),
    "survey": ("Resident-satisfaction survey waves.", "labelapp.surveys.cli:survey_cli"),
    "applications": ("Applications for the label.", "labelapp.applications.cli:applications_cli"),
    "panels": ("Assessor panels.", "labelapp.panel.cli:panels_cli"),
    # labelapp.registry.cli adds verify-credential to this group.
    "labels": ("Awarded labels.", "labelapp.labels.cli:labels_cli", "labelapp.registry.cli"),
    "improvement": ("Improvement plans.", "labelapp.improvement.cli:improvement_cli"),
    "audit": ("The append-only audit log.", "labelapp.core.cli:audit_cli"),
    "backup": ("Back up and restore the database and the evidence files.", "labelapp.core.cli:backup_cli"),
    "maintenance": ("Housekeeping of the instance folder.", "labelapp.core.cli:maintenance_cli"),
    "keys": ("The instance's signing key (credentials, status lists, audit anchors).", "labelapp.core.cli:keys_cli"),
    "programme": ("The programme file: results as data.", "labelapp.programme.cli:programme_cli"),
}


def register_commands(app: Flask) -> None:
    from labelapp.extensions import LazyCommand

    for name, (help_text, where, *also) in COMMANDS.items():
        app.cli.add_command(LazyCommand(name, help_text, partial(_load_group, where, *also)))


def _load_group(where: str, *also: str):
    import importlib

    module, attribute = where.split(":")
    group = getattr(importlib.import_module(module), attribute)
    for extra in also:
        importlib.import_module(extra)
    return group
