"""Factories that build rows through the real services (never raw inserts)."""

from __future__ import annotations

import itertools

from labelapp.auth import services
from labelapp.auth.models import Role, User
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(role: Role | str = Role.STAFF, municipality: str | None = None, *, email: str | None = None,
              name: str | None = None, password: str | None = PASSWORD, commit: bool = True) -> User:
    """Create a user; staff default to Tallinn (0784). Needs an app context."""
    role = Role(role)
    if role == Role.STAFF and municipality is None:
        municipality = "0784"
    number = next(_counter)
    user = services.create_user(
        email or f"{role.value}{number}@example.org",
        name or f"{role.value.title()} {number}",
        role,
        by_code(municipality, "EE") if municipality else None,
        password=password,
    )
    if commit:
        db.session.commit()
    return user
