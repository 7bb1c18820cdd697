import re

import pytest
from sqlalchemy import func, select

from labelapp.assessment.models import Answer, Assessment, AssessmentStatus, Evidence
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry
from labelapp.criteria.models import Round
from labelapp.extensions import db
from tests.support.factories import filled_assessment, open_round
from tests.support.web import csrf_token, login, submit


@pytest.fixture
def round_id(app):
    with app.test_request_context():
        return open_round().id


def start(client) -> int:
    response = submit(client, "/assessments/start", {})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/assessments/(\d+)", response.headers["Location"]).group(1))


def area_data(client, url: str, levels: dict[str, str], comments: dict[str, str] | None = None) -> dict:
    html = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    data = {"csrf_token": csrf_token(html), "version": version, "then": "stay"}
    for cid, level in levels.items():
        data[f"level-{cid.replace('.', '--')}"] = level
    for cid, comment in (comments or {}).items():
        data[f"comment-{cid.replace('.', '--')}"] = comment
    return data


def test_staff_start_save_and_see_progress(app, client, login_as, round_id):
    login_as("staff")
    assessment_id = start(client)
    url = f"/assessments/{assessment_id}/areas/strategy"
    data = area_data(client, url, {"strategy.principles": "2", "strategy.planning": "1"},
                     {"strategy.principles": "Adopted in May"})
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        answers = {a.criterion_id: (a.level, a.comment) for a in db.session.scalars(select(Answer))}
        assert answers == {"strategy.principles": (2, "Adopted in May"), "strategy.planning": (1, "")}
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "assessment.save"))
        assert entry.after["strategy.principles"] == {"level": 2, "comment": "Adopted in May"}
    overview = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert 'value="2"' in overview  # <progress max="4" value="2"> for the strategy area


def test_second_start_in_the_same_round_is_refused(client, login_as, round_id):
    login_as("staff")
    start(client)
    assert submit(client, "/assessments/start", {}).status_code == 422


def test_two_sessions_editing_the_same_area_conflict_without_loss(app, client, users, round_id):
    login(client, users["staff"])
    assessment_id = start(client)
    with app.app_context():
        colleague_email = find_user(users["staff"]).email.replace("staff", "colleague")
        from tests.support.factories import make_user

        make_user("staff", "0784", email=colleague_email)
    colleague = app.test_client()
    login(colleague, colleague_email)
    url = f"/assessments/{assessment_id}/areas/strategy"
    mine = area_data(client, url, {"strategy.principles": "1"}, {"strategy.principles": "My text"})
    theirs = area_data(colleague, url, {"strategy.principles": "3"}, {"strategy.principles": "Their text"})
    assert client.post(url, data=mine).status_code == 302
    response = colleague.post(url, data=theirs)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'role="alert"' in html and "conflict" in html
    assert "Their text" in html  # their input is still in the form
    assert re.search(r'checked[^>]*value="3"|value="3"[^>]*checked', html)
    assert "My text" in html  # and they see what was saved meanwhile
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.criterion_id == "strategy.principles"))
        assert (answer.level, answer.comment) == (1, "My text")
    # Saving again from the refreshed form is a deliberate overwrite and goes through.
    again = area_data(colleague, url, {"strategy.principles": "3"}, {"strategy.principles": "Their text"})
    assert colleague.post(url, data=again).status_code == 302
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.criterion_id == "strategy.principles"))
        assert (answer.level, answer.comment) == (3, "Their text")


def test_unknown_level_is_refused_on_the_field(client, login_as, round_id):
    login_as("staff")
    assessment_id = start(client)
    url = f"/assessments/{assessment_id}/areas/strategy"
    response = client.post(url, data=area_data(client, url, {"strategy.principles": "7"}))
    assert response.status_code == 422
    assert 'id="level-strategy--principles-error"' in response.get_data(as_text=True)


def test_other_municipality_gets_404_and_assessor_403(app, client, users, round_id):
    with app.app_context():
        assessment_id = filled_assessment(find_user(users["staff"]), db.session.get(Round, round_id)).id
    login(client, users["other_staff"])
    for path in ("", "/areas/strategy", "/review", "/criteria/strategy.principles/evidence"):
        assert client.get(f"/assessments/{assessment_id}{path}").status_code == 404
    assessor = app.test_client()
    login(assessor, users["assessor"])
    assert assessor.get("/assessments/").status_code == 403
    coordinator = app.test_client()
    login(coordinator, users["coordinator"])
    assert coordinator.get(f"/assessments/{assessment_id}/review").status_code == 200


def test_review_lists_missing_and_submit_is_refused_until_complete(app, client, login_as, round_id):
    login_as("staff")
    assessment_id = start(client)
    review = client.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    assert "Kaasamise põhimõtted" in review
    submit(client, f"/assessments/{assessment_id}/submit", form_page=f"/assessments/{assessment_id}/review")
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.DRAFT


def test_submit_locks_and_coordinator_reopens_with_reason(app, client, users, round_id):
    with app.app_context():
        assessment_id = filled_assessment(find_user(users["staff"]), db.session.get(Round, round_id), level=2).id
    login(client, users["staff"])
    assert submit(client, f"/assessments/{assessment_id}/submit",
                  form_page=f"/assessments/{assessment_id}/review").status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.SUBMITTED
    url = f"/assessments/{assessment_id}/areas/strategy"
    page = client.get(url).get_data(as_text=True)
    assert 'type="radio"' not in page  # read-only now
    stale = client.post(url, data={"csrf_token": csrf_token(page), "version": "99"})
    assert stale.status_code == 409  # the page was left open after submitting: said so, nothing changes
    assert ("can no longer be changed" in stale.get_data(as_text=True)
            or "enam muuta" in stale.get_data(as_text=True))
    coordinator = app.test_client()
    login(coordinator, users["coordinator"])
    short = submit(coordinator, f"/assessments/{assessment_id}/reopen", {"reason": "too short"},
                   form_page=f"/assessments/{assessment_id}/review")
    assert short.status_code == 422
    assert submit(coordinator, f"/assessments/{assessment_id}/reopen",
                  {"reason": "Evidence links point to a private drive"},
                  form_page=f"/assessments/{assessment_id}/review").status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.DRAFT
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "assessment.reopen"))
        assert entry.after["reason"] == "Evidence links point to a private drive"
        assert entry.actor_label == users["coordinator"]


def test_staff_cannot_reopen(app, client, users, round_id):
    with app.app_context():
        assessment = filled_assessment(find_user(users["staff"]), db.session.get(Round, round_id), level=2)
        from labelapp.assessment import services

        services.submit(assessment, find_user(users["staff"]))
        db.session.commit()
        assessment_id = assessment.id
    login(client, users["staff"])
    response = submit(client, f"/assessments/{assessment_id}/reopen", {"reason": "I want to change it again"},
                      form_page=f"/assessments/{assessment_id}/review")
    assert response.status_code == 403


def test_carry_over_into_a_newer_version(app, client, users):
    from labelapp.assessment import services
    from labelapp.criteria import services as criteria_services

    with app.test_request_context():
        staff = find_user(users["staff"])
        first_round = open_round("2025.1", "First")
        first = filled_assessment(staff, first_round, level=2)
        services.submit(first, staff)
        criteria_services.close_round(first_round)
        db.session.commit()
        first_id = first.id
        expected_evidence = sum(1 for e in first.evidence if e.criterion_id != "services.feedback")
        open_round("2026.1", "Second")
    login(client, users["staff"])
    page = client.get("/assessments/start").get_data(as_text=True)
    assert "Noorte osalemine" in page  # the new criterion is listed as to be answered anew
    assert "Kasutajate tagasiside" in page and "services.feedback" not in page  # the dropped one, by its title
    assert submit(client, "/assessments/start", {"carry_over": "y"}).status_code == 302
    with app.app_context():
        second = db.session.scalars(select(Assessment).order_by(Assessment.id.desc())).first()
        carried = {a.criterion_id: a.level for a in second.answers}
        assert "services.feedback" not in carried and "decisions.youth" not in carried
        assert len(carried) == 19 and set(carried.values()) == {2}
        assert second.carried_from_id == first_id
        evidence_count = db.session.scalar(select(func.count()).select_from(Evidence)
                                           .where(Evidence.assessment_id == second.id))
        assert evidence_count == expected_evidence > 0
