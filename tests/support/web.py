"""Helpers for driving the app through Flask's test client the way a browser does (with CSRF tokens)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.support.factories import PASSWORD, second_factor_code

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def submit(client: FlaskClient, url: str, data: dict | None = None, *, form_page: str | None = None,
           follow_redirects: bool = False):
    """GET ``form_page`` (default ``url``), take its CSRF token, POST ``data`` to ``url``."""
    page = client.get(form_page or url)
    token = csrf_token(page.get_data(as_text=True))
    response = client.post(url, data={**(data or {}), "csrf_token": token}, follow_redirects=follow_redirects)
    return sent(response)


def sent(response):
    """Read and close the response as a WSGI server does once it has sent it (running work the app left for
    then, such as reset e-mails)."""
    response.make_sequence()
    response.close()
    return response


def login(client: FlaskClient, email: str, password: str = PASSWORD, **kwargs):
    """Log in through the form, giving the authenticator code too when the account asks for one."""
    response = submit(client, "/login", {"email": email, "password": password})
    if response.status_code == 302 and response.location.endswith("/login/second-factor"):
        code = second_factor_code(client.application, email)
        response = submit(client, "/login/second-factor", {"code": code})
    if kwargs.get("follow_redirects") and response.status_code == 302:
        response = client.get(response.location, follow_redirects=True)
    return response


def logout(client: FlaskClient):
    return submit(client, "/logout", form_page="/dashboard")
