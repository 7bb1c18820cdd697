"""Who may see an application and take which of its steps (the transition table says when)."""

from __future__ import annotations

from typing import Any

from labelapp.applications.states import Action, ApplicationStatus, allowed_actions
from labelapp.auth.models import Role
from labelapp.auth.permissions import can_see_municipality, expose, is_assessor, is_coordinator, is_staff

works_on_applications = is_staff | is_coordinator | is_assessor
# Who may take each step that is a button on the application page.
APPLICATION_ACTIONS = {
    Action.SUBMIT: Role.STAFF, Action.WITHDRAW: Role.STAFF,
    Action.START_SCREENING: Role.COORDINATOR, Action.ACCEPT: Role.COORDINATOR, Action.REJECT: Role.COORDINATOR,
    Action.TO_NEW_PANEL: Role.COORDINATOR,
}


def is_own_municipality_staff(user: Any, application: Any) -> bool:
    return (user.is_authenticated and user.role == Role.STAFF
            and user.municipality_id == application.municipality_id)


def can_view_application(user: Any, application: Any) -> bool:
    """Coordinators, the municipality's staff, and the assessors on its panel (a conflict removes them)."""
    if user.is_authenticated and user.role == Role.ASSESSOR:
        return any(member.user_id == user.id for member in application.panel)
    return can_see_municipality(user, application.municipality_id)


def can_take_application_action(user: Any, application: Any, action: Action, check_state: bool = True) -> bool:
    """The user's role takes this step (for the municipality's staff: their own application), and, with
    ``check_state``, the application's status allows it now."""
    role = APPLICATION_ACTIONS.get(action)
    if role is None or not user.is_authenticated or user.role != role:
        return False
    if check_state and action not in allowed_actions(application.status):
        return False
    return role != Role.STAFF or user.municipality_id == application.municipality_id


def actions_for(user: Any, application: Any) -> list[Action]:
    """The buttons the user sees on the application page."""
    return [a for a in allowed_actions(application.status) if can_take_application_action(user, application, a)]


# Publishing answers is offered only while the application may still lead to a label in the registry.
NOT_PUBLISHABLE = (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)


def can_publish(user: Any, application: Any, check_state: bool = True) -> bool:
    """The municipality decides whether its self-assessment's answers are shown in the registry (not once the
    application is declined or withdrawn: there is no label for them to appear under)."""
    return is_own_municipality_staff(user, application) and (
        not check_state or application.status not in NOT_PUBLISHABLE)


def sees_actor_emails(user: Any) -> bool:
    """Coordinators and assessors see who acted on an application by e-mail address; the municipality sees its
    own colleagues' addresses but only the role of the coordinators and assessors."""
    return is_coordinator(user) or is_assessor(user)


def sees_screening_checks(user: Any) -> bool:
    """The coordinator sees the automatic screening checks on every application."""
    return is_coordinator(user)


def lists_own_municipality_only(user: Any) -> bool:
    return user.is_authenticated and user.role == Role.STAFF


def lists_own_panels_only(user: Any) -> bool:
    return user.is_authenticated and user.role == Role.ASSESSOR


expose(works_on_applications=works_on_applications)
