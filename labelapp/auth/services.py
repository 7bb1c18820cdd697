"""Account writes: create, invite, tokens, passwords, roles, login throttling (assessor ties: ``ties``).

Every function flushes and writes its audit row; none commits (the view or CLI command does).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from labelapp.auth import passwords, second_factor, throttle
from labelapp.auth.models import (
    AttemptOutcome,
    AuthToken,
    LoginAttempt,
    Role,
    TokenPurpose,
    User,
)
from labelapp.auth.throttle import Lock
from labelapp.core import audit, mail
from labelapp.core.errors import DomainError
from labelapp.core.types import utcnow
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality

USER_FIELDS = ["email", "name", "role", "municipality_id", "active"]


class AccountError(DomainError):
    """A request about an account that cannot be carried out; the message is for the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_role(role: Role, municipality: Municipality | None) -> None:
    if role == Role.STAFF and municipality is None:
        raise AccountError(_("Municipal staff must belong to a municipality."))
    if role != Role.STAFF and municipality is not None:
        raise AccountError(_("Only municipal staff belong to a municipality."))


def create_user(
    email: str, name: str, role: Role, municipality: Municipality | None = None, password: str | None = None
) -> User:
    """Create an account (with a password, or none until an invitation is accepted).

    Raises AccountError if the e-mail is taken, the role and municipality do not fit, or the password
    breaks the policy.
    """
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError(_("An account with the e-mail %(email)s already exists.", email=email))
    _check_role(role, municipality)
    user = User(email=email, name=name.strip(), role=role, municipality=municipality, active=True)
    if password is not None:
        problem = passwords.policy_problem(password, email)
        if problem:
            raise AccountError(problem)
        user.password_hash = passwords.hash_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", user.id, after=audit.changes(user, USER_FIELDS))
    return user


def update_user(user: User, *, name: str, role: Role, municipality: Municipality | None, active: bool) -> None:
    """Change a user's name, role, municipality or active flag. Disabling ends their sessions."""
    _check_role(role, municipality)
    before = audit.changes(user, USER_FIELDS)
    user.name, user.role, user.municipality, user.active = name.strip(), role, municipality, active
    db.session.flush()
    after = audit.changes(user, USER_FIELDS)
    if before == after:
        return
    if (before["role"], before["municipality_id"]) != (after["role"], after["municipality_id"]) or not active:
        user.session_version += 1  # privileges changed: a session opened under the old ones ends
    audit.record("user.update", "user", user.id, before=before, after=after)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose) -> str:
    """Create a single-use token for ``user`` (earlier unused ones of the same purpose stop working)."""
    now = utcnow()
    db.session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user.id, AuthToken.purpose == purpose, AuthToken.used_at.is_(None))
        .values(used_at=now)
    )
    hours = current_app.config["TOKEN_HOURS_INVITE" if purpose == TokenPurpose.INVITE else "TOKEN_HOURS_RESET"]
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AuthToken(user=user, purpose=purpose, token_hash=_token_hash(raw), expires_at=now + timedelta(hours=hours))
    )
    db.session.flush()
    return raw


def find_valid_token(raw: str, purpose: TokenPurpose) -> AuthToken | None:
    token = db.session.scalar(
        select(AuthToken).where(AuthToken.token_hash == _token_hash(raw), AuthToken.purpose == purpose)
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    if purpose == TokenPurpose.RESET and not token.user.active:
        return None
    return token


def use_token(raw: str, purpose: TokenPurpose, new_password: str) -> User:
    """Set a new password with a token, spending the token. Raises AccountError if it is not usable."""
    token = find_valid_token(raw, purpose)
    if token is None:
        raise AccountError(_("This link is invalid, has expired or has already been used."))
    user = token.user
    problem = passwords.policy_problem(new_password, user.email)
    if problem:
        raise AccountError(problem)
    # The guarded UPDATE makes the token single-use even if two requests race with it.
    spent = db.session.execute(
        update(AuthToken).where(AuthToken.id == token.id, AuthToken.used_at.is_(None)).values(used_at=utcnow())
    )
    if spent.rowcount != 1:
        raise AccountError(_("This link is invalid, has expired or has already been used."))
    user.password_hash = passwords.hash_password(new_password)
    user.session_version += 1
    db.session.flush()
    audit.record(f"user.password_{purpose.value}", "user", user.id, actor=user)
    return user


def send_token_mail(user: User, purpose: TokenPurpose, raw: str) -> None:
    endpoint = "auth.accept_invitation" if purpose == TokenPurpose.INVITE else "auth.reset_password"
    subject = (_l("Invitation to the inclusive municipality label service") if purpose == TokenPurpose.INVITE
               else _l("Password reset for the inclusive municipality label service"))
    mail.queue_bilingual(user.email, subject, f"auth/mail/{purpose.value}.txt", user=user,
                         link=mail.absolute_link(endpoint, token=raw), hours=_token_hours(purpose))


def _token_hours(purpose: TokenPurpose) -> int:
    return current_app.config["TOKEN_HOURS_INVITE" if purpose == TokenPurpose.INVITE else "TOKEN_HOURS_RESET"]


def invite_user(
    email: str, name: str, role: Role, municipality: Municipality | None
) -> User:
    """Create an account without a password and e-mail an invitation link to set one."""
    user = create_user(email, name, role, municipality)
    raw = issue_token(user, TokenPurpose.INVITE)
    send_token_mail(user, TokenPurpose.INVITE, raw)
    audit.record("user.invite", "user", user.id, after={"email": user.email})
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a password knowing the current one; ends the user's other sessions."""
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError(_("The current password is not correct."))
    problem = passwords.policy_problem(new, user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = passwords.hash_password(new)
    user.session_version += 1
    db.session.flush()
    audit.record("user.password_change", "user", user.id)


# --- login and throttling ---------------------------------------------------------------------------


@dataclass
class LoginResult:
    user: User | None
    lock: Lock | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def authenticate(email: str, password: str, client: str) -> LoginResult:
    """Check a login's password, throttled per account and per client address (``throttle``); every attempt
    is audited.

    Returns the user on success. When locked, the password is not checked and ``lock`` says until when and
    whether the account or the address is locked. Unknown accounts cost the same time and count the same as
    wrong passwords. For an account with a second factor, a right password is only half a login: no success
    is stored (a success resets the account's failure count, which would otherwise let the second factor be
    guessed without limit)."""
    email = normalise_email(email)[:255]
    client = (client or "unknown")[:64]
    locked = throttle.lock_for(email, client)
    user = find_user(email)
    if locked is not None:
        outcome = AttemptOutcome.THROTTLED
    elif passwords.verify_password(user.password_hash if user else None, password) and user.is_active:
        outcome = AttemptOutcome.SUCCESS
    else:
        outcome = AttemptOutcome.FAILURE
    halfway = outcome == AttemptOutcome.SUCCESS and user.has_second_factor
    if not halfway:
        db.session.add(LoginAttempt(email=email, client=client, outcome=outcome))
    # Only a successful login is done by the account's owner; a failure is an anonymous attempt on it.
    audit.record("login.password_ok" if halfway else f"login.{outcome.value}", "user", user.id if user else None,
                 after={"email": email}, actor=user if outcome == AttemptOutcome.SUCCESS else None)
    if outcome != AttemptOutcome.SUCCESS:
        db.session.flush()
        return LoginResult(None, locked)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    if not halfway:
        user.last_login_at = utcnow()
    db.session.flush()
    return LoginResult(user)


def authenticate_second_factor(user: User, code: str, client: str) -> LoginResult:
    """The login's second step: a TOTP or recovery code, counted against the same throttle as passwords."""
    client = (client or "unknown")[:64]
    locked = throttle.lock_for(user.email, client)
    if locked is not None:
        outcome = AttemptOutcome.THROTTLED
    elif user.is_active and second_factor.check(user, code):
        outcome = AttemptOutcome.SUCCESS
    else:
        outcome = AttemptOutcome.FAILURE
    db.session.add(LoginAttempt(email=user.email, client=client, outcome=outcome))
    success = outcome == AttemptOutcome.SUCCESS
    # The whole login succeeded: "login.success", as for accounts without a second factor.
    audit.record("login.success" if success else f"login.second_factor_{outcome.value}", "user", user.id,
                 after={"email": user.email, "second_factor": True}, actor=user if success else None)
    if success:
        user.last_login_at = utcnow()
    db.session.flush()
    return LoginResult(user if success else None, locked)


def end_all_sessions(user: User) -> None:
    """Make every login cookie of ``user`` stop working (used at logout)."""
    user.session_version += 1
    db.session.flush()
    audit.record("user.logout", "user", user.id)
