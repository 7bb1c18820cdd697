"""Backups of the database and the uploaded evidence, and their restore into an empty instance.

A backup is a folder: ``database.sqlite3`` (SQLite's online backup API, consistent while the app runs, never a
file copy of a WAL database) or ``database.dump`` (``pg_dump --format=custom``), ``files/`` (the evidence
files, the signing key and the audit chain key) and ``manifest.json`` (row counts per table and a SHA-256 per file),
which the restore checks the result against.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3

# pg_dump and pg_restore, with argument lists, never a shell.
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text

from labelapp.core import keys
from labelapp.core.types import utcnow
from labelapp.extensions import db

MANIFEST = "manifest.json"
FILES = "files"
# Under the instance folder: what a restore needs besides the database (survey staging is temporary). Without
# the chain key a restored audit log no longer verifies.
KEPT = ["uploads/evidence", keys.SIGNING_KEY_FILE, keys.CHAIN_KEY_FILE]


class BackupError(Exception):
    pass


@dataclass
class Summary:
    tables: dict[str, int]
    files: dict[str, str]

    def describe(self) -> str:
        return f"{sum(self.tables.values())} rows in {len(self.tables)} tables and {len(self.files)} files"


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
        raise BackupError(f"{destination} is not empty; give a new folder for the backup.")
    destination.mkdir(parents=True, exist_ok=True)
    os.chmod(destination, 0o700)  # password hashes and second-factor secrets are inside
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        database = "database.sqlite3"
        _sqlite_copy(url.database, destination / database)
    else:
        conninfo, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={destination / 'database.dump'}", conninfo], env)
        database = "database.dump"
    files = instance_files()
    root = Path(current_app.instance_path)
    for relative in files:
        copy = destination / FILES / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, copy)
    counts = row_counts()
    manifest = {"created_at": utcnow().isoformat(), "backend": url.get_backend_name(), "database": database,
                "revision": db.session.scalar(text("SELECT version_num FROM alembic_version")),
                "tables": counts, "files": files}
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return Summary(counts, files)


def _run(command: list[str], env: dict[str, str]) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    # The program is found on PATH by name and given a list of arguments (no shell); the arguments are the
    # instance's own database URL and backup paths.
    result = subprocess.run([binary, *command[1:]], env=env, capture_output=True, text=True,  # noqa: S603  # nosec B603
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def restore(source: Path) -> Summary:
    """Restore a backup into this instance, whose database must have no tables and whose files must be absent."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST} cannot be read: {exc}") from exc
    url = db.engine.url
    if manifest["backend"] != url.get_backend_name():
        raise BackupError(f"The backup is of a {manifest['backend']} database; this instance uses "
                          f"{url.get_backend_name()}. Restore it into the same kind of database.")
    existing = inspect(db.engine).get_table_names()
    if existing:
        raise BackupError(f"The database is not empty ({len(existing)} tables, e.g. {existing[0]}); restore into "
                          "a new, empty database.")
    root = Path(current_app.instance_path)
    clashes = [relative for relative in manifest["files"] if (root / relative).exists()]
    if clashes:
        raise BackupError(f"{root / clashes[0]} already exists; restore into an empty instance folder.")
    for relative, digest in manifest["files"].items():
        if _sha256(source / FILES / relative) != digest:
            raise BackupError(f"{source / FILES / relative} does not match its SHA-256 in the manifest.")
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(source / manifest["database"], url.database)
    else:
        conninfo, env = _libpq(url)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={conninfo}", str(source / manifest["database"])], env)
    for relative in manifest["files"]:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / FILES / relative, root / relative)
    summary = Summary(row_counts(), instance_files())
    if summary.tables != manifest["tables"]:
        expected = manifest["tables"]
        differ = {t: (expected.get(t), n) for t, n in summary.tables.items() if expected.get(t) != n}
        raise BackupError(f"Row counts differ after the restore (table: backup, restored): {differ}")
    if summary.files != manifest["files"]:
        raise BackupError("The restored files differ from the backup's manifest.")
    return summary
