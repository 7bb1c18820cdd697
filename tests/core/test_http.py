import logging

import pytest
from sqlalchemy import select

from labelapp.core.http import ClientThrottle
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from tests.support.web import login


@pytest.mark.parametrize("path", ["/", "/login", "/static/css/app.css", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_flags(client, users):
    response = login(client, users["staff"])
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logged_in_pages_are_not_cached(client, login_as):
    login_as("staff")
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"


def test_error_pages_are_rendered_and_localised(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="et">' in response.get_data(as_text=True)
    assert "Lehte ei leitud" in response.get_data(as_text=True)


def test_unexpected_error_shows_incident_and_no_traceback(app, client):
    from labelapp.auth.permissions import access, public

    @app.route("/boom")
    @access(public)
    def boom():
        raise RuntimeError("internal detail")

    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "internal detail" not in html and "Traceback" not in html
    assert "juhtumi number" in html
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_language_switch_keeps_the_page_and_refuses_other_sites(client):
    response = client.get("/language/en?next=/registry")
    assert response.headers["Location"] == "/registry"
    assert 'lang="en"' in client.get("/registry").get_data(as_text=True)
    assert "Label registry" in client.get("/registry").get_data(as_text=True)
    assert client.get("/language/en?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/language/xx?next=/").headers["Location"] == "/"


def security_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "labelapp.security"]


def test_tokenless_posts_go_to_the_security_log_and_leave_the_audit_table_unchanged(app, client, caplog):
    caplog.set_level(logging.WARNING, logger="labelapp.security")
    with app.app_context():
        before = db.session.execute(select(AuditEntry.id, AuditEntry.entry_hash)).all()
    statuses = {client.post("/login", data={"email": "x@example.org", "password": "y"}).status_code
                for _ in range(800)}
    assert statuses == {400}
    with app.app_context():
        assert db.session.execute(select(AuditEntry.id, AuditEntry.entry_hash)).all() == before
    # One line per client address per minute, not 800.
    assert security_lines(caplog) == ["CSRF token missing or invalid: POST /login by anonymous from 127.0.0.1"]


def test_the_next_security_log_line_counts_the_refusals_held_back(app, client, caplog):
    caplog.set_level(logging.WARNING, logger="labelapp.security")
    now = [1000.0]
    app.extensions["labelapp.security_throttle"] = ClientThrottle(60, clock=lambda: now[0])
    for _ in range(5):
        client.post("/login", data={})
    now[0] += 60
    client.post("/logout", data={})
    assert security_lines(caplog)[0] == "CSRF token missing or invalid: POST /login by anonymous from 127.0.0.1"
    assert security_lines(caplog)[1:] == ["CSRF token missing or invalid: POST /logout by anonymous from 127.0.0.1 "
                                          "(4 similar refusals from this address held back)"]


def test_client_throttle_admits_one_line_per_client_and_interval():
    now = [0.0]
    throttle = ClientThrottle(60, clock=lambda: now[0], max_clients=3)
    assert throttle.admit("a") == 0
    assert [throttle.admit("a") for _ in range(3)] == [None, None, None]
    assert throttle.admit("b") == 0
    now[0] = 59.9
    assert throttle.admit("a") is None
    now[0] = 60.0
    assert throttle.admit("a") == 4
    assert throttle.admit("c") == 0
    assert throttle.admit("d") == 0  # full: clients quiet for a whole interval are forgotten
    assert throttle.admit("a") is None
