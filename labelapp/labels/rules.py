"""Who may decide, release, revoke, close a review and appeal — each including the object's state."""

from __future__ import annotations

from typing import Any

from labelapp.applications.rules import is_own_municipality_staff
from labelapp.applications.states import ApplicationStatus
from labelapp.auth.permissions import is_coordinator
from labelapp.labels.states import LabelAction, LabelState, allowed_actions

DECIDABLE = (ApplicationStatus.RECOMMENDED, ApplicationStatus.APPEALED)

can_release_decisions = is_coordinator


def can_decide(user: Any, application: Any, check_state: bool = True) -> bool:
    return is_coordinator(user) and (not check_state or application.status in DECIDABLE)


def can_revoke(user: Any, label: Any, check_state: bool = True) -> bool:
    return is_coordinator(user) and (not check_state or LabelAction.REVOKE in allowed_actions(label.state))


def can_end_review(user: Any, label: Any, check_state: bool = True) -> bool:
    return is_coordinator(user) and (not check_state or label.state == LabelState.UNDER_REVIEW)


def can_appeal(user: Any, application: Any, check_state: bool = True) -> bool:
    """The municipality's staff, while the application is declined (``appeals.deadline`` says until when)."""
    return is_own_municipality_staff(user, application) and (
        not check_state or application.status == ApplicationStatus.DECLINED)
