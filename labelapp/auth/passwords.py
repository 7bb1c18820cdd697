"""Password hashing (argon2id via argon2-cffi) and the password policy."""

from __future__ import annotations

import gzip
import secrets
import string
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

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
        return ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.", minimum)
    if len(password) > MAX_LENGTH:
        return ngettext("Use at most %(num)d character.", "Use at most %(num)d characters.", MAX_LENGTH)
    if email and password.lower() in (email.lower(), email.lower().partition("@")[0]):
        return _("Do not use your e-mail address as the password.")
    if is_common(password):
        return _("This password is too common: it is on the list of passwords that attackers try first. "
                 "A few unrelated words make a good password.")
    return None


@cache
def common_passwords() -> frozenset[str]:
    """The bundled lists (labelapp/data/passwords/), lower-cased."""
    folder = files("labelapp").joinpath("data", "passwords")
    packed = folder.joinpath("common-passwords.txt.gz").read_bytes()
    words = {line.strip().lower() for line in gzip.decompress(packed).decode("utf-8").splitlines()}
    words.update(line.strip().lower() for line in
                 folder.joinpath("common-passwords-et.txt").read_text(encoding="utf-8").splitlines())
    words.discard("")
    return frozenset(words)


_PADDING = string.digits + string.punctuation + " "


def is_common(password: str) -> bool:
    """On the list as it is, with digits or symbols added before or after, or as a list word repeated."""
    common = common_passwords()
    lowered = password.lower()
    core = lowered.strip(_PADDING)
    if len(set(lowered)) <= 2 or lowered in common or core in common or lowered.rstrip(_PADDING) in common:
        return True
    for size in range(1, len(core) // 2 + 1):
        if len(core) % size == 0 and core == core[:size] * (len(core) // size):
            return core[:size] in common or size <= 3
    return False
