"""TOTP second factor (RFC 6238, 30-second steps, 6 digits) and single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
from flask import current_app
from sqlalchemy import select

from labelapp.auth.models import RecoveryCode, User
from labelapp.core import audit, keys
from labelapp.core.types import utcnow
from labelapp.extensions import db

ISSUER = "Kaasav omavalitsus"
STEP_SECONDS = 30
RECOVERY_CODES = 10
# Codes are shown as xxxxx-xxxxx; typing them with or without the dash, in any case, is accepted.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required_for(user: User) -> bool:
    return user.role.value in current_app.config["SECOND_FACTOR_ROLES"]


def new_secret() -> str:
    return pyotp.random_base32()


def secret_of(user: User) -> str | None:
    """The user's TOTP shared secret in the clear (it is stored encrypted)."""
    return keys.unseal(user.totp_secret) if user.totp_secret is not None else None


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def current_step() -> int:
    return int(time.time()) // STEP_SECONDS


def matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one either side for clock drift) whose code is ``code``."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    now = current_step()
    for step in (now, now - 1, now + 1):
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def _hash_recovery(code: str) -> str:
    normalised = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on once ``code`` proves the app holds ``secret``; return new recovery codes."""
    step = matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = keys.seal(secret)
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    audit.record("user.second_factor_on", "user", user.id)
    return codes


def enrol_new(user: User) -> list[str]:
    """Enrol a fresh secret without a person confirming it (demo accounts, fixtures, benchmark data), as if
    confirmed with the previous step's code — still accepted — so that a first login may follow at once."""
    secret = new_secret()
    return enrol(user, secret, code_at(secret, current_step() - 1))


def replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(code)) for code in codes)
    db.session.flush()
    return codes


def turn_off(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("user.second_factor_off", "user", user.id)


def check(user: User, code: str) -> bool:
    """Accept a current TOTP code not used before, or an unused recovery code (which is then spent)."""
    if user.totp_secret is None:
        return False
    step = matching_step(secret_of(user), code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # replayed: each code (and any older one) is good once
        user.totp_last_step = step
        return True
    recovery = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_recovery(code),
        RecoveryCode.used_at.is_(None)))
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    db.session.flush()
    audit.record("user.recovery_code_used", "user", user.id, after={"left": unused_recovery_codes(user)})
    return True


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(select(db.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0
