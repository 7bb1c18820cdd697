"""Password resets asked for with "Forgot your password?", limited per account and per client address.

The request itself only stores a row, the same for every address whether or not it has an account, so the
answer takes the same time and says the same either way. The token and the e-mail are made afterwards, once
the response is sent (``handle_pending``), where the per-account limit applies unseen.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from labelapp.auth.models import ResetRequest, TokenPurpose
from labelapp.auth.services import find_user, issue_token, normalise_email, send_token_mail
from labelapp.core import audit
from labelapp.core.types import utcnow
from labelapp.extensions import db

HOUR = timedelta(hours=1)


def request_reset(email: str, client: str) -> None:
    """Record a reset request for ``email`` from ``client``. Beyond RESET_MAX_REQUESTS_PER_CLIENT requests
    from one address in an hour, nothing is recorded (and the answer is still the same)."""
    client = (client or "unknown")[:64]
    recent = db.session.scalar(select(func.count(ResetRequest.id)).where(
        ResetRequest.client == client, ResetRequest.at > utcnow() - HOUR))
    if recent >= current_app.config["RESET_MAX_REQUESTS_PER_CLIENT"]:
        return
    db.session.add(ResetRequest(email=normalise_email(email)[:255], client=client))
    db.session.flush()


def handle_pending() -> int:
    """Handle the requests not yet handled (from the last hour): e-mail a reset link to each active account
    with a password, at most RESET_MAX_MAILS_PER_ACCOUNT an hour. Each request is taken once, even when two
    processes run this at the same time. Returns the number of e-mails queued."""
    now = utcnow()
    pending = db.session.scalars(select(ResetRequest).where(
        ResetRequest.handled_at.is_(None), ResetRequest.at > now - HOUR).order_by(ResetRequest.id)).all()
    mailed = 0
    for item in pending:
        taken = db.session.execute(update(ResetRequest).where(
            ResetRequest.id == item.id, ResetRequest.handled_at.is_(None)).values(handled_at=now))
        if taken.rowcount != 1:
            continue
        user = find_user(item.email)
        if user is None or not user.active or user.password_hash is None or _mails_last_hour(item.email) >= \
                current_app.config["RESET_MAX_MAILS_PER_ACCOUNT"]:
            continue
        send_token_mail(user, TokenPurpose.RESET, issue_token(user, TokenPurpose.RESET))
        item.mailed = True
        db.session.flush()
        audit.record("user.password_reset_requested", "user", user.id, actor=user)
        mailed += 1
    return mailed


def _mails_last_hour(email: str) -> int:
    return db.session.scalar(select(func.count(ResetRequest.id)).where(
        ResetRequest.email == email, ResetRequest.mailed.is_(True), ResetRequest.at > utcnow() - HOUR))
