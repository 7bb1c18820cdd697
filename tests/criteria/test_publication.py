"""Publishing stores a version's content; a file changed afterwards is reported, never used; rounds."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from labelapp.core.models import AuditEntry
from labelapp.criteria import services
from labelapp.criteria.models import VersionStatus
from labelapp.extensions import db
from tests.support.web import login, submit


def tamper(criteria_dir: Path, version: str = "2025.1") -> Path:
    path = criteria_dir / "kaasav-omavalitsus" / f"{version}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Kaasamise põhimõtted", "Kaasamise põhimõttes", 1), encoding="utf-8")
    return path


def test_cli_publish_then_list(app, runner):
    result = runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["criteria", "list"]).output
    assert "2025.1     published" in listing and "2026.1     draft" in listing
    with app.app_context():
        stored = services.published("kaasav-omavalitsus", "2025.1")
        assert stored.status == VersionStatus.PUBLISHED and len(stored.content_hash) == 64
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "criteria.publish"))


def test_publishing_twice_is_refused(runner):
    runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    result = runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    assert result.exit_code == 1
    assert "already published" in result.output or "juba avaldatud" in result.output


def test_changed_published_file_is_a_warning_and_its_published_content_stays_in_use(app, runner, criteria_dir,
                                                                                     client, users):
    runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    path = tamper(criteria_dir)
    result = runner.invoke(args=["criteria", "validate"])
    assert result.exit_code == 0, result.output
    assert f"WARN kaasav-omavalitsus 2025.1 is published and its file {path} differs" in result.stderr
    assert "OK   " in result.stdout and "2025.1" not in result.stdout
    listing = runner.invoke(args=["criteria", "list"])
    assert listing.exit_code == 0
    line = next(line for line in listing.output.splitlines() if " 2025.1 " in line)
    assert line.endswith("WARNING: file modified since publication (the published content is used)")
    # a round opens and an assessment starts under the published content
    with app.app_context():
        services.open_round(services.published("kaasav-omavalitsus", "2025.1"), "Round",
                            dt.date.today() + dt.timedelta(days=30))
        db.session.commit()
    login(client, users["staff"])
    assert client.get("/assessments/start").status_code == 200


def test_deleted_published_file_is_a_warning(runner, criteria_dir):
    runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    path = criteria_dir / "kaasav-omavalitsus" / "2025.1.yaml"
    path.unlink()
    result = runner.invoke(args=["criteria", "validate"])
    assert result.exit_code == 0, result.output
    assert f"WARN kaasav-omavalitsus 2025.1 is published and its file {path} is missing" in result.stderr
    line = next(line for line in runner.invoke(args=["criteria", "list"]).output.splitlines() if " 2025.1 " in line)
    assert "published" in line
    assert line.endswith("(file missing)  WARNING: file missing (the published content is used)")


def test_diff_compares_the_published_content_and_warns_about_a_changed_file(runner, criteria_dir):
    runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    before = runner.invoke(args=["criteria", "diff", "2025.1", "2026.1"])
    assert before.stderr == "" and before.stdout.startswith("kaasav-omavalitsus: 2025.1 (published) → 2026.1 (file)")
    path = tamper(criteria_dir)
    after = runner.invoke(args=["criteria", "diff", "2025.1", "kaasav-omavalitsus/2026.1"])
    assert (after.exit_code, after.stdout) == (0, before.stdout)
    assert f"WARN kaasav-omavalitsus 2025.1 is published and its file {path} differs" in after.stderr
    path.unlink()
    gone = runner.invoke(args=["criteria", "diff", "2025.1", "2026.1"])
    assert (gone.exit_code, gone.stdout) == (0, before.stdout)
    assert "is missing" in gone.stderr


def test_unpublished_draft_may_still_change(runner, criteria_dir):
    tamper(criteria_dir, "2026.1")
    assert runner.invoke(args=["criteria", "validate"]).exit_code == 0


def test_validate_fails_on_an_invalid_draft(runner, criteria_dir):
    path = criteria_dir / "kaasav-omavalitsus" / "2026.1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 20", "weight: -20", 1), encoding="utf-8")
    result = runner.invoke(args=["criteria", "validate"])
    assert result.exit_code == 1 and f"FAIL {path}" in result.stderr


def test_invalid_file_cannot_be_published(app, runner, criteria_dir):
    path = criteria_dir / "kaasav-omavalitsus" / "2026.1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 20", "weight: -20", 1), encoding="utf-8")
    result = runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2026.1"])
    assert result.exit_code == 1
    assert "areas[0].weight" in result.output
    with app.app_context():
        assert services.published("kaasav-omavalitsus", "2026.1") is None


def test_diff_lists_added_removed_changed_and_rules(runner):
    output = runner.invoke(args=["criteria", "diff", "2025.1", "2026.1"]).output
    assert "Added criteria (1):\n  decisions.youth" in output
    assert "Removed criteria (1):\n  services.feedback" in output
    assert "services.delegation: weight: 1.0 → 2.0" in output
    assert "strategy.responsible: title.en: 'Official responsible for engagement' → 'Engagement lead'" in output
    assert "award_rules.survey.applies_to: 'value' → 'ci_lower'" in output


def test_diff_lists_a_changed_panel_minimum(runner, criteria_dir):
    path = criteria_dir / "kaasav-omavalitsus" / "2026.1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\npanel:\n  min_assessors: 3\n", encoding="utf-8")
    assert "panel.min_assessors: 2 → 3" in runner.invoke(args=["criteria", "diff", "2025.1", "2026.1"]).output


def test_coordinator_publishes_and_opens_a_round_in_the_browserless_ui(app, client, login_as):
    login_as("coordinator")
    page = client.get("/admin/criteria/").get_data(as_text=True)
    assert "2025.1" in page and "2026.1" in page
    assert submit(client, "/admin/criteria/publish", {"framework": "kaasav-omavalitsus", "version": "2026.1"},
                  form_page="/admin/criteria/").status_code == 302
    with app.app_context():
        version_id = services.published("kaasav-omavalitsus", "2026.1").id
    closes = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    response = submit(client, "/admin/criteria/rounds", {"round-criteria_version": str(version_id),
                                                         "round-title": "Voor 2026", "round-closes_on": closes},
                      form_page="/admin/criteria/")
    assert response.status_code == 302
    with app.app_context():
        current = services.current_round()
        assert (current.title, current.criteria_version.version) == ("Voor 2026", "2026.1")
    second = submit(client, "/admin/criteria/rounds", {"round-criteria_version": str(version_id),
                                                       "round-title": "Another", "round-closes_on": closes},
                    form_page="/admin/criteria/")
    assert second.status_code == 422


def test_round_closing_date_must_be_in_the_future(app):
    with app.test_request_context():
        stored = services.publish("kaasav-omavalitsus", "2025.1")
        with pytest.raises(services.CriteriaError):
            services.open_round(stored, "Past", dt.date.today())


def test_retired_version_cannot_open_a_round(app):
    with app.test_request_context():
        stored = services.publish("kaasav-omavalitsus", "2025.1")
        services.retire(stored)
        with pytest.raises(services.CriteriaError):
            services.open_round(stored, "R", dt.date.today() + dt.timedelta(days=3))
