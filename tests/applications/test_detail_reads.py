"""The application page reads what it shows with the application (its municipality, criteria version,
self-assessment and round in one statement; the panel and its members in one more) and a fixed number of
statements in all, whatever the size of the panel, of the history or of the other applications."""

import datetime as dt

from labelapp.applications import services as applications
from labelapp.applications.models import Application
from labelapp.applications.states import Action
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.panel import assignment
from tests.support.factories import application_from, make_user, open_round
from tests.support.queries import count_queries


def in_review(staff, chair, *others):
    round_ = criteria_services.current_round() or open_round()
    application = application_from(staff, steps=(Action.SUBMIT, Action.START_SCREENING), round_=round_)
    assignment.assign(application, [chair, *others], chair, dt.date.today() + dt.timedelta(days=10))
    applications.change_status(application, Action.ACCEPT)
    db.session.commit()
    return application.id


def page_statements(app, client, application_id: int) -> tuple[list[str], str]:
    with count_queries(app) as statements:
        response = client.get(f"/applications/{application_id}")
        html = response.get_data(as_text=True)
    assert response.status_code == 200
    return statements, html


def test_application_page_statements_do_not_grow_with_the_panel_history_or_other_applications(
        app, client, login_as, users):
    with app.test_request_context():
        assessor = find_user(users["assessor"])
        application_id = in_review(find_user(users["staff"]), assessor, make_user(Role.ASSESSOR, commit=False))
    login_as("assessor")
    client.set_cookie("lang", "en")
    page_statements(app, client, application_id)  # criteria parsed, templates compiled
    few, html = page_statements(app, client, application_id)
    assert html.count("reviews due") == 2
    with app.test_request_context():
        for code in ("0141", "0198", "0245"):  # more applications, more assessors, more history elsewhere
            in_review(make_user(Role.STAFF, code, commit=False), find_user(users["assessor"]),
                      make_user(Role.ASSESSOR, commit=False))
        application = db.session.get(Application, application_id)
        members = [member.user for member in application.panel]
        more = [make_user(Role.ASSESSOR, commit=False) for _ in range(3)]
        assignment.assign(application, [*members, *more], find_user(users["assessor"]),
                          dt.date.today() + dt.timedelta(days=12))  # a larger panel, and more history
        db.session.commit()
    many, html = page_statements(app, client, application_id)
    assert html.count("reviews due") == 5
    assert len(many) == len(few) <= 10, many
    # The application, its municipality, criteria version, self-assessment and round: one statement.
    assert not [s for s in many if s.lstrip().startswith("SELECT municipality.")]
    assert not [s for s in many if s.lstrip().startswith("SELECT application_round.")]
    assert len([s for s in many if "FROM panel_member" in s]) == 1
