"""What-if under a newer (draft) criteria version, and renewal linking successive labels."""

import re

import pytest
from sqlalchemy import select

from labelapp.assessment import whatif
from labelapp.auth.services import find_user
from labelapp.extensions import db
from tests.support.factories import filled_assessment, open_round
from tests.support.web import login


@pytest.fixture
def assessment_id(app, users):
    with app.test_request_context():
        return filled_assessment(find_user(users["staff"]), open_round("2025.1"), level=3).id


def test_newer_draft_version_scores_carried_answers_with_new_criteria_unanswered(app, users, assessment_id):
    with app.test_request_context():
        from labelapp.assessment.models import Assessment

        base, newer = whatif.scenarios(db.session.get(Assessment, assessment_id))
        assert base.result.self_score == 100.0
        (scenario,) = newer
        assert (scenario.label, scenario.status) == ("2026.1", "draft")
        assert scenario.new_criteria == ["decisions.youth"]
        assert scenario.removed_criteria == ["services.feedback"]
        decisions_area = next(a for a in scenario.result.areas if a.id == "decisions")
        assert (decisions_area.answered, decisions_area.total, decisions_area.score) == (3, 4, 80.0)


def test_what_if_page_is_for_the_municipality_and_the_coordinator(app, client, users, assessment_id):
    login(client, users["staff"])
    html = client.get(f"/assessments/{assessment_id}/what-if").get_data(as_text=True)
    assert "2026.1" in html and "Noorte osalemine" in html
    other = app.test_client()
    login(other, users["other_staff"])
    assert other.get(f"/assessments/{assessment_id}/what-if").status_code == 404
    assessor = app.test_client()
    login(assessor, users["assessor"])
    assert assessor.get(f"/assessments/{assessment_id}/what-if").status_code == 403


def test_renewal_links_the_labels_of_successive_cycles(app, users):
    import datetime as dt

    from labelapp.assessment import services as assessment_services
    from labelapp.criteria import services as criteria_services
    from labelapp.labels import decisions
    from labelapp.labels.models import Label
    from tests.support.factories import recommended_application

    with app.test_request_context():
        staff, assessor = find_user(users["staff"]), find_user(users["assessor"])
        coordinator = find_user(users["coordinator"])
        first = recommended_application(staff, assessor)
        decisions.decide(first, coordinator, "award", "")
        decisions.release_all(dt.date(2026, 1, 5))
        criteria_services.close_round(first.assessment.round)
        # The renewal starts from the previous assessment, carried over into the current criteria version.
        renewal = assessment_services.start(staff.municipality, open_round("2026.1", "Renewal round"), staff,
                                            carry_from=first.assessment)
        criteria = assessment_services.criteria_of(renewal)
        assert assessment_services.missing(renewal, criteria).unanswered == ["decisions.youth"]
        area = criteria.area("decisions")
        answers = {c.id: (2, "") for c in area.criteria}
        assessment_services.save_area(renewal, area, answers, renewal.version, staff)
        assessment_services.add_link(renewal, "decisions.youth", "Noortevolikogu", "https://example.org/nv", staff)
        assessment_services.submit(renewal, staff)
        second = recommended_application(staff, assessor, assessment=renewal)
        decisions.decide(second, coordinator, "award", "")
        decisions.release_all(dt.date(2028, 1, 5))
        db.session.commit()
        first_label, second_label = db.session.scalars(select(Label).order_by(Label.id)).all()
        assert second_label.previous_label_id == first_label.id
        assert second_label.criteria_version.version == "2026.1"


def test_what_if_page_explains_the_verdict_with_the_rule_table(app, client, users, assessment_id):
    login(client, users["staff"])
    html = client.get(f"/assessments/{assessment_id}/what-if").get_data(as_text=True)
    tables = re.findall(r"<caption>Auhinnareeglid versioonis ([^<]+)</caption>(.*?)</table>", html, re.S)
    assert [version for version, _body in tables] == ["2025.1", "2026.1"]
    for _version, body in tables:  # one row per rule: overall, each of the six areas, the survey
        assert body.count('<th scope="row">') >= 7
        assert "Kaasamise strateegiline juhtimine" in body and "Koondtulemus" in body
