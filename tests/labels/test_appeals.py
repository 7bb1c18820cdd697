"""Decline → appeal → new panel without the earlier assessors → award; appeals are once and time-limited."""

import datetime as dt

import pytest
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels import appeals
from labelapp.labels.models import Label
from labelapp.panel import assignment as panel
from tests.support.factories import make_user, recommended_application
from tests.support.web import login, submit


@pytest.fixture
def declined(app, users, client, login_as):
    with app.test_request_context():
        application_id = recommended_application(find_user(users["staff"]), find_user(users["assessor"]),
                                                 recommendation="decline").id
        for _ in range(2):
            make_user(Role.ASSESSOR, commit=False)
        db.session.commit()
    login_as("coordinator")
    url = f"/applications/{application_id}"
    submit(client, url + "/decision", {"outcome": "decline", "reasons": "Evidence is too thin for most areas."},
           form_page=url)
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    return application_id


def staff_client(app, users):
    staff = app.test_client()
    login(staff, users["staff"])
    return staff


def test_appeal_goes_to_a_new_panel_without_the_earlier_assessor_and_ends_in_an_award(app, client, users,
                                                                                       declined):
    url = f"/applications/{declined}"
    staff = staff_client(app, users)
    assert submit(staff, url + "/appeal", {"statement": "The council adopted the principles in May; see minutes."},
                  form_page=url).status_code == 302
    with app.app_context():
        assert db.session.get(Application, declined).status == ApplicationStatus.APPEALED
    submit(client, url + "/to_new_panel", form_page=url)
    with app.test_request_context():
        application = db.session.get(Application, declined)
        assert application.status == ApplicationStatus.SCREENING and application.panel == []
        members, chair = panel.suggest(application)
        assert users["assessor"] not in [m.email for m in members] and len(members) == 2
        with pytest.raises(panel.PanelError):
            panel.assign(application, [find_user(users["assessor"])], find_user(users["assessor"]),
                         dt.date.today() + dt.timedelta(days=9))
    # The new panel reviews and recommends the award; the coordinator confirms; the label replaces the decline.
    with app.test_request_context():
        from labelapp.applications import services
        from labelapp.applications.states import Action
        from labelapp.assessment import services as assessment_services
        from labelapp.panel import reviews

        application = db.session.get(Application, declined)
        panel.assign(application, members, chair, dt.date.today() + dt.timedelta(days=9))
        services.change_status(application, Action.ACCEPT)
        criteria = assessment_services.criteria_of(application.assessment)
        levels = {c.id: (2, "") for _a, c in criteria.criteria()}
        for member in members:
            reviews.save(application, member, levels, "award", "", criteria, submit=True)
        reviews.consolidate(application, chair, levels, "award", "The appeal's evidence settles it.", criteria)
        db.session.commit()
    submit(client, url + "/decision", {"outcome": "award", "reasons": ""}, form_page=url)
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    with app.app_context():
        assert db.session.get(Application, declined).status == ApplicationStatus.AWARDED
        assert db.session.scalar(select(Label)) is not None
    assert "Evidence is too thin" in staff.get(url).get_data(as_text=True)  # the history stays


def test_appeal_once_only(app, client, users, declined):
    url = f"/applications/{declined}"
    staff = staff_client(app, users)
    submit(staff, url + "/appeal", {"statement": "First and only appeal, please."}, form_page=url)
    submit(client, url + "/decision", {"outcome": "decline", "reasons": "The appeal does not change the facts."},
           form_page=url)
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    with app.app_context():
        application = db.session.get(Application, declined)
        assert application.status == ApplicationStatus.DECLINED
        assert appeals.deadline(application) is None
    submit(staff, url + "/appeal", {"statement": "A second appeal should be refused."}, form_page=url)
    with app.app_context():
        assert db.session.get(Application, declined).status == ApplicationStatus.DECLINED


def test_appeal_after_the_period_is_refused(app, users, declined):
    with app.test_request_context():
        application = db.session.get(Application, declined)
        late = appeals.deadline(application) + dt.timedelta(days=1)
        with pytest.raises(appeals.AppealError):
            appeals.file(application, find_user(users["staff"]), "Too late to appeal now.", today=late)


def test_appeal_form_is_replaced_by_the_end_date_after_the_period(app, users, declined):
    url = f"/applications/{declined}"
    staff = staff_client(app, users)
    assert 'action="' + url + '/appeal"' in staff.get(url).get_data(as_text=True)
    app.config["APPEAL_DAYS"] = -1  # the period ended yesterday
    with app.test_request_context():
        ended = appeals.deadline(db.session.get(Application, declined))
    html = staff.get(url).get_data(as_text=True)
    assert 'action="' + url + '/appeal"' not in html
    with app.test_request_context("/", headers={"Accept-Language": "et"}):
        from flask_babel import format_date
        assert f"Selle otsuse vaidlustamise tähtaeg lõppes {format_date(ended, 'long')}." in html
