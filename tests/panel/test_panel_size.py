"""The minimum panel size is the criteria file's rule (panel.min_assessors, 2 when the file says nothing): a
smaller panel is not formed, a panel that shrinks below it is reported at once, and it is not consolidated."""

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from labelapp.applications import services
from labelapp.applications.models import Application
from labelapp.applications.states import Action, ApplicationStatus
from labelapp.assessment import services as assessment_services
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.core.models import OutboxMessage
from labelapp.extensions import db
from labelapp.panel import assignment as panel
from labelapp.panel import reviews
from labelapp.panel.models import PanelMember
from tests.support.factories import filled_assessment, make_user, open_round
from tests.support.panel import form_panel
from tests.support.web import csrf_token, login

SHIPPED = Path(__file__).resolve().parents[2] / "criteria"
SHORT_SUBJECT = "Hindamiskomisjonis on liiga vähe hindajaid"


@pytest.fixture
def config_overrides(tmp_path):
    """The shipped criteria, and a test version 2025.9 that asks for panels of at least three."""
    target = tmp_path / "criteria"
    shutil.copytree(SHIPPED, target)
    folder = target / "kaasav-omavalitsus"
    text = (folder / "2025.1.yaml").read_text(encoding="utf-8").replace('version: "2025.1"', 'version: "2025.9"')
    (folder / "2025.9.yaml").write_text(text + "\npanel:\n  min_assessors: 3\n", encoding="utf-8")
    return {"CRITERIA_DIR": str(target)}


def english(client):
    client.set_cookie("lang", "en")
    return client


def declare_conflict(app, setup, email):
    assessor = app.test_client()
    login(assessor, email)
    page = assessor.get(f"/applications/{setup['application']}/review").get_data(as_text=True)
    return assessor.post(f"/applications/{setup['application']}/conflict",
                         data={"csrf_token": csrf_token(page), "kind": "advised", "note": "Advised them in 2024"})


def short_messages(app, users):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage.body).where(
            OutboxMessage.to_address == users["coordinator"],
            OutboxMessage.subject.startswith(SHORT_SUBJECT))).all()


def test_a_panel_below_the_minimum_is_refused_on_the_form(app, client, login_as, setup):
    login_as("coordinator")
    english(client)
    response = form_panel(app, client, setup, setup["assessors"][:1], setup["assessors"][0])
    assert response.status_code == 422
    assert "The criteria of this application require at least 2 assessors on the panel; you chose 1." in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(PanelMember)).all() == []
    assert form_panel(app, client, setup, setup["assessors"][:2], setup["assessors"][0]).status_code == 302


def test_the_minimum_is_the_one_of_the_applications_criteria_version(app, users):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        staff = find_user(users["staff"])
        assessment = filled_assessment(staff, open_round("2025.9"), level=2)
        assessment_services.submit(assessment, staff)
        application = services.create(assessment, staff)
        for action in (Action.SUBMIT, Action.START_SCREENING):
            services.change_status(application, action)
        assessors = [find_user(users["assessor"])] + [make_user(Role.ASSESSOR, commit=False) for _ in range(2)]
        deadline = dt.date.today() + dt.timedelta(days=9)
        with pytest.raises(panel.PanelError) as refused:
            panel.assign(application, assessors[:2], assessors[0], deadline)
        assert str(refused.value) == ("The criteria of this application require at least 3 assessors on the "
                                      "panel; you chose 2.")
        panel.assign(application, assessors, assessors[0], deadline)
        assert len(application.panel) == 3


def test_a_conflict_that_leaves_the_panel_short_tells_the_coordinators_at_once(app, client, login_as, setup,
                                                                               users):
    login_as("coordinator")
    english(client)
    a, b = setup["assessors"][:2]
    assert form_panel(app, client, setup, [a, b], a).status_code == 302
    detail = f"/applications/{setup['application']}"
    warning = "The panel has 1 assessor; the criteria require at least 2."
    assert warning not in client.get(detail).get_data(as_text=True)
    declare_conflict(app, setup, b)
    (body,) = short_messages(app, users)
    assert "The panel of the application of Tallinn has 1 assessor; the criteria require at least 2." in body
    assert warning in client.get(detail).get_data(as_text=True)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    section = dashboard.split("Panels below the minimum size", 1)[1]
    assert re.search(rf'href="{detail}">Tallinn</a>: 1 of at least 2 assessors', section)


def test_a_conflict_that_leaves_the_minimum_sends_no_warning(app, client, login_as, setup, users):
    login_as("coordinator")
    english(client)
    a, b, c = setup["assessors"][:3]
    form_panel(app, client, setup, [a, b, c], a)
    declare_conflict(app, setup, c)
    assert short_messages(app, users) == []
    assert "Panels below the minimum size" not in client.get("/dashboard").get_data(as_text=True)
    assert "the criteria require at least" not in client.get(f"/applications/{setup['application']}").get_data(
        as_text=True)


def test_consolidation_is_refused_until_the_panel_is_complete(app, client, login_as, setup):
    login_as("coordinator")
    a, b, c = setup["assessors"][:3]
    form_panel(app, client, setup, [a, b], a)
    declare_conflict(app, setup, b)
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        application = db.session.get(Application, setup["application"])
        chair = find_user(a)
        criteria = assessment_services.criteria_of(application.assessment)
        levels = {criterion.id: (2, "") for _area, criterion in criteria.criteria()}
        reviews.save(application, chair, levels, "award", "", criteria, submit=True)
        with pytest.raises(reviews.ReviewError) as refused:
            reviews.consolidate(application, chair, levels, "award", "The panel agrees on every level.", criteria)
        assert str(refused.value) == ("The panel has 1 assessor, below the minimum of 2 that the criteria set. "
                                      "The coordinator completes the panel before it consolidates.")
        assert application.status == ApplicationStatus.IN_REVIEW
        panel.assign(application, [chair, find_user(c)], chair, dt.date.today() + dt.timedelta(days=9))
        reviews.save(application, find_user(c), levels, "award", "", criteria, submit=True)
        reviews.consolidate(application, chair, levels, "award", "The panel agrees on every level.", criteria)
        assert application.status == ApplicationStatus.RECOMMENDED
