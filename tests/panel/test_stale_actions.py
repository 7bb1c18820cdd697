"""Stale actions answer 409 with the state as it is now, and change nothing (never a 500)."""

from sqlalchemy import func, select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.extensions import db
from labelapp.panel.models import Clarification, PanelDecision, PanelMember
from tests.support.panel import form_panel, review_data
from tests.support.web import csrf_token, login


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def reviewed(app, client, login_as, setup):
    a, b = setup["assessors"][:2]
    login_as("coordinator")
    assert form_panel(app, client, setup, [a, b], a).status_code == 302
    url = f"/applications/{setup['application']}"
    for email in (a, b):
        assessor = app.test_client()
        login(assessor, email)
        assessor.post(url + "/review", data=review_data(assessor, url + "/review", "2", "Fine", "submit"))
    chair = app.test_client()
    login(chair, a)
    return chair, url


def consolidation(chair, url) -> dict:
    page = chair.get(url + "/consolidate").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "recommendation": "award", "reasons": "The panel agrees fully."}
    data.update({name: "2" for name in __import__("re").findall(r'name="(level-[^"]+)"', page)})
    return data


def test_saving_the_consolidation_twice_is_409(app, client, login_as, setup):
    chair, url = reviewed(app, client, login_as, setup)
    data = consolidation(chair, url)
    assert chair.post(url + "/consolidate", data=data).status_code == 302
    again = chair.post(url + "/consolidate", data=data)
    assert again.status_code == 409
    with app.test_request_context():
        assert str(ApplicationStatus.RECOMMENDED.label) in again.get_data(as_text=True)
    assert count(app, PanelDecision) == 1


def test_a_second_question_while_one_is_open_and_a_question_after_the_decision_are_409(app, client, login_as,
                                                                                       setup):
    chair, url = reviewed(app, client, login_as, setup)
    page = chair.get(url).get_data(as_text=True)
    question = {"csrf_token": csrf_token(page), "question": "Please send the council decision."}
    assert chair.post(url + "/clarification", data=question).status_code == 302
    assert chair.post(url + "/clarification", data=question).status_code == 409
    assert count(app, Clarification) == 1
    with app.app_context():
        db.session.get(Application, setup["application"]).status = ApplicationStatus.AWARDED
        db.session.commit()
    assert chair.post(url + "/clarification", data=question).status_code == 409
    assert count(app, Clarification) == 1


def test_a_conflict_declared_on_a_decided_application_is_refused_and_the_panel_stays(app, client, login_as, setup):
    chair, url = reviewed(app, client, login_as, setup)
    assert chair.post(url + "/consolidate", data=consolidation(chair, url)).status_code == 302
    members = count(app, PanelMember)
    page = chair.get(url).get_data(as_text=True)
    response = chair.post(url + "/conflict", data={"csrf_token": csrf_token(page), "kind": "works_for",
                                                   "note": "I remembered a tie"})
    assert response.status_code == 409
    assert count(app, PanelMember) == members == 2
    with app.app_context():
        assert db.session.scalar(select(PanelMember).where(PanelMember.is_chair.is_(True))) is not None
