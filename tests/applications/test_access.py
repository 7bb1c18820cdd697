"""Each role gets 403 on every other role's application actions (the object itself is visible to all three)."""

import datetime as dt

import pytest

from labelapp.applications import services
from labelapp.applications.models import Application
from labelapp.applications.states import Action
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.panel import assignment as panel
from tests.support.factories import application_from, make_user
from tests.support.web import csrf_token, login

# (method, path after /applications/<id>, the role whose action it is)
ROUTES = [
    ("POST", "/submit", "staff"), ("POST", "/withdraw", "staff"), ("POST", "/clarification/answer", "staff"),
    ("POST", "/start_screening", "coordinator"), ("POST", "/accept", "coordinator"),
    ("POST", "/reject", "coordinator"), ("GET", "/panel", "coordinator"), ("POST", "/panel", "coordinator"),
    ("POST", "/decision", "coordinator"), ("POST", "/to_new_panel", "coordinator"), ("POST", "/appeal", "staff"),
    ("GET", "/review", "assessor"), ("POST", "/review", "assessor"), ("POST", "/conflict", "assessor"),
    ("POST", "/clarification", "assessor"), ("GET", "/consolidate", "assessor"),
]
ROLES = ["staff", "coordinator", "assessor"]


@pytest.fixture
def application_id(app, users):
    with app.test_request_context():
        application = application_from(find_user(users["staff"]), steps=(Action.SUBMIT, Action.START_SCREENING))
        chair = find_user(users["assessor"])
        panel.assign(application, [chair, make_user(Role.ASSESSOR, commit=False)], chair,
                     dt.date.today() + dt.timedelta(days=10))
        services.change_status(application, Action.ACCEPT)
        db.session.commit()
        return application.id


CASES = [(method, path, role) for method, path, owner in ROUTES for role in ROLES if role != owner]


@pytest.mark.parametrize("method,path,role", CASES, ids=[f"{m} {p} as {r}" for m, p, r in CASES])
def test_other_roles_get_403(app, client, users, application_id, role, method, path):
    login(client, users[role])
    url = f"/applications/{application_id}{path}"
    token = csrf_token(client.get(f"/applications/{application_id}").get_data(as_text=True))
    response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Application, application_id).status.value == "in_review"


def test_calibration_is_the_coordinators(client, login_as):
    login_as("assessor")
    assert client.get("/applications/calibration").status_code == 403
