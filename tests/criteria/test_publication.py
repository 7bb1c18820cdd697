"""Publishing pins a version's content; a changed file is refused everywhere; rounds."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from labelapp.core.models import AuditEntry
from labelapp.criteria import services
from labelapp.criteria.models import VersionStatus
from labelapp.extensions import db
from tests.support.web import login, submit

SHIPPED = Path(__file__).resolve().parents[2] / "criteria"


@pytest.fixture
def criteria_dir(tmp_path):
    target = tmp_path / "criteria"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.fixture
def config_overrides(criteria_dir):
    return {"CRITERIA_DIR": str(criteria_dir)}


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


def test_one_changed_character_after_publishing_is_refused_everywhere(app, runner, criteria_dir, client, users):
    runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    with app.app_context():
        stored = services.published("kaasav-omavalitsus", "2025.1")
        services.open_round(stored, "Round", dt.date.today() + dt.timedelta(days=30))
        db.session.commit()
    path = tamper(criteria_dir)
    # the command line
    result = runner.invoke(args=["criteria", "validate"])
    assert result.exit_code == 1
    assert str(path) in result.output and "kaasav-omavalitsus 2025.1" in result.output
    assert "MODIFIED AFTER PUBLISHING" in runner.invoke(args=["criteria", "list"]).output
    # the services
    with app.app_context():
        with pytest.raises(services.CriteriaIntegrityError) as caught:
            services.load(services.published("kaasav-omavalitsus", "2025.1"))
        assert str(path) in str(caught.value)
    # the web: starting an assessment under it
    login(client, users["staff"])
    response = client.get("/assessments/start")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "kaasav-omavalitsus 2025.1" in html and "2025.1.yaml" in html


def test_unpublished_draft_may_still_change(runner, criteria_dir):
    tamper(criteria_dir, "2026.1")
    assert runner.invoke(args=["criteria", "validate"]).exit_code == 0


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
