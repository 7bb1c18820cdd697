"""Sessions: new at login, ended by idle time (30 min) and age (12 h), cookie flags."""

import time

import pytest

from labelapp.auth.sessions import AUTH_AT, SEEN_AT
from tests.support.web import login


def shift(client, key: str, seconds: int) -> None:
    with client.session_transaction() as session:
        session[key] -= seconds


def test_login_starts_a_new_session_without_anything_from_before(client, users):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before login"
        before = dict(session)
    login(client, users["staff"])
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before.get("csrf_token")
        assert session[AUTH_AT] == session[SEEN_AT]


@pytest.mark.parametrize(("key", "seconds", "ended"), [
    (SEEN_AT, 29 * 60, False),
    (SEEN_AT, 31 * 60, True),
    (AUTH_AT, 11 * 3600, False),
    (AUTH_AT, 12 * 3600 + 60, True),
])
def test_idle_and_absolute_timeouts(client, users, key, seconds, ended):
    login(client, users["staff"])
    shift(client, key, seconds)
    response = client.get("/assessments/")
    if ended:
        assert response.status_code == 302
        assert response.location.startswith("/login?next=/assessments/")
        assert client.get("/dashboard").status_code == 302  # the session is gone, not just this request
    else:
        assert response.status_code == 200


def test_activity_keeps_an_idle_session_alive_until_the_absolute_limit(client, users):
    login(client, users["staff"])
    for _ in range(3):
        shift(client, SEEN_AT, 25 * 60)
        shift(client, AUTH_AT, 25 * 60)
        assert client.get("/dashboard").status_code == 200
    with client.session_transaction() as session:
        assert abs(session[SEEN_AT] - int(time.time())) <= 2


def test_session_cookie_flags(client, users):
    response = login(client, users["staff"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "remember_token" not in response.headers.get("Set-Cookie", "")
