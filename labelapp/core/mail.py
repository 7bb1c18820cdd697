"""The e-mail outbox: messages are rows first, and are sent after the transaction that made them commits.

With ``SMTP_HOST`` unset (the demo), messages are printed to the console and stay pending in the outbox.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import sys
from datetime import timedelta
from email.message import EmailMessage

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from labelapp.config import is_production
from labelapp.core.models import OutboxMessage, OutboxStatus
from labelapp.core.types import utcnow
from labelapp.extensions import db

_NEW = "outbox_new"
# A sent message's links (invitations, password resets) need not outlive it in the database or its backups.
_LINK = re.compile(r"https?://", re.IGNORECASE)
DROPPED_BODY = "(body removed once sent: it held links)"
_COMMITTED = "outbox_committed"
SUBJECT_LENGTH = 255  # OutboxMessage.subject


def absolute_link(endpoint: str, **values) -> str:
    """An absolute link for e-mails, always under PUBLIC_BASE_URL: never from a request's Host header, which the
    client chooses (a reset link pointing at another site hands it the token). Built from the URL map rather
    than url_for, so that it is the same from the command line, where there is no request."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def queue_bilingual(to_address: str, subject, template: str, subject_detail: str = "", **context) -> OutboxMessage:
    """Queue a message rendered from ``template`` in Estonian, then English in the same e-mail (people read
    Estonian first); ``subject`` is a lazy text, given as "Estonian / English", followed by ``subject_detail``."""
    return queue(to_address, bilingual_subject(subject, subject_detail), render_bilingual(template, **context))


def bilingual_subject(subject, detail: str = "") -> str:
    """"Estonian / English: detail" (a lazy text in both languages), cut to fit the outbox's subject column."""
    texts = []
    for locale in ("et", "en"):
        with force_locale(locale):
            texts.append(str(subject))
    text = texts[0] if texts[0] == texts[1] else " / ".join(texts)
    text += f": {detail}" if detail else ""
    return text if len(text) <= SUBJECT_LENGTH else text[:SUBJECT_LENGTH - 1] + "…"


def render_bilingual(template: str, **context) -> str:
    parts = []
    for locale in ("et", "en"):
        with force_locale(locale):
            parts.append(render_template(template, **context))
    return "\n\n---\n\n".join(parts)


def queue(to_address: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox in the current transaction; it is delivered only if that commits."""
    message = OutboxMessage(to_address=to_address, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_NEW, []).append(message.id)
    return message


@event.listens_for(Session, "after_commit")
def _remember_committed(session: Session) -> None:
    new = session.info.pop(_NEW, None)
    if new:
        session.info.setdefault(_COMMITTED, []).extend(new)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction) -> None:
    session.info.pop(_NEW, None)


def deliver_committed() -> None:
    """Send (or, with no SMTP, print) the messages committed since the last call. Never raises."""
    ids = db.session.info.pop(_COMMITTED, None)
    if not ids:
        return
    if current_app.config.get("SMTP_HOST"):
        send_pending(only_ids=ids)
    else:
        for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))):
            print_to_console(message)


def print_to_console(message: OutboxMessage) -> None:
    # Bodies may hold invitation and password links; a production console is a log, so they stay out of it.
    body = "(body not printed in production: configure SMTP_HOST)" if is_production(current_app) else message.body
    print(
        f"\n----- e-mail (outbox #{message.id}, not sent: no SMTP_HOST configured) -----\n"
        f"To: {message.to_address}\nSubject: {message.subject}\n\n{body}\n"
        "----- end of e-mail -----\n",
        file=sys.stderr,
        flush=True,
    )


def _smtp_connection() -> smtplib.SMTP:
    config = current_app.config
    security = config["SMTP_SECURITY"]
    if security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"],
            context=ssl.create_default_context(),
        )
    else:
        smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"])
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if config.get("SMTP_USERNAME"):
        smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
    return smtp


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}-{message.created_at:%Y%m%d%H%M%S}@labelapp>"
    email.set_content(message.body)
    return email


def send_pending(only_ids: list[int] | None = None) -> tuple[int, int]:
    """Send due pending messages by SMTP and commit each outcome; return (sent, failed attempts).

    A failure leaves the message pending with an exponential back-off (1, 2, 4 … minutes) and the error
    text; after ``MAIL_MAX_ATTEMPTS`` it is marked failed. A sent message that held links keeps its recipient
    and subject, and its body becomes ``DROPPED_BODY``.
    """
    now = utcnow()
    query = select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
    )
    if only_ids is not None:
        query = query.where(OutboxMessage.id.in_(only_ids))
    ids = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    sent = failed = 0
    if not ids:
        return sent, failed
    try:
        smtp = _smtp_connection()
    except (OSError, smtplib.SMTPException) as exc:
        for message_id in ids:
            _record_failure(db.session.get(OutboxMessage, message_id), exc)
            failed += 1
        db.session.commit()
        return sent, failed
    with smtp:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            message.attempts += 1
            try:
                smtp.send_message(_as_email(message))
            except (OSError, smtplib.SMTPException) as exc:
                message.attempts -= 1
                _record_failure(message, exc)
                failed += 1
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = utcnow()
                message.last_error = None
                if _LINK.search(message.body):
                    message.body = DROPPED_BODY
                sent += 1
            db.session.commit()
    return sent, failed


def _record_failure(message: OutboxMessage, exc: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.FAILED
    else:
        message.next_attempt_at = utcnow() + timedelta(minutes=2 ** (message.attempts - 1))


def register(app: Flask) -> None:
    @app.after_request
    def _deliver(response):
        deliver_committed()
        return response
