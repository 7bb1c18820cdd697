"""Applications: created from a submitted self-assessment with a recomputable snapshot; each step audited."""

import pytest
from sqlalchemy import func, select

from labelapp.applications import services
from labelapp.applications.models import Application
from labelapp.applications.states import TRANSITIONS, ApplicationStatus
from labelapp.assessment import services as assessment_services
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.surveys import services as survey_services
from tests.support.factories import filled_assessment, open_round
from tests.support.web import csrf_token, login, submit
from tests.surveys.files import write_text


@pytest.fixture
def submitted(app, users, tmp_path, runner):
    path = write_text(tmp_path / "kov.csv", [["EHAK", "Osakaal", "n"], ["0784", "64", "812"]])
    assert runner.invoke(args=["survey", "import", str(path), "--wave", "2024"]).exit_code == 0
    with app.test_request_context():
        staff = find_user(users["staff"])
        assessment = filled_assessment(staff, open_round(), level=2)
        assessment_services.submit(assessment, staff)
        db.session.commit()
        return assessment.id


def test_staff_prepare_and_submit_an_application(app, client, users, submitted):
    login(client, users["staff"])
    page = client.get("/applications/").get_data(as_text=True)
    assert f"/applications/new/{submitted}" in page
    response = client.post(f"/applications/new/{submitted}", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    detail_url = response.headers["Location"]
    assert submit(client, detail_url + "/submit", form_page=detail_url).status_code == 302
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.status == ApplicationStatus.SUBMITTED
        assert application.snapshot["inputs"]["survey"]["value"] == 64.0
        result = application.snapshot["result"]
        assert result["self_score"] == pytest.approx(66.67, abs=0.01)
        assert result["combined"] == pytest.approx(0.6 * result["self_score"] + 0.4 * 64.0, abs=0.01)
        assert result["passed"] is True


def test_snapshot_recomputes_identically_from_its_inputs(app, users, submitted):
    with app.test_request_context():
        application = services.create(db.session.get(assessment_services.Assessment, submitted),
                                      find_user(users["staff"]))
        db.session.commit()
        criteria = criteria_services.load(application.criteria_version)
        inputs = application.snapshot["inputs"]
        assert services.compute_snapshot(criteria, inputs["answers"], inputs["survey"]) == application.snapshot


def test_every_transition_writes_one_audit_row(app, client, users, submitted):
    with app.test_request_context():
        application = services.create(db.session.get(assessment_services.Assessment, submitted),
                                      find_user(users["staff"]))
        db.session.commit()
        application_id = application.id
    login(client, users["staff"])
    url = f"/applications/{application_id}"
    submit(client, url + "/submit", form_page=url)
    coordinator = app.test_client()
    login(coordinator, users["coordinator"])
    submit(coordinator, url + "/start_screening", form_page=url)
    page = coordinator.get(url).get_data(as_text=True)
    assert "evidence present where required" in page or "tõendid" in page
    submit(coordinator, url + "/accept", form_page=url)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "application")
                                     .order_by(AuditEntry.id)).all()
        assert actions == ["application.create", "application.submit", "application.start_screening",
                           "application.accept"]
        assert db.session.get(Application, application_id).status == ApplicationStatus.IN_REVIEW


def test_wrong_transition_and_wrong_role_change_nothing(app, client, users, submitted):
    with app.test_request_context():
        application_id = services.create(db.session.get(assessment_services.Assessment, submitted),
                                         find_user(users["staff"])).id
        db.session.commit()
    url = f"/applications/{application_id}"
    login(client, users["staff"])
    assert submit(client, url + "/accept", form_page=url).status_code == 403  # a coordinator's step
    coordinator = app.test_client()
    login(coordinator, users["coordinator"])
    submit(coordinator, url + "/start_screening", form_page=url)  # still a draft: not allowed
    other = app.test_client()
    login(other, users["other_staff"])
    assert other.get(url).status_code == 404
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.DRAFT
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.object_type == "application")) == 1


def test_rejection_needs_a_reason_the_municipality_can_read(app, client, users, submitted):
    with app.test_request_context():
        application = services.create(db.session.get(assessment_services.Assessment, submitted),
                                      find_user(users["staff"]))
        db.session.commit()
        application_id = application.id
    url = f"/applications/{application_id}"
    login(client, users["staff"])
    submit(client, url + "/submit", form_page=url)
    coordinator = app.test_client()
    login(coordinator, users["coordinator"])
    submit(coordinator, url + "/start_screening", form_page=url)
    submit(coordinator, url + "/reject", {"reason": "short"}, form_page=url)
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.SCREENING
    submit(coordinator, url + "/reject", {"reason": "The evidence links do not open."}, form_page=url)
    assert "The evidence links do not open." in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.DECLINED


def test_application_pins_the_survey_result_in_force(app, users, submitted, tmp_path, runner):
    with app.test_request_context():
        application = services.create(db.session.get(assessment_services.Assessment, submitted),
                                      find_user(users["staff"]))
        db.session.commit()
        pinned = application.survey_result_id
    path = write_text(tmp_path / "fix.csv", [["EHAK", "Osakaal", "n"], ["0784", "40", "812"]])
    assert runner.invoke(args=["survey", "import", str(path), "--wave", "2024", "--supersede"]).exit_code == 0
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.survey_result_id == pinned
        assert application.survey_result.value == 64.0
        assert survey_services.latest_result(application.municipality_id).value == 40.0


@pytest.mark.parametrize("pair", sorted(TRANSITIONS, key=lambda p: (p[0].value, p[1].value)),
                         ids=lambda p: f"{p[0].value}-{p[1].value}")
def test_every_transition_writes_exactly_one_audit_row(app, users, submitted, pair):
    status, action = pair
    with app.test_request_context():
        application = services.create(db.session.get(assessment_services.Assessment, submitted),
                                      find_user(users["staff"]))
        application.status = status
        db.session.flush()
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
        services.change_status(application, action, "A reason long enough")
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2)).all()
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
        assert rows[0].action == f"application.{action.value}"
        assert (rows[0].before["status"], rows[0].after["status"]) == (status.value, TRANSITIONS[pair].value)
        db.session.rollback()
