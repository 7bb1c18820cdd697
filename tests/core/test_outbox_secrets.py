"""Secrets at rest in the outbox: a sent message's links leave the database (issue #15, finding 14)."""

import pytest
from sqlalchemy import select

from labelapp.core import mail
from labelapp.core.models import OutboxMessage, OutboxStatus
from labelapp.extensions import db


@pytest.fixture
def config_overrides(smtp):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port}


def test_a_sent_message_with_a_link_keeps_recipient_and_subject_but_not_its_body(app, smtp):
    with app.app_context():
        mail.queue("a@example.org", "Reset", "Open https://label.example.ee/password/reset/secret-token\n")
        mail.queue("b@example.org", "Reminder", "Your review is due on Friday.\n")
        db.session.commit()
        assert mail.send_pending() == (2, 0)
        stored = [(m.to_address, m.subject, m.status, m.body) for m in
                  db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert stored == [("a@example.org", "Reset", OutboxStatus.SENT, mail.DROPPED_BODY),
                      ("b@example.org", "Reminder", OutboxStatus.SENT, "Your review is due on Friday.\n")]
    assert "secret-token" in smtp.messages[0].get_content()


def test_a_message_not_yet_sent_keeps_its_body_for_the_next_attempt(app, smtp):
    with app.app_context():
        mail.queue("a@example.org", "Reset", "Open https://label.example.ee/password/reset/secret-token\n")
        db.session.commit()
        app.config["SMTP_PORT"] = 1  # nothing listens there
        assert mail.send_pending() == (0, 1)
        assert db.session.scalar(select(OutboxMessage.body)).endswith("secret-token\n")
