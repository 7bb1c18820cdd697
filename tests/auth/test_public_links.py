"""Links in e-mails come from PUBLIC_BASE_URL, never from the request's Host header (issue #15, finding 1)."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from labelapp.core.models import OutboxMessage
from labelapp.extensions import db
from tests.support.web import csrf_token, sent, submit

BASE = "https://label.example.ee"
PACKAGE = Path(__file__).resolve().parents[2] / "labelapp"


@pytest.fixture
def config_overrides():
    return {"PUBLIC_BASE_URL": BASE}


def outbox_bodies(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id)).all()


def forgot(client, email: str, host: str):
    """Post the form as a browser would that reached the app under ``host`` (its session cookie included)."""
    token = csrf_token(client.get("/password/forgot").get_data(as_text=True))
    client.set_cookie("session", client.get_cookie("session").value, domain=host.split(":")[0])
    return sent(client.post("/password/forgot", data={"email": email, "csrf_token": token}, headers={"Host": host}))


def test_reset_request_with_a_foreign_host_is_refused_and_sends_nothing(app, client, users):
    response = forgot(client, users["staff"], "evil.example")
    assert (response.status_code, response.mimetype) == (400, "text/plain")
    assert outbox_bodies(app) == []


@pytest.mark.parametrize("host", ["localhost", "label.example.ee", "127.0.0.1:8000"])
def test_reset_link_is_built_from_the_public_base_url_whatever_trusted_host_was_asked(app, client, users, host):
    assert forgot(client, users["staff"], host).status_code == 302
    [body] = outbox_bodies(app)
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 2  # the Estonian and the English part
    assert all(link.startswith(f"{BASE}/password/reset/") for link in links)


def test_invitation_link_is_built_from_the_public_base_url(app, client, login_as):
    login_as("coordinator")
    response = submit(client, "/admin/users/invite",
                      {"email": "new.person@example.org", "name": "New Person", "role": "assessor",
                       "municipality": ""})
    assert response.status_code == 302
    [body] = outbox_bodies(app)
    assert {link.split("/invitation/")[0] for link in re.findall(r"https?://\S+", body)} == {BASE}


def test_any_untrusted_host_is_refused_on_every_page(client):
    for path in ("/", "/login", "/no-such-page", "/static/css/app.css"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert (response.status_code, response.mimetype) == (400, "text/plain"), path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/").status_code == 200


def test_mail_templates_take_links_only_from_the_link_variable():
    """Every link in an e-mail is the ``link`` its sender built with mail.absolute_link (PUBLIC_BASE_URL)."""
    templates = sorted(PACKAGE.glob("templates/*/mail/*.txt"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "url_for" not in text and "http" not in text and "request" not in text, template.name


def test_no_code_builds_links_from_the_request_host():
    """(Pages may still build absolute URLs with url_for: the host they use is one of TRUSTED_HOSTS.)"""
    offenders = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                 if re.search(r"host_url|url_root|request\.host\b", path.read_text(encoding="utf-8"))]
    assert offenders == []
