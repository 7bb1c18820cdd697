"""Removing a tie to a municipality whose application is being assessed needs a coordinator's confirmation (an
assessor must not be able to lift their own conflict with one POST and then be assigned); every tie change is
e-mailed to the coordinators."""

import datetime as dt

import pytest
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.states import Action
from labelapp.auth.models import AssessorTie, Role, TieKind
from labelapp.auth.services import find_user
from labelapp.auth.ties import add_tie
from labelapp.core.models import AuditEntry, OutboxMessage
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code
from labelapp.panel import assignment
from labelapp.panel.assignment import PanelError
from tests.support.factories import application_from, make_user
from tests.support.web import logout, submit

IN_REVIEW = (Action.SUBMIT, Action.START_SCREENING, Action.ACCEPT)


@pytest.fixture
def world(app, users):
    """An application of Tallinn at ``steps`` (in review by default), the assessor's tie to Tallinn, a second
    coordinator (every active coordinator is told) and an inactive one (who is not)."""
    def build(steps=IN_REVIEW):
        with app.test_request_context():
            application = application_from(find_user(users["staff"]), steps=steps)
            second = make_user(Role.COORDINATOR, commit=False)
            gone = make_user(Role.COORDINATOR, commit=False)
            gone.active = False
            tie = add_tie(find_user(users["assessor"]), by_code("0784", "EE"), TieKind.WORKS_FOR, "Adviser")
            db.session.commit()
            return {"application": application.id, "tie": tie.id,
                    "coordinators": sorted([users["coordinator"], second.email])}
    return build


def mail_to(phrase: str) -> list[str]:
    """Who was sent a message with ``phrase`` (in its English part)."""
    return sorted(db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.body.contains(phrase))))


def actions(tie_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "assessor_tie",
                                                                    AuditEntry.object_id == str(tie_id))
                                   .order_by(AuditEntry.id)))


def request_removal(client, login_as, tie_id: int):
    login_as("assessor")
    return submit(client, f"/account/ties/{tie_id}/delete", form_page="/account/ties")


def test_removal_during_review_leaves_the_tie_and_the_conflict(app, client, login_as, users, world):
    made = world()
    assert request_removal(client, login_as, made["tie"]).status_code == 302
    with app.test_request_context():
        tie = db.session.get(AssessorTie, made["tie"])
        assert tie is not None and tie.removal_requested_at is not None
        application = db.session.get(Application, made["application"])
        assessor = find_user(users["assessor"])
        assert list(assignment.conflicts(application)) == [assessor.id]
        with pytest.raises(PanelError):
            assignment.assign(application, [assessor], assessor, dt.date.today() + dt.timedelta(days=10))
        assert actions(made["tie"]) == ["tie.add", "tie.removal_requested"]
        assert mail_to("recorded a tie") == made["coordinators"]
        assert mail_to("asks to remove") == made["coordinators"]
    page = client.get("/account/ties").get_data(as_text=True)
    assert f"/account/ties/{made['tie']}/delete" not in page  # no second request: the first one waits


def test_second_request_is_stale(app, client, login_as, world):
    made = world()
    request_removal(client, login_as, made["tie"])
    again = submit(client, f"/account/ties/{made['tie']}/delete", form_page="/account/ties")
    assert again.status_code == 409
    with app.app_context():
        assert actions(made["tie"]) == ["tie.add", "tie.removal_requested"]


def test_coordinator_confirms_the_removal(app, client, login_as, users, world):
    made = world()
    request_removal(client, login_as, made["tie"])
    logout(client)
    login_as("coordinator")
    page = client.get("/admin/users/ties").get_data(as_text=True)
    assert "Tallinn" in page and users["assessor"] in page and f"/admin/users/ties/{made['tie']}/confirm" in page
    response = submit(client, f"/admin/users/ties/{made['tie']}/confirm", form_page="/admin/users/ties")
    assert response.status_code == 302
    with app.test_request_context():
        assert db.session.get(AssessorTie, made["tie"]) is None
        assert find_user(users["assessor"]).ties == []
        assert actions(made["tie"]) == ["tie.add", "tie.removal_requested", "tie.remove"]
        removed = sorted(made["coordinators"] + [users["assessor"]])
        assert mail_to("is removed") == removed
    assert f"/admin/users/ties/{made['tie']}/confirm" not in client.get("/admin/users/ties").get_data(as_text=True)


def test_coordinator_refuses_the_removal(app, client, login_as, users, world):
    made = world()
    request_removal(client, login_as, made["tie"])
    logout(client)
    login_as("coordinator")
    response = submit(client, f"/admin/users/ties/{made['tie']}/refuse", form_page="/admin/users/ties")
    assert response.status_code == 302
    with app.test_request_context():
        tie = db.session.get(AssessorTie, made["tie"])
        assert (tie.kind, tie.removal_requested_at) == (TieKind.WORKS_FOR, None)
        application = db.session.get(Application, made["application"])
        assert list(assignment.conflicts(application)) == [find_user(users["assessor"]).id]
        assert actions(made["tie"]) == ["tie.add", "tie.removal_requested", "tie.removal_refused"]
        assert mail_to("is refused") == sorted(made["coordinators"] + [users["assessor"]])


def test_deciding_without_a_request_is_stale(app, client, login_as, world):
    made = world()
    login_as("coordinator")
    for step in ("confirm", "refuse"):
        response = submit(client, f"/admin/users/ties/{made['tie']}/{step}", form_page="/admin/users/ties")
        assert response.status_code == 409
    with app.app_context():
        assert actions(made["tie"]) == ["tie.add"]


@pytest.mark.parametrize("steps", [(), (Action.SUBMIT, Action.WITHDRAW)], ids=["draft", "withdrawn"])
def test_removal_without_an_open_application_is_immediate(app, client, login_as, users, world, steps):
    made = world(steps)
    assert request_removal(client, login_as, made["tie"]).status_code == 302
    with app.app_context():
        assert db.session.get(AssessorTie, made["tie"]) is None
        assert actions(made["tie"]) == ["tie.add", "tie.remove"]
        assert mail_to("is removed") == made["coordinators"]


def test_adding_a_tie_tells_the_coordinators(app, client, login_as, users):
    with app.app_context():
        coordinators = [users["coordinator"], make_user(Role.COORDINATOR).email]
        tartu = str(by_code("0793", "EE").id)
    login_as("assessor")
    response = submit(client, "/account/ties", {"municipality": tartu, "kind": "lives_in", "note": "Home town"})
    assert response.status_code == 302
    with app.app_context():
        assert mail_to("recorded a tie to Tartu") == sorted(coordinators)
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_address == users["coordinator"]))
        assert "Home town" in body
