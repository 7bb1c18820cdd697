import logging

from sqlalchemy import func, select

from labelapp.auth.models import AttemptOutcome, LoginAttempt
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from tests.support.web import csrf_token, login, logout, submit


def test_login_with_correct_password_opens_dashboard(client, users):
    response = login(client, users["staff"], follow_redirects=True)
    assert response.status_code == 200
    assert "Tallinn" in response.get_data(as_text=True)


def test_login_email_is_case_insensitive(client, users):
    assert login(client, users["staff"].upper()).status_code == 302


def test_login_with_wrong_password_shows_error_on_field(client, users):
    response = login(client, users["staff"], "wrong password here")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-error"' in html
    assert 'aria-describedby="password-error"' in html
    assert client.get("/dashboard").status_code == 302


def test_login_redirects_only_to_local_next(client, users):
    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    response = client.post("/login", data={"email": users["staff"], "password": "correct horse battery",
                                           "next": "https://evil.example/", "csrf_token": token})
    assert response.headers["Location"] == "/dashboard"


def test_login_without_csrf_token_is_refused_and_logged_as_a_security_event(app, client, users, caplog):
    caplog.set_level(logging.WARNING, logger="labelapp.security")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = client.post("/login", data={"email": users["staff"], "password": "correct horse battery"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert [r.getMessage() for r in caplog.records if r.name == "labelapp.security"] == \
        ["CSRF token missing or invalid: POST /login by anonymous from 127.0.0.1"]


def test_logout_ends_copied_session_cookie(app, client, users):
    login(client, users["staff"])
    stolen = client.get_cookie("session").value
    logout(client)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/dashboard").status_code == 302


def test_disabling_account_ends_its_session(app, client, users):
    login(client, users["staff"])
    assert client.get("/dashboard").status_code == 200
    with app.app_context():
        from labelapp.auth.services import update_user

        user = find_user(users["staff"])
        update_user(user, name=user.name, role=user.role, municipality=user.municipality, active=False)
        db.session.commit()
    assert client.get("/dashboard").status_code == 302
    assert login(client, users["staff"]).status_code == 422


def test_login_attempts_are_stored_and_audited(app, client, users):
    login(client, users["staff"], "wrong password here")
    login(client, users["staff"])
    with app.app_context():
        outcomes = db.session.scalars(select(LoginAttempt.outcome).order_by(LoginAttempt.id)).all()
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("login.%"))
                                     .order_by(AuditEntry.id)).all()
    assert outcomes == [AttemptOutcome.FAILURE, AttemptOutcome.SUCCESS]
    assert actions == ["login.failure", "login.success"]


def test_sixth_failure_in_window_is_throttled_even_with_right_password(app, client, users):
    for _ in range(5):
        assert login(client, users["staff"], "wrong password here").status_code == 422
    response = login(client, users["staff"])
    assert response.status_code == 429
    assert client.get("/dashboard").status_code == 302
    with app.app_context():
        throttled = db.session.scalar(select(func.count()).select_from(LoginAttempt)
                                      .where(LoginAttempt.outcome == AttemptOutcome.THROTTLED))
    assert throttled == 1


def test_throttle_of_one_account_leaves_others_alone(client, users):
    for _ in range(5):
        login(client, users["staff"], "wrong password here")
    assert login(client, users["other_staff"]).status_code == 302


def test_unknown_account_fails_like_wrong_password(client):
    response = login(client, "nobody@example.org", "whatever password")
    assert response.status_code == 422
    assert "The e-mail address or the password is not correct." in response.get_data(as_text=True) \
        or "E-posti aadress või parool ei ole õige." in response.get_data(as_text=True)


def test_change_password_keeps_this_session_and_ends_others(app, client, users):
    other = app.test_client()
    login(client, users["staff"])
    login(other, users["staff"])
    response = submit(client, "/account", {"current": "correct horse battery", "password": "a brand new passphrase",
                                           "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert login(app.test_client(), users["staff"], "a brand new passphrase").status_code == 302


def test_change_password_with_wrong_current_is_refused(client, users):
    login(client, users["staff"])
    response = submit(client, "/account", {"current": "not my password!", "password": "a brand new passphrase",
                                           "confirm": "a brand new passphrase"})
    assert response.status_code == 422
    assert login(client.application.test_client(), users["staff"]).status_code == 302
