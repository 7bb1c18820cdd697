"""Who may form a panel, review, consolidate, ask and answer questions — each including the application's state."""

from __future__ import annotations

from typing import Any

from labelapp.applications.rules import is_own_municipality_staff
from labelapp.applications.states import ApplicationStatus
from labelapp.auth.models import Role
from labelapp.auth.permissions import is_coordinator

# Statuses in which the panel can be formed or changed, and in which its members review.
FORMABLE = (ApplicationStatus.SCREENING, ApplicationStatus.IN_REVIEW)
UNDER_REVIEW = (ApplicationStatus.IN_REVIEW, ApplicationStatus.CLARIFICATION)
# Statuses in which an assessor on the panel may still step down with a conflict of interest: once the panel has
# recommended, what it judged stays as it was.
CONFLICT_OPEN = (ApplicationStatus.SCREENING, ApplicationStatus.IN_REVIEW, ApplicationStatus.CLARIFICATION)


def on_panel(user: Any, application: Any) -> bool:
    return user.is_authenticated and any(m.user_id == user.id for m in application.panel)


def is_panel_chair(user: Any, application: Any) -> bool:
    return user.is_authenticated and any(m.user_id == user.id and m.is_chair for m in application.panel)


def can_form_panel(user: Any, application: Any, check_state: bool = True) -> bool:
    return is_coordinator(user) and (not check_state or application.status in FORMABLE)


def can_review(user: Any, application: Any, check_state: bool = True) -> bool:
    return on_panel(user, application) and (not check_state or application.status in UNDER_REVIEW)


def can_consolidate(user: Any, application: Any, check_state: bool = True) -> bool:
    """The chair, while the panel reviews (not while a question to the municipality is open)."""
    return is_panel_chair(user, application) and (not check_state or application.status == ApplicationStatus.IN_REVIEW)


def can_declare_conflict(user: Any, application: Any, check_state: bool = True) -> bool:
    return on_panel(user, application) and (not check_state or application.status in CONFLICT_OPEN)


def can_ask_question(user: Any, application: Any, check_state: bool = True) -> bool:
    return on_panel(user, application) and (not check_state or application.status == ApplicationStatus.IN_REVIEW)


def can_answer_question(user: Any, application: Any, check_state: bool = True) -> bool:
    return is_own_municipality_staff(user, application) and (
        not check_state or application.status == ApplicationStatus.CLARIFICATION)


def sees_all_reviews(user: Any) -> bool:
    """The coordinator reads every submitted review; an assessor only after submitting their own."""
    return user.is_authenticated and user.role == Role.COORDINATOR
