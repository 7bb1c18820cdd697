"""Who is to be told: the people e-mails go to."""

from __future__ import annotations

from sqlalchemy import select

from labelapp.auth.models import Role, User
from labelapp.extensions import db


def active_coordinators() -> list[User]:
    return db.session.scalars(select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))
                              .order_by(User.id)).all()


def staff_of(municipality_id: int) -> list[User]:
    """The active staff accounts of one municipality."""
    return staff_of_each({municipality_id}).get(municipality_id, [])


def staff_of_each(municipality_ids: set[int]) -> dict[int, list[User]]:
    """The active staff accounts of several municipalities at once, by municipality id."""
    found: dict[int, list[User]] = {}
    if municipality_ids:
        for user in db.session.scalars(select(User).where(User.role == Role.STAFF, User.active.is_(True),
                                                          User.municipality_id.in_(municipality_ids))
                                       .order_by(User.id)):
            found.setdefault(user.municipality_id, []).append(user)
    return found
