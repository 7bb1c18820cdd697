"""`flask backup create` / `flask backup restore`: database (online) and evidence files into an empty instance."""

import hashlib
import itertools
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from labelapp import create_app
from labelapp.core import backup
from labelapp.extensions import db
from tests.conftest import base_config
from tests.support.evidence import PDF, PNG, upload

_numbers = itertools.count(1)


@pytest.fixture
def empty_instance(backend, request):
    """A second instance: its own folder and a database with no tables at all."""
    folder = Path(tempfile.mkdtemp(prefix="labelapp-restore-"))
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'restored.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_cluster").create_database(f"restore_{next(_numbers)}")
    other = create_app(base_config(url, folder))
    yield other
    with other.app_context():
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


def counts_and_files(app):
    with app.app_context():
        return backup.row_counts(), backup.instance_files()


def test_backup_restores_into_an_empty_instance_with_equal_rows_and_files(app, client, users, evidence_url, runner,
                                                                           empty_instance, tmp_path):
    assert upload(client, evidence_url, PDF, "otsus.pdf").status_code == 302
    assert upload(client, evidence_url, PNG, "foto.png").status_code == 302
    rows, files = counts_and_files(app)
    assert len([name for name in files if name.startswith("uploads/")]) == 2
    assert "audit-chain.key" in files  # without it the restored audit log would not verify
    assert "secrets.fernet.key" in files  # without it no stored second factor could be read
    assert rows["evidence"] == 2 and rows["audit_entry"] > 0

    result = runner.invoke(args=["backup", "create", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"] == rows and manifest["files"] == files

    result = empty_instance.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "match the backup" in result.output
    assert counts_and_files(empty_instance) == (rows, files)
    verified = empty_instance.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output
    # The restored instance works: the staff member logs in and downloads the evidence file.
    restored = empty_instance.test_client()
    from tests.support.web import login

    assert login(restored, users["staff"]).status_code == 302
    response = restored.get(evidence_url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    links = re.findall(r'href="(/assessments/\d+/evidence/\d+/download)"', page)
    downloaded = []
    for link in links:
        with restored.get(link) as response:
            downloaded.append(response.data)
    assert sorted(downloaded) == sorted([PDF, PNG])
    # The second factors, stored encrypted, still work with the restored secrets key.
    assert login(empty_instance.test_client(), users["coordinator"]).status_code == 302


def test_restore_refuses_a_database_that_is_not_empty(app, runner, tmp_path):
    assert runner.invoke(args=["backup", "create", str(tmp_path / "backup")]).exit_code == 0
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 1
    assert "The database is not empty" in result.output


def test_backup_refuses_a_folder_that_is_not_empty(runner, tmp_path):
    (tmp_path / "old.txt").write_text("keep me")
    result = runner.invoke(args=["backup", "create", str(tmp_path)])
    assert result.exit_code == 1 and "is not empty" in result.output
    assert (tmp_path / "old.txt").read_text() == "keep me"


def test_restore_refuses_a_changed_file(app, client, evidence_url, runner, empty_instance, tmp_path):
    upload(client, evidence_url, PDF, "otsus.pdf")
    runner.invoke(args=["backup", "create", str(tmp_path / "backup")])
    stored = next((tmp_path / "backup" / "files" / "uploads" / "evidence").iterdir())
    stored.write_bytes(PDF + b"changed")
    result = empty_instance.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "does not match its SHA-256" in result.output
    with empty_instance.app_context():
        assert db.inspect(db.engine).get_table_names() == []  # checked before anything was written


def make_backup(client, evidence_url, runner, tmp_path) -> Path:
    assert upload(client, evidence_url, PDF, "otsus.pdf").status_code == 302
    result = runner.invoke(args=["backup", "create", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    return tmp_path / "backup"


def restore_fails(instance, source: Path) -> str:
    """Restore ``source`` into ``instance``: it must fail with a message, no traceback, and nothing written."""
    result = instance.test_cli_runner().invoke(args=["backup", "restore", str(source)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, not a traceback
    assert result.output.startswith("Restore failed: ") and "Traceback" not in result.output
    with instance.app_context():
        assert db.inspect(db.engine).get_table_names() == []
        assert backup.instance_files() == {}
    return result.output


def manifest_of(source: Path) -> dict:
    return json.loads((source / "manifest.json").read_text())


def edit_manifest(source: Path, **changes) -> None:
    (source / "manifest.json").write_text(json.dumps({**manifest_of(source), **changes}))


def database_of(source: Path) -> Path:
    return source / manifest_of(source)["database"]


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_backup_manifest_holds_the_sha256_of_the_database(client, evidence_url, runner, tmp_path):
    source = make_backup(client, evidence_url, runner, tmp_path)
    assert manifest_of(source)["database_sha256"] == hashlib.sha256(database_of(source).read_bytes()).hexdigest()


def test_restore_refuses_a_database_with_one_byte_changed(client, users, evidence_url, runner, empty_instance,
                                                          tmp_path):
    source = make_backup(client, evidence_url, runner, tmp_path)
    database = database_of(source)
    stored = database.read_bytes()
    # On SQLite, a byte of a stored password hash; the PostgreSQL dump is compressed, so any byte inside it.
    offset = stored.find(b"$argon2id$") + 20 if database.suffix == ".sqlite3" else len(stored) // 2
    assert offset > 20
    flip_byte(database, offset)
    output = restore_fails(empty_instance, source)
    assert f"{database} does not match its SHA-256 in the manifest" in output
    assert manifest_of(source)["database_sha256"] in output  # expected and actual are named


@pytest.mark.parametrize("damage", ["truncated", "header damaged"])
def test_restore_refuses_a_damaged_database_file(client, evidence_url, runner, empty_instance, tmp_path, damage):
    source = make_backup(client, evidence_url, runner, tmp_path)
    database = database_of(source)
    stored = database.read_bytes()
    database.write_bytes(stored[: len(stored) // 2] if damage == "truncated" else b"\0" * 16 + stored[16:])
    assert f"{database} does not match its SHA-256" in restore_fails(empty_instance, source)


@pytest.mark.parametrize("damage", ["truncated", "header damaged"])
def test_restore_checks_the_database_itself_when_the_manifest_was_made_to_match(client, evidence_url, runner,
                                                                                empty_instance, tmp_path, damage):
    source = make_backup(client, evidence_url, runner, tmp_path)
    database = database_of(source)
    stored = database.read_bytes()
    database.write_bytes(stored[: len(stored) // 2] if damage == "truncated" else b"\0" * 16 + stored[16:])
    edit_manifest(source, database_sha256=hashlib.sha256(database.read_bytes()).hexdigest())
    output = restore_fails(empty_instance, source)
    # SQLite: PRAGMA integrity_check on a scratch copy; PostgreSQL: pg_restore in one transaction.
    assert f"{database} is not a sound SQLite database" in output or f"{database} cannot be restored" in output


def test_restore_refuses_a_backup_with_a_missing_evidence_file(client, evidence_url, runner, empty_instance,
                                                               tmp_path):
    source = make_backup(client, evidence_url, runner, tmp_path)
    stored = next((source / "files" / "uploads" / "evidence").iterdir())
    stored.unlink()
    assert f"{stored} is missing" in restore_fails(empty_instance, source)


def test_restore_refuses_a_manifest_whose_row_counts_were_edited(client, evidence_url, runner, empty_instance,
                                                                 tmp_path):
    source = make_backup(client, evidence_url, runner, tmp_path)
    edit_manifest(source, tables={**manifest_of(source)["tables"], "evidence": 7})
    output = restore_fails(empty_instance, source)
    assert "evidence" in output and "7" in output


def test_restore_refuses_a_manifest_whose_file_hash_was_edited(client, evidence_url, runner, empty_instance,
                                                               tmp_path):
    source = make_backup(client, evidence_url, runner, tmp_path)
    files = manifest_of(source)["files"]
    evidence = next(name for name in files if name.startswith("uploads/"))
    edit_manifest(source, files={**files, evidence: "0" * 64})
    assert f"expected {'0' * 64}" in restore_fails(empty_instance, source)


@pytest.mark.parametrize("manifest", [None, "{not json", "[]", "{}", '{"backend": "sqlite"}'])
def test_restore_refuses_a_missing_or_unreadable_manifest(client, evidence_url, runner, empty_instance, tmp_path,
                                                          manifest):
    source = make_backup(client, evidence_url, runner, tmp_path)
    if manifest is None:
        (source / "manifest.json").unlink()
    else:
        (source / "manifest.json").write_text(manifest)
    assert "manifest.json" in restore_fails(empty_instance, source)


def test_restore_refuses_a_manifest_naming_files_outside_the_instance(client, evidence_url, runner,
                                                                       empty_instance, tmp_path):
    source = make_backup(client, evidence_url, runner, tmp_path)
    edit_manifest(source, files={**manifest_of(source)["files"], "../../outside.txt": "0" * 64})
    assert "../../outside.txt" in restore_fails(empty_instance, source)
