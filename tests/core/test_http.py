import pytest

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
