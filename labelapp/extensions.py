"""Extension objects only; they are bound to an app in ``create_app``."""

from collections.abc import Callable

import click
from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def init_migrate(app: Flask, **options) -> None:
    """Flask-Migrate for ``app`` without importing Alembic (a fifth of a command's start-up) until it is used:
    ``flask db ...`` and ``flask_migrate.upgrade()`` find the real configuration on first use."""
    app.extensions["migrate"] = _LazyMigrate(app, options)
    app.cli.add_command(LazyCommand("db", "Perform database migrations.", _migrate_group))


class _LazyMigrate:
    """Stands in ``app.extensions["migrate"]``; the first attribute read binds Flask-Migrate, which replaces it."""

    def __init__(self, app: Flask, options: dict):
        self._app, self._options = app, options

    def __getattr__(self, name: str):
        from flask_migrate import Migrate

        Migrate().init_app(self._app, db, **self._options)
        return getattr(self._app.extensions["migrate"], name)


def _migrate_group() -> click.Command:
    from flask_migrate.cli import db as group

    return group


class LazyCommand(click.Command):
    """A command (group) listed in ``flask --help`` by its name and help; ``load`` imports the real one, which
    parses and runs it, only when it is used."""

    def __init__(self, name: str, help: str, load: Callable[[], click.Command]):  # noqa: A002  (click's name)
        super().__init__(name, help=help)
        self._load = load

    def make_context(self, info_name, args, parent=None, **extra):
        return self._load().make_context(info_name, args, parent=parent, **extra)

    def shell_complete(self, ctx, incomplete):
        return self._load().shell_complete(ctx, incomplete)
