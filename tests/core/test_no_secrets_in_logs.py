"""Passwords, one-time codes and tokens never reach the logs or the audit table."""

import logging
import re

from sqlalchemy import select

from labelapp.auth import second_factor
from labelapp.auth.models import LoginAttempt, Role
from labelapp.core import mail
from labelapp.core.models import AuditEntry, OutboxMessage
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code
from tests.support.factories import PASSWORD, make_user, second_factor_code
from tests.support.web import login, logout, submit

WRONG = "Wrong-Password-Marker-7731"
NEW = "New-Password-Marker-5521 jõgi"
INVITED = "Invited-Password-Marker-9902 kask"


def link_token(app, kind: str) -> str:
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(rf"/{kind}/([A-Za-z0-9_-]+)", body).group(1)


def test_no_password_code_or_token_in_logs_or_audit(app, client, users, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    secrets = [PASSWORD, WRONG, NEW, INVITED, app.config["SECRET_KEY"]]

    login(client, users["staff"], WRONG)                      # failed login
    login(client, users["staff"])                             # successful login
    secrets.append(client.get_cookie("session").value)
    logout(client)
    client.post("/login", data={"email": users["staff"], "password": WRONG})  # CSRF failure with a password

    submit(client, "/password/forgot", {"email": users["staff"]})  # reset by e-mailed token
    token = link_token(app, "password/reset")
    secrets.append(token)
    submit(client, f"/password/reset/{token}", {"password": NEW, "confirm": NEW})

    code = second_factor_code(app, users["coordinator"])      # second factor: code and recovery codes
    secrets.append(code)
    submit(client, "/login", {"email": users["coordinator"], "password": PASSWORD})
    submit(client, "/login/second-factor", {"code": code})
    with app.app_context():
        user = make_user(Role.STAFF)
        recovery = second_factor.replace_recovery_codes(user)
        db.session.commit()
    secrets.extend(recovery)
    with app.app_context():
        tartu = str(by_code("0793", "EE").id)
    response = submit(client, "/admin/users/invite", {"email": "new.person@example.org", "name": "New Person",
                                                      "role": "staff", "municipality": tartu})
    assert response.status_code == 302
    invitation = link_token(app, "invitation")
    secrets.append(invitation)
    logout(client)
    submit(client, f"/invitation/{invitation}", {"password": INVITED, "confirm": INVITED})

    with app.app_context():
        audit_text = "\n".join(repr(row) for row in db.session.execute(
            select(AuditEntry.actor_label, AuditEntry.action, AuditEntry.before, AuditEntry.after)).all())
        attempts = "\n".join(repr(row) for row in db.session.execute(select(LoginAttempt.email,
                                                                            LoginAttempt.client)).all())
        assert "login.failure" in audit_text and "user.password_reset" in audit_text
    logged = caplog.text
    leaked = [secret for secret in secrets if secret in logged or secret in audit_text or secret in attempts]
    assert leaked == []


def test_production_console_mail_leaves_out_the_body(app, capsys):
    app.config["LABELAPP_ENV"] = "production"
    with app.app_context():
        message = OutboxMessage(to_address="a@example.org", subject="Invitation",
                                body="https://example.org/invitation/secret-token-123")
        mail.print_to_console(message)
    err = capsys.readouterr().err
    assert "a@example.org" in err and "secret-token-123" not in err
