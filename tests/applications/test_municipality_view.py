"""What the municipality and the coordinator read about an application: who acted (no assessor's e-mail address
for the municipality), the score that counts in the list, and no publication offer on a declined application."""

import datetime as dt

from flask_login import login_user

from labelapp.applications import services as applications
from labelapp.applications.models import Application
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.auth.models import Role, User
from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.panel import assignment, reviews
from tests.support.factories import application_from, filled_assessment, make_user, open_round, recommended_application
from tests.support.web import login, submit


def history(client, application_id):
    return client.get(f"/applications/{application_id}").get_data(as_text=True).split("<h2>Ajalugu</h2>")[-1]


def test_municipality_reads_roles_not_assessor_addresses_in_the_history(app, client, users):
    with app.test_request_context():
        staff = find_user(users["staff"])
        login_user(staff)  # each step recorded as the person who took it
        application = application_from(staff, steps=(Action.SUBMIT,))
        application_id = application.id
        db.session.commit()
    with app.test_request_context():
        login_user(find_user(users["coordinator"]))
        chair = find_user(users["assessor"])
        application = db.session.get(Application, application_id)
        applications.change_status(application, Action.START_SCREENING)
        second = make_user(Role.ASSESSOR, commit=False)
        assignment.assign(application, [chair, second], chair, dt.date.today() + dt.timedelta(days=30))
        applications.change_status(application, Action.ACCEPT)
        db.session.commit()
        second_id = second.id
    with app.test_request_context():
        chair, second = find_user(users["assessor"]), db.session.get(User, second_id)
        application = db.session.get(Application, application_id)
        criteria = assessment_services.criteria_of(application.assessment)
        levels = {c.id: (2, "") for _a, c in criteria.criteria()}
        for member in (second, chair):
            login_user(member)
            reviews.save(application, member, levels, "award", "", criteria, submit=True)
        reviews.consolidate(application, chair, levels, "award", "The panel agrees with it.", criteria)
        db.session.commit()
    login(client, users["staff"])
    seen = history(client, application_id)
    assert users["assessor"] not in seen and users["coordinator"] not in seen
    assert "@" not in seen.replace(users["staff"], "")
    assert users["staff"] in seen  # their own colleague's address stays
    assert "– koordinaator: " in seen and "– hindamiskomisjon: " in seen
    other = app.test_client()
    login(other, users["coordinator"])
    assert users["assessor"] in history(other, application_id)


def test_list_shows_the_panel_verified_score_where_the_panel_verified_it(app, client, users):
    with app.test_request_context():
        staff = find_user(users["staff"])
        assessment = filled_assessment(staff, open_round(), level=3)
        assessment_services.submit(assessment, staff)
        application = applications.create(assessment, staff)
        for action in (Action.SUBMIT, Action.START_SCREENING):
            applications.change_status(application, action)
        chair, second = find_user(users["assessor"]), make_user(Role.ASSESSOR, commit=False)
        assignment.assign(application, [chair, second], chair, dt.date.today() + dt.timedelta(days=30))
        applications.change_status(application, Action.ACCEPT)
        criteria = assessment_services.criteria_of(assessment)
        panel_levels = {c.id: (1, "") for _a, c in criteria.criteria()}  # the panel finds far less
        for member in (second, chair):
            reviews.save(application, member, panel_levels, "decline", "", criteria, submit=True)
        decision = reviews.consolidate(application, chair, panel_levels, "decline", "Too little evidence.",
                                       criteria)
        self_score = application.snapshot["result"]["combined"]
        verified_self = decision.verified["combined"]
        other = application_from(find_user(users["other_staff"]), steps=(Action.SUBMIT,), round_=assessment.round)
        other_self = other.snapshot["result"]["combined"]
        db.session.commit()
    assert verified_self < self_score
    login(client, users["coordinator"])
    html = client.get("/applications/?sort=municipality").get_data(as_text=True)
    tallinn = html[html.index(">Tallinn<"):].split("</tr>")[0]
    tartu = html[html.index(">Tartu linn<"):].split("</tr>")[0]
    assert "hindamiskomisjoni kontrollitud" in tallinn and f"{verified_self:.1f}".replace(".", ",") in tallinn
    assert f"{self_score:.1f}".replace(".", ",") not in tallinn
    assert "enesehinnang" in tartu and f"{other_self:.1f}".replace(".", ",") in tartu


def test_declined_application_offers_no_publication(app, client, users):
    with app.test_request_context():
        application_id = recommended_application(find_user(users["staff"]), find_user(users["assessor"]),
                                                 recommendation="decline").id
    coordinator = app.test_client()
    login(coordinator, users["coordinator"])
    url = f"/applications/{application_id}"
    submit(coordinator, url + "/decision", {"outcome": "decline", "reasons": "Evidence is too thin."},
           form_page=url)
    submit(coordinator, "/applications/decisions", form_page="/applications/decisions")
    login(client, users["staff"])
    html = client.get(url).get_data(as_text=True)
    assert "Tagasi lükatud" in html or "tagasi lükatud" in html
    assert f'action="{url}/publish"' not in html
    assert submit(client, url + "/publish", {"publish": "yes"}, form_page=url).status_code == 409
