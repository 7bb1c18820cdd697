"""TOTP second factor: required for coordinators and assessors, optional for staff, with recovery codes."""

import re

from sqlalchemy import select

from labelapp.auth import second_factor
from labelapp.auth.models import Role, User
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from tests.support.factories import PASSWORD, make_user, second_factor_code
from tests.support.web import submit


def password_step(client, email, password=PASSWORD):
    return submit(client, "/login", {"email": email, "password": password})


def secret_of(app, email):
    with app.app_context():
        return second_factor.secret_of(db.session.scalar(select(User).where(User.email == email)))


def test_password_alone_does_not_log_a_coordinator_in(client, users):
    response = password_step(client, users["coordinator"])
    assert response.status_code == 302 and response.location.endswith("/login/second-factor")
    assert client.get("/dashboard").status_code == 302  # still anonymous
    assert client.get("/admin/users/").status_code == 302


def test_right_code_completes_the_login_and_goes_to_next(app, client, users):
    page = client.get("/login?next=/admin/users/")
    from tests.support.web import csrf_token

    client.post("/login", data={"email": users["coordinator"], "password": PASSWORD, "next": "/admin/users/",
                                "csrf_token": csrf_token(page.get_data(as_text=True))})
    response = submit(client, "/login/second-factor", {"code": second_factor_code(app, users["coordinator"])})
    assert response.status_code == 302 and response.location == "/admin/users/"
    assert client.get("/admin/users/").status_code == 200


def test_wrong_code_is_refused_on_the_field(app, client, users):
    password_step(client, users["assessor"])
    response = submit(client, "/login/second-factor", {"code": "000000"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="code-error"' in html and 'aria-invalid="true"' in html
    assert client.get("/dashboard").status_code == 302


def test_a_code_works_only_once(app, client, users):
    password_step(client, users["assessor"])
    code = second_factor_code(app, users["assessor"])
    assert submit(client, "/login/second-factor", {"code": code}).status_code == 302
    other = app.test_client()
    password_step(other, users["assessor"])
    assert submit(other, "/login/second-factor", {"code": code}).status_code == 422


def test_wrong_codes_count_towards_the_account_lock(app, client, users):
    """A right password does not reset the failure count, so the six digits cannot be guessed at leisure."""
    statuses = []
    for _ in range(6):
        password_step(client, users["coordinator"])
        statuses.append(submit(client, "/login/second-factor", {"code": "123456"}).status_code)
    assert statuses[:5] == [422] * 5 and statuses[5] == 429
    password_step(client, users["coordinator"])
    assert submit(client, "/login/second-factor",
                  {"code": second_factor_code(app, users["coordinator"])}).status_code == 429


def test_second_step_needs_a_recent_password_step(app, client, users):
    response = client.get("/login/second-factor")
    assert response.status_code == 302 and response.location.endswith("/login")
    app.config["SECOND_FACTOR_PENDING_SECONDS"] = -1
    password_step(client, users["coordinator"])
    assert client.get("/login/second-factor").status_code == 302


def test_recovery_code_logs_in_once(app, client):
    with app.app_context():
        user = make_user(Role.COORDINATOR)
        codes = second_factor.enrol_new(user)
        db.session.commit()
        email = user.email
    password_step(client, email)
    assert submit(client, "/login/second-factor", {"code": codes[0].upper()}).status_code == 302
    other = app.test_client()
    password_step(other, email)
    assert submit(other, "/login/second-factor", {"code": codes[0]}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.after).where(AuditEntry.action == "user.recovery_code_used")) \
            == {"left": 9}


def test_coordinator_without_a_factor_must_set_one_up_first(app, client):
    with app.app_context():
        user = make_user(Role.COORDINATOR)
        second_factor.turn_off(user)  # as for an account made before the requirement
        db.session.commit()
        email = user.email
    response = password_step(client, email)
    assert response.status_code == 302
    for path in ("/dashboard", "/admin/users/", "/applications/"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/account/second-factor"), path
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "<svg" in page and "<title>" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = submit(client, "/account/second-factor", {"code": "111111"})
    assert response.status_code == 422
    code = second_factor.code_at(secret, second_factor.current_step())
    response = submit(client, "/account/second-factor", {"code": code})
    assert response.status_code == 200
    shown = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.get_data(as_text=True))
    assert len(shown) == 10
    assert client.get("/admin/users/").status_code == 200
    assert secret_of(app, email) == secret


def test_staff_may_turn_the_factor_on_and_off(app, client, users, login_as):
    login_as("staff")
    assert client.get("/dashboard").status_code == 200  # not required for staff
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    submit(client, "/account/second-factor", {"code": second_factor.code_at(secret, second_factor.current_step())})
    assert secret_of(app, users["staff"]) == secret
    response = submit(client, "/account/second-factor/off", {"code": "000000"},
                      form_page="/account/second-factor")
    assert secret_of(app, users["staff"]) == secret  # a wrong code changes nothing
    response = submit(client, "/account/second-factor/off", {"code": second_factor_code(app, users["staff"])},
                      form_page="/account/second-factor")
    assert response.status_code == 302 and secret_of(app, users["staff"]) is None


def test_coordinators_cannot_turn_the_factor_off(app, client, users, login_as):
    login_as("coordinator")
    response = submit(client, "/account/second-factor/off", {"code": second_factor_code(app, users["coordinator"])},
                      form_page="/account/second-factor")
    assert response.status_code == 403
    assert secret_of(app, users["coordinator"]) is not None
