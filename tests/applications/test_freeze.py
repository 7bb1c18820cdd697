"""What the panel judged never changes: after submission the assessment changes only through the clarification
loop (each change a new revision), after a decision not at all, and every page reads the judged revision."""

from sqlalchemy import select, update

from labelapp.applications.models import Application, ApplicationRevision
from labelapp.applications.states import ApplicationStatus
from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Answer, Assessment, AssessmentStatus
from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels import decisions
from tests.support.factories import recommended_application
from tests.support.web import login, submit


def awarded(app, users) -> tuple[int, int]:
    with app.test_request_context():
        application = recommended_application(find_user(users["staff"]), find_user(users["assessor"]), level=0)
        decisions.decide(application, find_user(users["coordinator"]), "award", "")
        decisions.release_all()
        application.publish_details = True
        db.session.commit()
        return application.id, application.assessment_id


def reopen_as_coordinator(client, users, assessment_id):
    login(client, users["coordinator"])
    return submit(client, f"/assessments/{assessment_id}/reopen", {"reason": "The municipality asked to fix it"},
                  form_page=f"/assessments/{assessment_id}/review")


def test_a_decided_applications_assessment_cannot_be_reopened(app, client, users):
    application_id, assessment_id = awarded(app, users)
    assert reopen_as_coordinator(client, users, assessment_id).status_code == 409
    review = client.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    assert f'action="/assessments/{assessment_id}/reopen"' not in review
    assert "never changes" in review or "ei muudeta kunagi" in review
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.SUBMITTED
        refused = assessment_services.AssessmentError
        try:
            assessment_services.reopen(db.session.get(Assessment, assessment_id), "Reopen it anyway, please")
        except refused as exc:
            assert "decided" in str(exc) or "otsustatud" in str(exc)
        else:
            raise AssertionError("the service reopened a decided application's assessment")


def test_an_assessment_under_review_is_reopened_only_through_clarification(app, client, users):
    with app.test_request_context():
        application = recommended_application(find_user(users["staff"]), find_user(users["assessor"]))
        application.status = ApplicationStatus.IN_REVIEW  # back with the panel (a test shortcut, not a step)
        db.session.commit()
        assessment_id = application.assessment_id
    response = reopen_as_coordinator(client, users, assessment_id)
    assert response.status_code == 409
    assert "clarification" in response.get_data(as_text=True) or "selgitus" in response.get_data(as_text=True)


def test_pages_show_the_judged_revision_not_the_live_assessment(app, client, users):
    application_id, assessment_id = awarded(app, users)
    with app.app_context():
        revision = db.session.scalar(select(ApplicationRevision).where(
            ApplicationRevision.application_id == application_id))
        assert revision.number == 1 and set(v["level"] for v in revision.answers.values()) == {0}
        criterion = sorted(revision.answers)[0]
        # The live rows changed behind the application's back (no page allows it any more): nothing shows it.
        db.session.execute(update(Answer).where(Answer.assessment_id == assessment_id)
                           .values(level=3, comment="Changed after the decision"))
        db.session.commit()
        code = db.session.get(Application, application_id).municipality.code
    login(client, users["assessor"])
    page = client.get(f"/applications/{application_id}/review").get_data(as_text=True)
    assert "Changed after the decision" not in page
    assert ">3 –" not in page and "0 –" in page
    registry = app.test_client().get(f"/registry/{code}").get_data(as_text=True)
    assert "Changed after the decision" not in registry
    assert criterion  # the revision holds every criterion's answer


def test_a_draft_application_takes_its_snapshot_and_revision_at_submission(app, users):
    with app.test_request_context():
        from labelapp.applications import services
        from labelapp.applications.states import Action
        from tests.support.factories import application_from

        staff = find_user(users["staff"])
        application = application_from(staff, level=1)
        assessment = application.assessment
        assert db.session.scalar(select(ApplicationRevision)) is None
        assessment_services.reopen(assessment, "Corrected before applying")  # a draft application: allowed
        criteria = assessment_services.criteria_of(assessment)
        area = criteria.areas[0]
        assessment_services.save_area(assessment, area, {c.id: (3, "") for c in area.criteria}, assessment.version,
                                      staff)
        for criterion in area.criteria:
            assessment_services.add_link(assessment, criterion.id, "Proof", "https://example.org/more", staff)
        assessment_services.submit(assessment, staff)
        services.change_status(application, Action.SUBMIT)
        db.session.commit()
        stored = db.session.scalar(select(ApplicationRevision))
        assert stored.number == 1 and all(stored.answers[c.id]["level"] == 3 for c in area.criteria)
        assert all(application.snapshot["inputs"]["answers"][c.id] == 3 for c in area.criteria)
