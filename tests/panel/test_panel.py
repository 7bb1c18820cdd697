"""Panels: conflicts are never suggested nor assignable; reviews stay hidden until one's own is submitted."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from labelapp.applications import services
from labelapp.applications.models import Application
from labelapp.applications.states import Action, ApplicationStatus
from labelapp.assessment import services as assessment_services
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry, OutboxMessage
from labelapp.extensions import db
from labelapp.panel import assignment as panel
from labelapp.panel import reviews
from labelapp.panel.models import PanelMember
from tests.support.factories import filled_assessment, make_user
from tests.support.panel import DEADLINE, find_user_name, form_panel, ids, review_data
from tests.support.queries import count_queries
from tests.support.web import csrf_token, login


def test_conflicted_assessor_is_never_suggested_nor_assignable(app, client, login_as, setup):
    conflicted = setup["assessors"][3]
    with app.test_request_context():
        application = db.session.get(Application, setup["application"])
        members, chair = panel.suggest(application, size=4)
        assert conflicted not in [m.email for m in members] and len(members) == 3
        with pytest.raises(panel.PanelError):
            panel.assign(application, [find_user(conflicted)], find_user(conflicted), dt.date.today()
                         + dt.timedelta(days=5))
    login_as("coordinator")
    url = f"/applications/{setup['application']}/panel"
    page = client.get(url).get_data(as_text=True)
    conflicted_id = ids(app, [conflicted])[0]
    assert re.search(rf'disabled[^>]*value="{conflicted_id}"|value="{conflicted_id}"[^>]*disabled', page)
    response = client.post(url, data={"csrf_token": csrf_token(page), "members": [str(conflicted_id)],
                                      "chair": str(conflicted_id), "deadline": DEADLINE})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(PanelMember)) is None


def test_suggestion_balances_open_workload(app, setup, users):
    busy = setup["assessors"][0]
    with app.test_request_context():
        other = filled_assessment(find_user(users["other_staff"]), db.session.scalar(
            select(Application)).assessment.round, level=2)
        assessment_services.submit(other, find_user(users["other_staff"]))
        second = services.create(other, find_user(users["other_staff"]))
        for action in (Action.SUBMIT, Action.START_SCREENING):
            services.change_status(second, action)
        # The second member lives in Tallinn: never suggested for the Tallinn application, whatever the load.
        panel.assign(second, [find_user(busy), find_user(setup["assessors"][3])], find_user(busy),
                     dt.date.today() + dt.timedelta(days=9))
        db.session.commit()
        members, chair = panel.suggest(db.session.get(Application, setup["application"]), size=3)
        assert [m.email for m in members][-1] == busy
        assert chair.email != busy


def test_assigned_assessors_are_emailed_and_may_open_the_application(app, client, login_as, setup):
    login_as("coordinator")
    members = setup["assessors"][:3]
    with app.app_context():
        earlier = db.session.scalar(select(func.max(OutboxMessage.id))) or 0  # the coordinators told of the tie
    assert form_panel(app, client, setup, members, members[0]).status_code == 302
    with app.app_context():
        recipients = sorted(db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.id > earlier)))
    assert recipients == sorted(members)
    outsider = app.test_client()
    with app.app_context():
        make_user(Role.ASSESSOR, email="outsider@example.org")
    login(outsider, "outsider@example.org")
    assert outsider.get(f"/applications/{setup['application']}").status_code == 404


def test_reviews_are_hidden_until_ones_own_is_submitted_and_chair_consolidates(app, client, login_as, setup):
    login_as("coordinator")
    a, b, c = setup["assessors"][:3]
    form_panel(app, client, setup, [a, b, c], a)
    url = f"/applications/{setup['application']}/review"
    clients = {}
    for email in (a, b, c):
        clients[email] = app.test_client()
        login(clients[email], email)
    assert clients[b].post(url, data=review_data(clients[b], url, "1", "B-secret-note", "submit")).status_code == 302
    assert "B-secret-note" not in clients[a].get(url).get_data(as_text=True)  # A has not submitted yet
    clients[a].post(url, data=review_data(clients[a], url, "3", "A note", "submit"))
    assert "B-secret-note" in clients[a].get(url).get_data(as_text=True)
    clients[c].post(url, data=review_data(clients[c], url, "2", "C note", "submit"))
    consolidate = f"/applications/{setup['application']}/consolidate"
    assert clients[b].get(consolidate).status_code == 403  # not the chair
    page = clients[a].get(consolidate).get_data(as_text=True)
    assert "(erimeelsus)" in page or "(disagreement)" in page
    data = {"csrf_token": csrf_token(page), "recommendation": "award",
            "reasons": "Strong engagement practice across areas."}
    for field in re.findall(r'name="(level-[^"]+)"', page):
        data[field] = "2"
    refused = clients[a].post(consolidate, data=data)  # levels 1 and 3 disagree: reasons are required
    assert refused.status_code == 422
    refusal = refused.get_data(as_text=True)  # the criteria are named by their titles, never their ids
    assert "Põhjendage komisjoni taset seal, kus hinnangud lahknevad: Kaasamise põhimõtted, " in refusal
    assert "strategy.principles" not in refusal
    for field in re.findall(r'name="(reason-[^"]+)"', page):
        data[field] = "Panel agreed on the middle level."
    coordinator = client
    with count_queries(app) as before:
        assert coordinator.get("/applications/calibration").status_code == 200
    assert clients[a].post(consolidate, data=data).status_code == 302
    with count_queries(app) as after:
        html = coordinator.get("/applications/calibration").get_data(as_text=True)
    assert len(after) == len(before)  # the page's queries do not grow with decided applications
    names = {email: find_user_name(app, email) for email in (a, b, c)}
    assert re.search(rf"{names[a]}</th><td>\+1[.,]00", html)
    assert re.search(rf"{names[b]}</th><td>-1[.,]00", html)
    assert re.search(rf"{names[c]}</th><td>\+0[.,]00", html)
    with app.app_context():
        application = db.session.get(Application, setup["application"])
        assert application.status == ApplicationStatus.RECOMMENDED
        from labelapp.panel.models import PanelDecision

        decision = db.session.scalar(select(PanelDecision))
        assert decision.verified["self_score"] == pytest.approx(66.67, abs=0.01)
        assert decision.recommendation == "award"


def test_declaring_a_conflict_later_unassigns_and_tells_the_coordinator(app, client, login_as, setup, users):
    login_as("coordinator")
    a, b = setup["assessors"][:2]
    form_panel(app, client, setup, [a, b], a)
    assessor = app.test_client()
    login(assessor, b)
    page = assessor.get(f"/applications/{setup['application']}/review").get_data(as_text=True)
    assessor.post(f"/applications/{setup['application']}/conflict",
                  data={"csrf_token": csrf_token(page), "kind": "advised", "note": "Advised them in 2024"})
    with app.app_context():
        members = db.session.scalars(select(PanelMember.user_id)).all()
        assert members == ids(app, [a])
        assert users["coordinator"] in db.session.scalars(select(OutboxMessage.to_address)).all()
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "panel.conflict"))
        application = db.session.get(Application, setup["application"])
        assert find_user(b).id in panel.conflicts(application)
    assert assessor.get(f"/applications/{setup['application']}").status_code == 404


def test_reminders_are_sent_once_before_the_deadline(app, client, login_as, setup, runner):
    login_as("coordinator")
    form_panel(app, client, setup, setup["assessors"][:2], setup["assessors"][0])
    with app.app_context():
        before = len(db.session.scalars(select(OutboxMessage)).all())
    early = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    assert "Reminded 0" in runner.invoke(args=["panels", "remind", "--today", early]).output
    late = (dt.date.today() + dt.timedelta(days=16)).isoformat()
    assert "Reminded 2" in runner.invoke(args=["panels", "remind", "--today", late]).output
    assert "Reminded 0" in runner.invoke(args=["panels", "remind", "--today", late]).output
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == before + 2


def test_review_service_refuses_non_members(app, setup, users):
    with app.test_request_context():
        application = db.session.get(Application, setup["application"])
        criteria = assessment_services.criteria_of(application.assessment)
        with pytest.raises(reviews.ReviewError):
            reviews.save(application, find_user(setup["assessors"][1]), {}, "award", "", criteria)


def test_submitting_a_review_names_the_criteria_still_without_a_level(app, setup):
    with app.test_request_context(headers={"Accept-Language": "et"}):
        application = db.session.get(Application, setup["application"])
        members = [find_user(email) for email in setup["assessors"][:2]]
        panel.assign(application, members, members[0], dt.date.today() + dt.timedelta(days=9))
        criteria = assessment_services.criteria_of(application.assessment)
        everything = [c for _a, c in criteria.criteria()]
        levels = {c.id: (2, "") for c in everything[1:]}
        with pytest.raises(reviews.ReviewError) as refused:
            reviews.save(application, find_user(setup["assessors"][0]), levels, "award", "", criteria, submit=True)
        assert str(refused.value) == ("Esitamiseks andke tase sellele kriteeriumile: "
                                      f"{everything[0].title.get('et')}.")
        levels.pop(everything[-1].id)
        with pytest.raises(reviews.ReviewError) as refused:
            reviews.save(application, find_user(setup["assessors"][0]), levels, "award", "", criteria, submit=True)
        assert everything[0].title.get("et") in str(refused.value)
        assert everything[-1].title.get("et") in str(refused.value) and "puudu" not in str(refused.value)
