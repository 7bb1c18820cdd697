"""Password hashing (argon2id via argon2-cffi) and the password policy."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MAX_LENGTH = 256
_dummy_hashes: dict[tuple[int, int, int], str] = {}


def _hasher() -> PasswordHasher:
    """argon2id with the configured cost (defaults: RFC 9106's second recommendation, t=3, m=64 MiB, p=4)."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_KIB"],
        parallelism=config["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random string with the current cost, so unknown accounts take as long as real ones."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash(secrets.token_hex(16))
    return _dummy_hashes[key]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or _dummy_hash(hasher), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def policy_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` is not acceptable, or None."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(n)d characters.", n=minimum)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    if email and password.lower() == email.lower():
        return _("Do not use your e-mail address as the password.")
    return None
