"""No internal code where a person reads: every page every kind of user may open (tests/authz/matrix.txt), in
both languages, and every e-mail template show words, not snake_case, dotted ids or enum values
(tests/support/codes.py); e-mail subjects are bilingual."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

import labelapp
from labelapp.applications.models import Application
from labelapp.auth.models import AssessorTie, User
from labelapp.core import mail
from labelapp.core.models import OutboxMessage
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.improvement.models import ImprovementAction
from labelapp.labels.models import Decision, Label
from tests.authz.test_matrix import read_matrix
from tests.authz.world import ACTORS, build
from tests.support.codes import codes_in, enum_values, readable_text
from tests.support.web import login

# Label level ids of the shipped criteria. English text on an Estonian page (the English half of a bilingual
# e-mail subject in the outbox) is marked lang="en", and read as English on English pages.
LEVEL_IDS = {"label", "gold"}
TEMPLATES = Path(labelapp.__file__).parent / "templates"


@pytest.mark.parametrize("actor", ACTORS)
def test_pages_show_no_internal_codes(app, client, actor):
    world = build(app)
    if actor != "anonymous":
        assert login(client, world.emails[actor]).status_code == 302
    # On Estonian pages an enum value is English, so a code ("link" is an Estonian word too).
    estonian_words = (enum_values() - {"link"}) | LEVEL_IDS
    found: dict[str, list[str]] = {}
    pages = 0
    for (rule, method), outcomes in sorted(read_matrix().items()):
        if method != "GET" or outcomes[actor] != "ok" or rule == "/logout":
            continue
        url = world.url(rule)
        for language in ("et", "en"):
            client.set_cookie("lang", language)
            response = client.get(url)
            html = response.get_data(as_text=True) if response.status_code == 200 else ""
            response.close()
            if response.mimetype != "text/html" or not html:
                continue
            pages += 1
            text = readable_text(html, skip_language="en" if language == "et" else None)
            codes = codes_in(text, estonian_words if language == "et" else set())
            if codes:
                found[f"{language} {url}"] = codes
    assert pages > 0
    assert not found, "internal codes where a person reads:\n" + "\n".join(
        f"{page}: …{code}…" for page, codes in found.items() for code in codes)


MAIL_TEMPLATES = sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.glob("*/mail/*.txt"))


@pytest.mark.parametrize("template", MAIL_TEMPLATES)
def test_emails_show_no_internal_codes(app, template):
    """Every e-mail template, rendered as sent (Estonian, then English) with the world's objects."""
    world = build(app)
    with app.test_request_context():
        label = db.session.get(Label, world.values["label_id"])
        application = db.session.get(Application, world.values["application_id"])
        tie = db.session.get(AssessorTie, world.values["tie_id"])
        context = {
            "user": db.session.scalar(select(User).where(User.email == world.emails["staff_a"])),
            "application": application, "label": label,
            "decision": db.session.scalar(select(Decision).where(Decision.application_id == label.application_id)),
            "assessor": tie.user, "municipality": tie.municipality, "kind": tie.kind, "note": "",
            "hold": application.status, "own": True, "link": "https://kaasav.example/x", "hours": 48, "days": 1,
            "deadline": dt.date(2028, 12, 1), "size": 1, "minimum": 2, "question": "Mis?", "answer": "See.",
        }
        action = db.session.get(ImprovementAction, world.values["action_id"])
        context["action"] = action
        context["criterion"] = criteria_services.load(application.criteria_version).criterion(
            action.point.criterion_id)
        body = mail.render_bilingual(template, **context)
    estonian, english = body.split("\n\n---\n\n")
    found = codes_in(estonian, (enum_values() - {"link"}) | LEVEL_IDS) + codes_in(english)
    assert not found, f"{template}: " + " | ".join(found)
    assert "Teid" in estonian or "Sind" not in estonian  # formal address in e-mails (point 7)
    assert not {"sinu", "sind", "sulle", "sul"} & set(estonian.lower().split())


def test_email_subjects_are_bilingual(app):
    world = build(app)
    with app.app_context():
        subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert subjects and world
    assert all(" / " in subject for subject in subjects), subjects
    assert not [code for subject in subjects for code in codes_in(subject)]
