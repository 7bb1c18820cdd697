"""Screening's label check can fail: a label under review, or one revoked within the criteria's period."""

import datetime as dt

import pytest

from labelapp.applications import screening, services
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import AssessmentStatus
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels import lifecycle
from labelapp.labels.models import Label
from tests.support.factories import application_from, awarded_labels, filled_assessment, make_user, open_round


@pytest.fixture
def world(app, users):
    """A label of Tallinn, and a new application of Tallinn in screening."""
    with app.test_request_context():
        label = awarded_labels(["0784"], find_user(users["assessor"]), find_user(users["coordinator"]))[0]
        criteria_services.close_round(criteria_services.current_round())  # the next cycle
        application = application_from(make_user(Role.STAFF, "0784"), steps=(Action.SUBMIT, Action.START_SCREENING))
        db.session.commit()
        return {"label": label.id, "application": application.id}


def revocation(application_id, today=None) -> screening.Check:
    from labelapp.applications.models import Application

    application = db.session.get(Application, application_id)
    checks = {c.key: c for c in screening.screening_checks(application)}
    return lifecycle.revocation_check(application, today) if today else checks["revocation"]


def test_passes_with_a_valid_label(app, world):
    with app.test_request_context():
        assert revocation(world["application"]).passed is True


@pytest.mark.parametrize(("step", "words"), [
    (lifecycle.put_under_review, ("under review", "ülevaatusel")),
    (lifecycle.revoke, ("revoked", "tühistati")),
])
def test_fails_while_a_label_is_under_review_or_recently_revoked(app, world, step, words):
    with app.test_request_context():
        step(db.session.get(Label, world["label"]), "The survey fell below the threshold.")
        db.session.commit()
        check = revocation(world["application"])
        assert check.passed is False
        assert any(word in check.detail for word in words)


def test_a_revoked_label_stops_counting_after_the_criteria_period(app, world):
    with app.test_request_context():
        lifecycle.revoke(db.session.get(Label, world["label"]), "The principles were repealed.")
        db.session.commit()
        again = lifecycle.add_months(dt.date.today(), 12)  # the criteria's default reapply_after_revocation_months
        assert revocation(world["application"], again - dt.timedelta(days=1)).passed is False
        assert revocation(world["application"], again).passed is True


def test_every_screening_check_can_fail(app, users):
    """Each automatic check fails for some application: none returns a constant."""
    with app.test_request_context():
        staff = find_user(users["staff"])
        round_ = open_round()
        blank = assessment_services.start(staff.municipality, round_, staff)  # nothing answered
        unproven = filled_assessment(make_user(Role.STAFF, "0793"), round_, level=3, with_evidence=False)
        failed = set()
        for assessment in (blank, unproven):
            assessment.status = AssessmentStatus.SUBMITTED  # a test shortcut past submission's own checks
            application = services.create(assessment, staff)
            failed |= {c.key for c in screening.screening_checks(application) if not c.passed}
        assert failed == {"complete", "evidence", "survey"}
