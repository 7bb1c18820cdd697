"""Every irreversible step has a confirmation page (GET, no JavaScript) naming what will happen, with the POST
button; the GET changes nothing and the step itself stays POST-only with CSRF."""

import re

from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.states import Action, ApplicationStatus
from labelapp.assessment.models import Assessment, AssessmentStatus
from labelapp.auth.services import find_user
from labelapp.criteria.models import CriteriaVersion, VersionStatus
from labelapp.extensions import db
from labelapp.labels import decisions
from labelapp.labels.models import Label, LabelState
from tests.support.factories import application_from, filled_assessment, open_round, recommended_application
from tests.support.web import csrf_token


def form_action(html: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)"', html).group(1)


def test_submitting_the_assessment_is_confirmed_then_leads_to_the_application(app, client, login_as, users):
    with app.test_request_context():
        assessment_id = filled_assessment(find_user(users["staff"]), open_round(), level=2).id
    login_as("staff")
    client.set_cookie("lang", "en")
    page = client.get(f"/assessments/{assessment_id}/submit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "is locked" in html
    assert form_action(html) == f"/assessments/{assessment_id}/submit"
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.DRAFT  # GET changed nothing
    response = client.post(f"/assessments/{assessment_id}/submit", data={"csrf_token": csrf_token(html)})
    assert response.headers["Location"] == f"/applications/new/{assessment_id}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What happens next, and who acts" in html and "The coordinator checks" in html
    response = client.post(f"/applications/new/{assessment_id}", data={"csrf_token": csrf_token(html),
                                                                        "then": "submit"})
    with app.app_context():
        application = db.session.scalar(select(Application).where(Application.assessment_id == assessment_id))
        assert application.status == ApplicationStatus.SUBMITTED
    assert response.headers["Location"] == f"/applications/{application.id}"


def test_an_incomplete_assessment_is_not_offered_for_submission(app, client, login_as, users):
    with app.test_request_context():
        assessment_id = filled_assessment(find_user(users["staff"]), open_round(), level=2,
                                          with_evidence=False).id
    login_as("staff")
    client.set_cookie("lang", "en")
    html = client.get(f"/assessments/{assessment_id}/submit").get_data(as_text=True)
    assert "cannot be submitted yet" in html and "Evidence needed:" in html
    assert '<form method="post"' not in html.split("<main")[1]
    html = client.get(f"/applications/new/{assessment_id}").get_data(as_text=True)
    assert "not submitted yet" in html and "criteria still need an answer or evidence" in html


def test_withdrawing_is_confirmed(app, client, login_as, users):
    with app.test_request_context():
        application_id = application_from(find_user(users["staff"]), steps=(Action.SUBMIT,)).id
        db.session.commit()
    login_as("staff")
    client.set_cookie("lang", "en")
    detail = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert f'href="/applications/{application_id}/withdraw"' in detail
    html = client.get(f"/applications/{application_id}/withdraw").get_data(as_text=True)
    assert "cannot be resumed" in html and form_action(html) == f"/applications/{application_id}/withdraw"
    client.post(f"/applications/{application_id}/withdraw", data={"csrf_token": csrf_token(html)})
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.WITHDRAWN
    assert client.get(f"/applications/{application_id}/withdraw").status_code == 409


def test_publishing_and_retiring_criteria_are_confirmed(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    listing = client.get("/admin/criteria/").get_data(as_text=True)
    assert 'href="/admin/criteria/publish?framework=kaasav-omavalitsus&amp;version=2025.1"' in listing
    html = client.get("/admin/criteria/publish?framework=kaasav-omavalitsus&version=2025.1").get_data(as_text=True)
    assert "never changed" in html and 'name="version" value="2025.1"' in html
    with app.app_context():
        assert db.session.scalar(select(CriteriaVersion)) is None  # the GET published nothing
    client.post("/admin/criteria/publish", data={"csrf_token": csrf_token(html), "framework": "kaasav-omavalitsus",
                                                 "version": "2025.1"})
    with app.app_context():
        version_id = db.session.scalar(select(CriteriaVersion.id))
    html = client.get(f"/admin/criteria/{version_id}/retire").get_data(as_text=True)
    assert "no longer offered for new rounds" in html
    client.post(f"/admin/criteria/{version_id}/retire", data={"csrf_token": csrf_token(html)})
    with app.app_context():
        assert db.session.get(CriteriaVersion, version_id).status == VersionStatus.RETIRED
    bad = client.get("/admin/criteria/publish?framework=../etc&version=1")
    assert bad.status_code == 302


def test_releasing_decisions_and_revoking_a_label_are_confirmed(app, client, login_as, users):
    with app.test_request_context():
        staff, assessor = find_user(users["staff"]), find_user(users["assessor"])
        coordinator = find_user(users["coordinator"])
        decisions.decide(recommended_application(staff, assessor), coordinator, "award", "")
        db.session.commit()
    login_as("coordinator")
    client.set_cookie("lang", "en")
    assert 'href="/applications/decisions/release"' in client.get("/applications/decisions").get_data(as_text=True)
    html = client.get("/applications/decisions/release").get_data(as_text=True)
    assert "Release the decision?" in html and form_action(html) == "/applications/decisions"
    with app.app_context():
        assert decisions.pending()
    client.post("/applications/decisions", data={"csrf_token": csrf_token(html)})
    with app.app_context():
        assert not decisions.pending()
        label = db.session.scalar(select(Label))
        label_id, application_id = label.id, label.application_id
    assert client.get("/applications/decisions/release").status_code == 409
    detail = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert f'href="/applications/labels/{label_id}/revoke"' in detail
    html = client.get(f"/applications/labels/{label_id}/revoke").get_data(as_text=True)
    assert "no longer valid" in html and 'name="reason"' in html
    refused = client.post(f"/applications/labels/{label_id}/revoke", data={"csrf_token": csrf_token(html)})
    assert refused.status_code == 422 and 'id="reason-error"' in refused.get_data(as_text=True)
    client.post(f"/applications/labels/{label_id}/revoke", data={"csrf_token": csrf_token(html),
                                                               "reason": "The engagement rules were breached."})
    with app.app_context():
        assert db.session.get(Label, label_id).state == LabelState.REVOKED

