"""The clarification loop: the panel asks, the municipality answers with evidence, the clock stops."""

import datetime as dt

from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.assessment.models import Evidence
from labelapp.core.models import OutboxMessage
from labelapp.extensions import db
from labelapp.panel.models import Clarification, PanelMember
from tests.support.panel import form_panel, review_data
from tests.support.web import csrf_token, login


def test_question_answer_with_evidence_and_earlier_revision(app, client, login_as, setup, users):
    login_as("coordinator")
    a, b = setup["assessors"][:2]
    form_panel(app, client, setup, [a, b], a)
    url = f"/applications/{setup['application']}"
    assessor = app.test_client()
    login(assessor, b)
    assessor.post(url + "/review", data=review_data(assessor, url + "/review", "2", "Before the answer", "submit"))
    page = assessor.get(url).get_data(as_text=True)
    assessor.post(url + "/clarification", data={"csrf_token": csrf_token(page),
                                                 "question": "Where is the council decision adopting the principles?"})
    with app.app_context():
        application = db.session.get(Application, setup["application"])
        assert application.status == ApplicationStatus.CLARIFICATION
        assert users["staff"] in db.session.scalars(select(OutboxMessage.to_address)).all()
        deadlines = sorted(db.session.scalars(select(PanelMember.deadline)))
        # The question has been open for two days when the municipality answers.
        item = db.session.scalar(select(Clarification))
        item.asked_at = item.asked_at - dt.timedelta(days=2)
        db.session.commit()
    staff = app.test_client()
    login(staff, users["staff"])
    page = staff.get(url).get_data(as_text=True)
    assert "Where is the council decision" in page
    staff.post(url + "/clarification/answer", data={
        "csrf_token": csrf_token(page), "answer": "It is in the minutes of 12 May.",
        "criterion": "strategy.principles", "title": "Council minutes", "url": "https://vald.example.ee/protokoll"})
    with app.app_context():
        application = db.session.get(Application, setup["application"])
        assert (application.status, application.revision) == (ApplicationStatus.IN_REVIEW, 2)
        assert db.session.scalar(select(Evidence).where(Evidence.title == "Council minutes")) is not None
        assert sorted(db.session.scalars(select(PanelMember.deadline))) == \
            [d + dt.timedelta(days=2) for d in deadlines]
        assert a in db.session.scalars(select(OutboxMessage.to_address)).all()
    assert "It is in the minutes of 12 May." in assessor.get(url).get_data(as_text=True)
    chair = app.test_client()
    login(chair, a)
    chair.post(url + "/review", data=review_data(chair, url + "/review", "2", "After the answer", "submit"))
    page = chair.get(url + "/review").get_data(as_text=True)
    assert "varasema versiooni kohta" in page or "about an earlier revision" in page


def test_only_the_panel_asks_and_only_the_municipality_answers(app, client, login_as, setup, users):
    login_as("coordinator")
    form_panel(app, client, setup, setup["assessors"][:1], setup["assessors"][0])
    url = f"/applications/{setup['application']}"
    staff = app.test_client()
    login(staff, users["staff"])
    page = staff.get(url).get_data(as_text=True)
    assert staff.post(url + "/clarification", data={"csrf_token": csrf_token(page),
                                                    "question": "A question from the wrong side"}).status_code == 403
    assessor = app.test_client()
    login(assessor, setup["assessors"][0])
    token = csrf_token(assessor.get(url).get_data(as_text=True))
    assert assessor.post(url + "/clarification/answer", data={"csrf_token": token, "answer": "No"}).status_code == 403
    with app.app_context():
        assert db.session.get(Application, setup["application"]).status == ApplicationStatus.IN_REVIEW
