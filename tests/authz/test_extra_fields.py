"""Fields a form does not have (status, score, role, municipality_id, user_id, ...) never change anything, even
when the rest of the form is valid and saved."""

import re

from sqlalchemy import select

from labelapp.assessment.models import Assessment
from labelapp.auth.models import AssessorTie, Role, User
from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code
from tests.concurrency.helpers import LEVEL_FIELDS, VERSION
from tests.support.factories import PASSWORD, make_user, open_round
from tests.support.web import csrf_token, submit

SMUGGLED = {"status": "submitted", "score": "100", "role": "coordinator", "active": "", "is_chair": "y",
            "session_version": "1", "totp_secret": "AAAAAAAAAAAAAAAA"}


def test_saving_answers_does_not_submit_or_move_the_assessment(app, client, login_as):
    with app.test_request_context():
        open_round()
        tartu = by_code("0793", "EE").id
    login_as("staff")
    response = submit(client, "/assessments/start", {})
    assessment_id = int(re.search(r"/assessments/(\d+)", response.location).group(1))
    url = f"/assessments/{assessment_id}/areas/strategy"
    page = client.get(url).get_data(as_text=True)
    match = VERSION.search(page)
    fields = {name: value for name, value in LEVEL_FIELDS.findall(page)}
    response = client.post(url, data={"csrf_token": csrf_token(page), "version": match.group(1) or match.group(2),
                                      **fields, **SMUGGLED, "municipality_id": str(tartu),
                                      "assessment_id": "1", "version_id": "999"})
    assert response.status_code == 302  # saved
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status == "draft"
        assert assessment.municipality_id == by_code("0784", "EE").id
        assert assessment.version == 2  # one save, nothing else


def test_changing_a_password_does_not_change_role_or_municipality(app, client, login_as, users):
    with app.app_context():
        tartu = by_code("0793", "EE").id
        before = find_user(users["staff"])
        before = (before.role, before.municipality_id, before.active)
    login_as("staff")
    response = submit(client, "/account", {"current": PASSWORD, "password": "Põltsamaa kevadine jõgi",
                                           "confirm": "Põltsamaa kevadine jõgi", **SMUGGLED,
                                           "municipality_id": str(tartu), "email": "boss@example.org"})
    assert response.status_code == 302
    with app.app_context():
        user = find_user(users["staff"])
        assert (user.role, user.municipality_id, user.active) == before
        assert user.role == Role.STAFF and find_user("boss@example.org") is None


def test_a_tie_is_always_the_declaring_assessors_own(app, client, login_as, users):
    with app.app_context():
        other = make_user(Role.ASSESSOR)
        other_id = other.id
        tartu = by_code("0793", "EE").id
    login_as("assessor")
    response = submit(client, "/account/ties", {"municipality": str(tartu), "kind": "lives_in", "note": "",
                                                "user_id": str(other_id), **SMUGGLED})
    assert response.status_code == 302
    with app.app_context():
        owners = db.session.scalars(select(AssessorTie.user_id)).all()
        assert owners == [find_user(users["assessor"]).id]
        assert db.session.scalar(select(User.role).where(User.id == other_id)) == Role.ASSESSOR
