"""The improvement plan: points from a decision, actions through their transition table (audited, stale edits
409), access to one's own municipality only, and the dashboard's lines."""

import datetime as dt
import re

import pytest
from sqlalchemy import select

from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from labelapp.improvement.models import ImprovementAction, ImprovementPoint
from labelapp.improvement.states import ActionStatus
from tests.improvement.helpers import CHAIR_REASON, LOW_ID, TOP_ID, decided
from tests.support.web import csrf_token, submit

SOON = (dt.date.today() + dt.timedelta(days=60)).isoformat()


@pytest.fixture
def application_id(app, users):
    with app.test_request_context():
        return decided(find_user(users["staff"]), find_user(users["assessor"]), find_user(users["coordinator"])).id


def point_id(app, application_id, criterion_id=LOW_ID) -> int:
    with app.app_context():
        return db.session.scalar(select(ImprovementPoint.id).where(ImprovementPoint.application_id == application_id,
                                                                   ImprovementPoint.criterion_id == criterion_id))


def add(client, point, what="Nimetame kaasamise eest vastutaja", who="Vallasekretär", due=SOON):
    return submit(client, f"/plan/points/{point}/actions",
                  {f"p{point}-what": what, f"p{point}-who": who, f"p{point}-due_on": due}, form_page="/plan")


def the_action(app) -> ImprovementAction:
    with app.app_context():
        action = db.session.scalar(select(ImprovementAction))
        db.session.expunge(action)
        return action


def audit_actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("improvement.%"))
                                  .order_by(AuditEntry.id)).all()


def test_decision_makes_a_point_per_criterion_below_the_top_with_the_panels_comment(app, application_id):
    with app.app_context():
        points = {p.criterion_id: p for p in db.session.scalars(select(ImprovementPoint))}
    assert TOP_ID not in points  # verified at the top level
    assert len(points) == 19  # the other criteria of 2025.1
    assert (points[LOW_ID].verified_level, points[LOW_ID].top_level, points[LOW_ID].comment) == (1, 3, CHAIR_REASON)
    # no reason from the chair: the assessors' comments (the same text from both, given once)
    assert points["strategy.planning"].comment == "Comment on strategy.planning"
    assert audit_actions(app) == ["improvement.points"]


def test_plan_page_shows_points_in_words(app, client, login_as, application_id):
    login_as("staff")
    page = client.get("/plan").get_data(as_text=True)
    assert "Parendusplaan" in page and CHAIR_REASON in page
    assert "1 / 3" in page or "1 3-st" in page
    assert "strategy.responsible" not in page and "in_progress" not in page


def test_actions_move_through_their_table_each_change_audited(app, client, login_as, application_id):
    login_as("staff")
    point = point_id(app, application_id)
    assert add(client, point).status_code == 302
    action = the_action(app)
    assert (action.status, action.version) == (ActionStatus.PLANNED, 1)
    assert action.what == "Nimetame kaasamise eest vastutaja"
    url = f"/plan/actions/{action.id}/status"
    for step, version, status in (("start", 1, ActionStatus.IN_PROGRESS), ("complete", 2, ActionStatus.DONE),
                                  ("reopen", 3, ActionStatus.IN_PROGRESS), ("drop", 4, ActionStatus.DROPPED)):
        assert submit(client, url, {"step": step, "version": version}, form_page="/plan").status_code == 302
        assert the_action(app).status == status
    page = client.get("/plan").get_data(as_text=True)
    assert "loobutud" in page  # "dropped", in words
    assert audit_actions(app) == ["improvement.points", "improvement.action.add", "improvement.action.start",
                                  "improvement.action.complete", "improvement.action.reopen",
                                  "improvement.action.drop"]


def test_a_stale_step_or_edit_is_409_and_changes_nothing(app, client, login_as, application_id):
    login_as("staff")
    add(client, point_id(app, application_id))
    action = the_action(app)
    url = f"/plan/actions/{action.id}/status"
    assert submit(client, url, {"step": "start", "version": 1}, form_page="/plan").status_code == 302
    # the same button again (a double submit): the version moved on
    assert submit(client, url, {"step": "start", "version": 1}, form_page="/plan").status_code == 409
    # a step the status does not allow, with the current version
    assert submit(client, url, {"step": "start", "version": 2}, form_page="/plan").status_code == 409
    edit = f"/plan/actions/{action.id}"
    stale = submit(client, edit, {"what": "Overwritten", "who": "Someone", "due_on": SOON, "version": 1})
    assert stale.status_code == 409
    assert "muudeti vahepeal" in stale.get_data(as_text=True)
    assert the_action(app).what == "Nimetame kaasamise eest vastutaja"
    fresh = submit(client, edit, {"what": "Uus tekst", "who": "Someone", "due_on": SOON, "version": 2})
    assert fresh.status_code == 302
    assert (the_action(app).what, the_action(app).version) == ("Uus tekst", 3)
    assert audit_actions(app)[-2:] == ["improvement.action.start", "improvement.action.edit"]


@pytest.mark.parametrize(("what", "who", "due", "field", "message"), [
    ("", "Sekretär", SOON, "what", "Kohustuslik väli"),
    ("Midagi", "", SOON, "who", "Kohustuslik väli"),
    ("   ", "Sekretär", SOON, "what", "Kohustuslik väli"),
    ("Midagi", "Sekretär", "2020-01-01", "due_on", "Kuupäev peab olema täna või hiljem"),
    ("Midagi", "Sekretär", "31.12.2026", "due_on", "Andke kuupäev kujul AAAA-KK-PP"),
    ("x" * 2001, "Sekretär", SOON, "what", "2000"),
])
def test_bad_input_is_shown_on_its_field(app, client, login_as, application_id, what, who, due, field, message):
    login_as("staff")
    point = point_id(app, application_id)
    response = add(client, point, what, who, due)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    assert f'id="p{point}-{field}-error"' in html
    assert f'p{point}-{field}-error' in re.search(rf'<[^>]* id="p{point}-{field}"[^>]*>', html)[0]  # described by it
    with app.app_context():
        assert db.session.scalar(select(ImprovementAction)) is None


def test_only_the_municipalitys_own_staff_reach_its_plan(app, client, login_as, application_id):
    login_as("staff")
    add(client, point_id(app, application_id))
    action = the_action(app)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/dashboard").get_data(as_text=True))})
    login_as("other_staff")
    page = client.get("/plan").get_data(as_text=True)
    assert "Vastutaja on määramata" not in page  # their own (empty) plan
    assert client.get(f"/plan/actions/{action.id}").status_code == 404
    token = csrf_token(page)
    assert client.post(f"/plan/actions/{action.id}/status",
                       data={"csrf_token": token, "step": "start", "version": 1}).status_code == 404
    assert client.post(f"/plan/points/{point_id(app, application_id)}/actions",
                       data={"csrf_token": token}).status_code == 404
    assert the_action(app).status == ActionStatus.PLANNED


@pytest.mark.parametrize("who", ["assessor", "coordinator"])
def test_other_roles_have_no_plan(app, client, login_as, application_id, who):
    login_as(who)
    assert client.get("/plan").status_code == 403


def test_dashboard_links_the_plan_with_its_counts(app, client, login_as, application_id):
    login_as("staff")
    add(client, point_id(app, application_id))
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/plan"' in page
    assert re.search(r"1 avatud tegevus\b", page) and "18 parenduskohta ilma tegevuseta" in page


def test_the_plan_page_reads_with_the_same_number_of_queries_however_many_actions(app, client, login_as,
                                                                                  application_id):
    from tests.support.queries import count_queries

    login_as("staff")
    add(client, point_id(app, application_id))
    client.get("/plan")  # warm: criteria parsed once per process
    with count_queries(app) as few:
        assert client.get("/plan").status_code == 200
    with app.test_request_context():
        points = db.session.scalars(select(ImprovementPoint)).all()
        for point in points[:8]:
            for n in range(3):
                from labelapp.improvement import services

                services.add_action(point, f"Action {n}", "Someone", dt.date.today() + dt.timedelta(days=n + 1))
        db.session.commit()
    with count_queries(app) as many:
        page = client.get("/plan")
    assert page.get_data(as_text=True).count("<td>Action 2</td>") == 8
    assert len(many) == len(few)
