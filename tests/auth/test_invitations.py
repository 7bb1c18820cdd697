"""Invitations and password resets, delivered through a real local SMTP server."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from labelapp.auth.models import AuthToken, Role
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry, OutboxMessage, OutboxStatus
from labelapp.core.types import utcnow
from labelapp.extensions import db
from tests.support.web import login, submit

LINK = re.compile(r"https?://[^\s]+/(invitation|password/reset)/([A-Za-z0-9_-]+)")


@pytest.fixture
def config_overrides(smtp):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port}


def token_path(message) -> str:
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return f"/{match.group(1)}/{match.group(2)}"


def invite(client, email="new.person@example.org", role="staff", municipality_id=""):
    return submit(client, "/admin/users/invite",
                  {"email": email, "name": "New Person", "role": role, "municipality": municipality_id})


def tallinn_id(app) -> str:
    from labelapp.municipalities.lookup import by_code

    with app.app_context():
        return str(by_code("0784", "EE").id)


def test_invitation_arrives_and_sets_password(app, client, login_as, smtp):
    login_as("coordinator")
    assert invite(client, municipality_id=tallinn_id(app)).status_code == 302
    assert [m["To"] for m in smtp.messages] == ["new.person@example.org"]
    path = token_path(smtp.messages[0])
    newcomer = app.test_client()
    response = submit(newcomer, path, {"password": "my own good passphrase", "confirm": "my own good passphrase"})
    assert response.status_code == 302
    assert login(newcomer, "new.person@example.org", "my own good passphrase").status_code == 302
    assert "Tallinn" in newcomer.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        status = db.session.scalar(select(OutboxMessage.status))
    assert status == OutboxStatus.SENT


def test_invitation_link_works_once(app, client, login_as, smtp):
    login_as("coordinator")
    invite(client, role="assessor")
    path = token_path(smtp.messages[0])
    newcomer = app.test_client()
    submit(newcomer, path, {"password": "my own good passphrase", "confirm": "my own good passphrase"})
    assert newcomer.get(path).status_code == 404


def test_expired_invitation_is_refused(app, client, login_as, smtp):
    login_as("coordinator")
    invite(client, role="assessor")
    with app.app_context():
        db.session.execute(update(AuthToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert app.test_client().get(token_path(smtp.messages[0])).status_code == 404


def test_staff_invitation_without_municipality_is_refused_on_the_field(client, login_as, smtp):
    login_as("coordinator")
    response = invite(client, role="staff")
    assert response.status_code == 422
    assert 'id="municipality-error"' in response.get_data(as_text=True)
    assert smtp.messages == []


def test_duplicate_invitation_is_refused(client, login_as, users, smtp):
    login_as("coordinator")
    response = invite(client, email=users["assessor"], role="assessor")
    assert response.status_code == 422
    assert smtp.messages == []


def test_password_reset_round_trip(app, client, users, smtp):
    assert submit(client, "/password/forgot", {"email": users["assessor"]}).status_code == 302
    path = token_path(smtp.messages[0])
    response = submit(client, path, {"password": "a fresh passphrase!", "confirm": "a fresh passphrase!"})
    assert response.status_code == 302
    assert login(client, users["assessor"], "a fresh passphrase!").status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("user.password%"))).all()
    assert sorted(actions) == ["user.password_reset", "user.password_reset_requested"]


def test_reset_for_unknown_address_sends_nothing_and_says_the_same(client, smtp):
    response = submit(client, "/password/forgot", {"email": "nobody@example.org"}, follow_redirects=True)
    assert response.status_code == 200
    assert smtp.messages == []


def test_new_reset_link_voids_the_older_one(app, client, users, smtp):
    submit(client, "/password/forgot", {"email": users["assessor"]})
    submit(client, "/password/forgot", {"email": users["assessor"]})
    first, second = (token_path(m) for m in smtp.messages)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_reset_with_weak_password_keeps_the_token(client, users, smtp):
    submit(client, "/password/forgot", {"email": users["assessor"]})
    path = token_path(smtp.messages[0])
    response = submit(client, path, {"password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert client.get(path).status_code == 200


def test_resend_invitation_voids_the_first_link(app, client, login_as, smtp):
    login_as("coordinator")
    invite(client, role="assessor")
    with app.app_context():
        user_id = find_user("new.person@example.org").id
    assert submit(client, f"/admin/users/{user_id}/resend-invitation",
                  form_page=f"/admin/users/{user_id}").status_code == 302
    first, second = (token_path(m) for m in smtp.messages)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_mail_that_fails_stays_pending_and_is_sent_later(app, smtp, runner):
    from labelapp.auth import services

    app.config["SMTP_PORT"] = smtp.port + 1 if smtp.port < 65535 else smtp.port - 1  # nothing listens there
    with app.test_request_context():
        services.invite_user("later@example.org", "Later", Role.ASSESSOR, None)
        db.session.commit()
        from labelapp.core import mail

        mail.deliver_committed()
        message = db.session.scalar(select(OutboxMessage))
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
        assert message.last_error
    assert smtp.messages == []
    app.config["SMTP_PORT"] = smtp.port
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(next_attempt_at=OutboxMessage.created_at))
        db.session.commit()
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in smtp.messages] == ["later@example.org"]
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT


def test_without_smtp_mail_is_printed_and_kept(app, client, login_as, capsys):
    app.config["SMTP_HOST"] = None
    login_as("coordinator")
    invite(client, role="assessor")
    assert "new.person@example.org" in capsys.readouterr().err
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == OutboxStatus.PENDING
