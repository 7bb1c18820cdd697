"""Backups of the database and the uploaded evidence, and their restore into an empty instance.

A backup is a folder: ``database.sqlite3`` (SQLite's online backup API, consistent while the app runs, never a
file copy of a WAL database) or ``database.dump`` (``pg_dump --format=custom``), ``files/`` (the evidence
files, the signing key and the audit chain key) and ``manifest.json`` (the SHA-256 of the database file or dump
and of every file, and row counts per table), which the restore checks before it writes anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3

# pg_dump and pg_restore, with argument lists, never a shell.
import subprocess  # nosec B404
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from labelapp.core import keys
from labelapp.core.types import utcnow
from labelapp.extensions import db

MANIFEST = "manifest.json"
FILES = "files"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# Under the instance folder: what a restore needs besides the database (survey staging is temporary). Without
# the chain key a restored audit log no longer verifies; without the secrets key no second factor works.
KEPT = ["uploads/evidence", keys.SIGNING_KEY_FILE, keys.RETIRED_KEYS_FILE, keys.CHAIN_KEY_FILE,
        keys.SECRETS_KEY_FILE]


class BackupError(Exception):
    pass


@dataclass
class Summary:
    tables: dict[str, int]
    files: dict[str, str]

    def describe(self) -> str:
        return gettext("%(rows)d rows in %(tables)d tables and %(files)d files", rows=sum(self.tables.values()),
                       tables=len(self.tables), files=len(self.files))


def _sqlite_copy(source: Path | str, target: Path | str) -> None:
    """Copy a whole SQLite database with SQLite's online backup API (consistent while others write; never a
    file copy, which would miss what is still in the write-ahead log)."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with copy:
            origin.backup(copy)
    finally:
        origin.close()
        copy.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    tables = sorted(db.metadata.tables.values(), key=lambda t: t.name)
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in tables}


def instance_files() -> dict[str, str]:
    """Relative path -> SHA-256 of every file a backup keeps."""
    root = Path(current_app.instance_path)
    found = {}
    for entry in KEPT:
        path = root / entry
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else \
            ([path] if path.is_file() else [])
        for file in candidates:
            if not file.name.endswith(".part"):
                found[file.relative_to(root).as_posix()] = _sha256(file)
    return found


def _libpq(url) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def create(destination: Path) -> Summary:
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(gettext("%(path)s is not empty; give a new folder for the backup.", path=destination))
    destination.mkdir(parents=True, exist_ok=True)
    os.chmod(destination, 0o700)  # password hashes and second-factor secrets are inside
    url = db.engine.url
    database = DATABASE_FILES[url.get_backend_name()]
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(url.database, destination / database)
    else:
        conninfo, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={destination / database}", conninfo], env)
    files = instance_files()
    root = Path(current_app.instance_path)
    for relative in files:
        copy = destination / FILES / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, copy)
    counts = row_counts()
    manifest = {"created_at": utcnow().isoformat(), "backend": url.get_backend_name(), "database": database,
                "database_sha256": _sha256(destination / database),
                "revision": db.session.scalar(text("SELECT version_num FROM alembic_version")),
                "tables": counts, "files": files}
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return Summary(counts, files)


def _run(command: list[str], env: dict[str, str]) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(gettext("%(program)s is not installed (Debian: apt-get install postgresql-client).",
                                  program=command[0]))
    # The program is found on PATH by name and given a list of arguments (no shell); the arguments are the
    # instance's own database URL and backup paths.
    result = subprocess.run([binary, *command[1:]], env=env, capture_output=True, text=True,  # noqa: S603  # nosec B603
                            check=False)
    if result.returncode != 0:
        raise BackupError(gettext("%(program)s failed (%(code)d): %(error)s", program=command[0],
                                  code=result.returncode, error=result.stderr.strip()))


def read_manifest(source: Path) -> dict:
    """The backup's manifest, checked for shape; BackupError says what is wrong with it."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(gettext("%(path)s is missing: this is not a backup folder, or not a complete one.",
                                  path=path))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise BackupError(gettext("%(path)s cannot be read: %(error)s", path=path, error=exc)) from exc
    problem = _manifest_problem(manifest)
    if problem:
        raise BackupError(gettext("%(path)s is not a backup manifest: %(problem)s", path=path, problem=problem))
    return manifest


def _manifest_problem(manifest: Any) -> str | None:
    if not isinstance(manifest, dict):
        return gettext("not a JSON object")
    for key, kind in (("backend", str), ("database", str), ("database_sha256", str), ("tables", dict),
                      ("files", dict)):
        if not isinstance(manifest.get(key), kind):
            return gettext("%(key)s is missing or not a %(kind)s", key=key, kind=kind.__name__)
    if DATABASE_FILES.get(manifest["backend"]) != manifest["database"]:
        return gettext("database does not name the database file of a %(backend)s backup",
                       backend=manifest["backend"])
    for table, count in manifest["tables"].items():
        if not TABLE_NAME.fullmatch(table) or not isinstance(count, int):
            return gettext("tables: %(table)s is not a table name with a row count", table=table)
    for relative, digest in manifest["files"].items():
        parts = PurePosixPath(relative).parts
        if not isinstance(digest, str) or ".." in parts or PurePosixPath(relative).is_absolute() or \
                not any(relative == kept or relative.startswith(kept + "/") for kept in KEPT):
            return gettext("files: %(file)s is not a file a backup keeps", file=relative)
    return None


def _check_file(path: Path, expected: str) -> None:
    if not path.is_file():
        raise BackupError(gettext("%(path)s is missing, though the manifest lists it.", path=path))
    try:
        actual = _sha256(path)
    except OSError as exc:
        raise BackupError(gettext("%(path)s cannot be read: %(error)s", path=path, error=exc)) from exc
    if actual != expected:
        raise BackupError(gettext("%(path)s does not match its SHA-256 in the manifest (expected %(expected)s, "
                                  "found %(actual)s).", path=path, expected=expected, actual=actual))


def _check_sqlite(copy: Path, original: Path, tables: dict[str, int]) -> None:
    """SQLite's own integrity check and the manifest's row counts, on a scratch copy of the backup."""
    try:
        connection = sqlite3.connect(copy)
        try:
            verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                raise BackupError(gettext("%(path)s fails SQLite's integrity check: %(verdict)s", path=original,
                                          verdict="; ".join(verdict[:5])))
            # Table names were checked against TABLE_NAME when the manifest was read.
            counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608  # nosec B608
                      for table in tables}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(gettext("%(path)s is not a sound SQLite database: %(error)s", path=original,
                                  error=exc)) from exc
    _compare_counts(tables, counts, original)


def _compare_counts(expected: dict[str, int], found: dict[str, int], where: Path | str) -> None:
    differ = {table: (expected.get(table), found.get(table)) for table in set(expected) | set(found)
              if expected.get(table) != found.get(table)}
    if differ:
        listed = ", ".join(f"{table} {backup_count}/{restored}" for table, (backup_count, restored)
                           in sorted(differ.items()))
        raise BackupError(gettext("Row counts in %(where)s differ from the manifest (table manifest/found): "
                                  "%(tables)s", where=where, tables=listed))


def restore(source: Path) -> Summary:
    """Restore a backup into this instance, whose database must have no tables and whose files must be absent.

    Everything is checked before anything is written: the manifest, the SHA-256 of the database file or dump
    and of every file, and on SQLite the database's integrity and row counts. A failure after writing began
    (PostgreSQL row counts) removes what was written. Raises BackupError saying what failed and where.
    """
    source = Path(source)
    manifest = read_manifest(source)
    url = db.engine.url
    if manifest["backend"] != url.get_backend_name():
        raise BackupError(gettext("The backup is of a %(backup)s database; this instance uses %(instance)s. Restore "
                                  "it into the same kind of database.", backup=manifest["backend"],
                                  instance=url.get_backend_name()))
    existing = inspect(db.engine).get_table_names()
    if existing:
        raise BackupError(gettext("The database is not empty (%(n)d tables, e.g. %(table)s); restore into a new, "
                                  "empty database.", n=len(existing), table=existing[0]))
    root = Path(current_app.instance_path)
    clashes = [relative for relative in manifest["files"] if (root / relative).exists()]
    if clashes:
        raise BackupError(gettext("%(path)s already exists; restore into an empty instance folder.",
                                  path=root / clashes[0]))
    database = source / manifest["database"]
    _check_file(database, manifest["database_sha256"])
    for relative, digest in manifest["files"].items():
        _check_file(source / FILES / relative, digest)
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory(prefix="labelapp-restore-") as scratch:
        if url.get_backend_name() == "sqlite":
            checked = Path(scratch) / "checked.sqlite3"
            shutil.copyfile(database, checked)
            _check_sqlite(checked, database, manifest["tables"])
            database = checked  # restore the very copy that was checked
        functions = _functions()
        try:
            return _apply(source, database, manifest, url, root)
        except (BackupError, OSError, sqlite3.Error, SQLAlchemyError) as exc:
            _undo(manifest, url, root, functions, Path(scratch))
            raise exc if isinstance(exc, BackupError) else BackupError(str(exc)) from exc


def _apply(source: Path, database: Path, manifest: dict, url, root: Path) -> Summary:
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(database, url.database)
    else:
        conninfo, env = _libpq(url)
        try:
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={conninfo}", str(database)], env)
        except BackupError as exc:
            raise BackupError(gettext("%(path)s cannot be restored: %(error)s", path=database, error=exc)) from exc
    for relative in manifest["files"]:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / FILES / relative, root / relative)
    summary = Summary(row_counts(), instance_files())
    _compare_counts(manifest["tables"], summary.tables, gettext("the restored database"))
    if summary.files != manifest["files"]:
        raise BackupError(gettext("The restored files differ from the backup's manifest."))
    return summary


def _functions() -> set[str]:
    """PostgreSQL functions in the public schema (the restore adds the audit log's trigger functions)."""
    if db.engine.dialect.name != "postgresql":
        return set()
    with db.engine.connect() as connection:
        return _functions_on(connection)


def _undo(manifest: dict, url, root: Path, functions_before: set[str], scratch: Path) -> None:
    """Leave the target as it was: no tables, none of the backup's files."""
    db.session.remove()
    for relative in manifest["files"]:
        (root / relative).unlink(missing_ok=True)
    if url.get_backend_name() == "sqlite":
        db.engine.dispose()
        empty = scratch / "empty.sqlite3"
        sqlite3.connect(empty).close()
        _sqlite_copy(empty, url.database)
        return
    with db.engine.begin() as connection:
        for table in inspect(connection).get_table_names():
            connection.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
        for function in _functions_on(connection) - functions_before:
            connection.execute(text(f"DROP FUNCTION IF EXISTS {function} CASCADE"))
    db.engine.dispose()


def _functions_on(connection) -> set[str]:
    return set(connection.scalars(text(
        "SELECT oid::regprocedure::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace")))
