"""`flask backup create` / `flask backup restore`: database (online) and evidence files into an empty instance."""

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
from tests.assessment.test_evidence import PDF, PNG, upload
from tests.conftest import base_config

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
