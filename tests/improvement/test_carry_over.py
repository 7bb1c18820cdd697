"""What carries over: reminders before an action's date (once), the previous cycle beside each criterion of the
next self-assessment, the level change the panel sees, and the plan's progress published in the registry."""

import datetime as dt
import re

import pytest
from sqlalchemy import select

from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry, OutboxMessage
from labelapp.extensions import db
from labelapp.improvement import services
from labelapp.improvement.models import ImprovementPoint
from labelapp.improvement.states import ActionStep
from labelapp.municipalities.lookup import by_code
from tests.improvement.helpers import CHAIR_REASON, LOW_ID, decided, in_review, new_round
from tests.support.factories import filled_assessment, open_round
from tests.support.web import submit

TODAY = dt.date.today()


@pytest.fixture
def actions(app, users):
    """A decided application of Tallinn with three actions on LOW_ID: due in 10 days (started), due in 40 days,
    and one done. Returns their ids."""
    with app.test_request_context():
        application = decided(find_user(users["staff"]), find_user(users["assessor"]),
                              find_user(users["coordinator"]))
        point = db.session.scalar(select(ImprovementPoint).where(ImprovementPoint.application_id == application.id,
                                                                 ImprovementPoint.criterion_id == LOW_ID))
        soon = services.add_action(point, "Nimetame vastutaja", "Vallasekretär", TODAY + dt.timedelta(days=10))
        services.change_status(soon, ActionStep.START, 1)
        later = services.add_action(point, "Koolitame ametnikke", "Personalijuht", TODAY + dt.timedelta(days=40))
        done = services.add_action(point, "Kirjutame kaasamise põhimõtted", "Arendusjuht",
                                   TODAY + dt.timedelta(days=5))
        services.change_status(done, ActionStep.COMPLETE, 1)
        db.session.commit()
        return {"application": application.id, "soon": soon.id, "later": later.id, "done": done.id}


def reminders(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Parendustegevuse%"))).all()
        db.session.expunge_all()
        return found


def test_a_reminder_goes_once_per_action_before_its_date(app, runner, users, actions):
    assert "0 reminder(s)" in runner.invoke(args=["improvement", "remind", "--today",
                                                  (TODAY - dt.timedelta(days=10)).isoformat()]).output
    assert "1 reminder(s)" in runner.invoke(args=["improvement", "remind"]).output  # 10 days ahead, within 14
    assert "0 reminder(s)" in runner.invoke(args=["improvement", "remind"]).output  # once
    sent = reminders(app)
    assert [m.to_address for m in sent] == [users["staff"]]
    body = sent[0].body
    assert "Nimetame vastutaja" in body and "Vallasekretär" in body and "töös" in body and "in progress" in body
    assert "10 päeva" in body and "in 10 days" in body  # in Estonian, then English
    later = (TODAY + dt.timedelta(days=30)).isoformat()  # the 40-day action; the done one is never reminded of
    assert "1 reminder(s)" in runner.invoke(args=["improvement", "remind", "--today", later]).output
    assert "0 reminder(s)" in runner.invoke(args=["improvement", "remind", "--today", later]).output
    assert len(reminders(app)) == 2


def test_the_next_self_assessment_shows_the_previous_cycle_beside_each_criterion(app, client, login_as, users,
                                                                                 actions):
    with app.test_request_context():
        assessment = filled_assessment(find_user(users["staff"]), new_round("Second round"), level=2).id
    login_as("staff")
    page = client.get(f"/assessments/{assessment}/areas/strategy").get_data(as_text=True)
    assert page.count("Eelmisest tsüklist") == 4  # every criterion of the area
    assert CHAIR_REASON in page  # the panel's comment on LOW_ID, with its actions and their status in words
    assert "Nimetame vastutaja" in page and "töös" in page and "tehtud" in page
    assert "Komisjoni kinnitatud tase:</strong> 1 / 3" in page
    client.get("/language/en")
    english = client.get(f"/assessments/{assessment}/areas/strategy").get_data(as_text=True)
    assert "From the previous cycle" in english and "in progress" in english and "in_progress" not in english


def test_the_first_self_assessment_has_no_previous_cycle(app, client, login_as, users):
    with app.test_request_context():
        assessment = filled_assessment(find_user(users["staff"]), open_round(), level=2).id
    login_as("staff")
    assert "Eelmisest tsüklist" not in client.get(f"/assessments/{assessment}/areas/strategy").get_data(
        as_text=True)


def test_the_panel_sees_the_level_change_since_the_previous_cycle(app, client, login_as, users, actions):
    with app.test_request_context():
        application = in_review(find_user(users["staff"]), find_user(users["assessor"]), "Second round").id
    login_as("assessor")
    page = client.get(f"/applications/{application}/review").get_data(as_text=True)
    # LOW_ID was verified at 1 last time and is self-assessed at 2 now
    assert "Eelmine tsükkel, komisjoni kinnitatud:</strong> 1 (enesehinnangu muutus vahepeal: +1)" in page


def test_publishing_the_plans_progress_shows_it_in_the_registry_until_withdrawn(app, client, login_as, actions):
    registry = "/registry/0784"
    assert "Koolitame ametnikke" not in client.get(registry).get_data(as_text=True)
    login_as("staff")
    assert submit(client, "/plan/publication", {"publish": "yes"}, form_page="/plan").status_code == 302
    public = client.get(registry).get_data(as_text=True)
    assert "Parendusplaan" in public and "Koolitame ametnikke" in public and "tehtud" in public
    assert "Personalijuht" not in public  # who is responsible stays inside
    assert submit(client, "/plan/publication", {"publish": "yes"}, form_page="/plan").status_code == 409
    assert submit(client, "/plan/publication", {"publish": "no"}, form_page="/plan").status_code == 302
    assert "Koolitame ametnikke" not in client.get(registry).get_data(as_text=True)
    with app.app_context():
        tallinn = by_code("0784", "EE").id
        assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "municipality",
                                                                  AuditEntry.object_id == str(tallinn))
                                  .order_by(AuditEntry.id)).all() == ["improvement.publish", "improvement.unpublish"]


def test_the_chair_sees_the_previous_cycle_on_the_consolidation_page(app, client, login_as, users, actions):
    from labelapp.assessment import services as assessment_services
    from labelapp.panel import reviews

    with app.test_request_context():
        application = in_review(find_user(users["staff"]), find_user(users["assessor"]), "Second round")
        criteria = assessment_services.criteria_of(application.assessment)
        for seat in application.panel:
            reviews.save(application, seat.user, {c.id: (2, "") for _a, c in criteria.criteria()}, "award", "Fine",
                         criteria, submit=True)
        db.session.commit()
        application = application.id
    login_as("assessor")
    page = client.get(f"/applications/{application}/consolidate").get_data(as_text=True)
    row = re.search(r"<tr><th scope=\"row\">Eelmine tsükkel, komisjoni kinnitatud</th><td>1</td><td>([^<]*)</td>", page)
    assert row and row[1] == "Enesehinnangu muutus vahepeal: +1"
    assert page.count("Eelmine tsükkel, komisjoni kinnitatud") == 20  # every criterion had a verified level
