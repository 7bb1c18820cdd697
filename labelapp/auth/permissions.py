"""Named permission predicates and the ``access`` decorator that every route must carry.

A rule is a predicate over the current user. Rules combine with ``&`` and ``|``. Views declare theirs with
``@access(rule)``; templates use the same predicates (``can(...)``). A route with no declared rule is refused
for everyone at request time, and a test walks ``app.url_map`` so that it also fails the build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, abort, request
from flask_login import current_user

from labelapp.auth.models import Role
from labelapp.extensions import login_manager

ACCESS_ATTRIBUTE = "access_rule"


@dataclass(frozen=True)
class Rule:
    name: str
    check: Callable[[Any], bool]
    needs_login: bool = True

    def __call__(self, user: Any) -> bool:
        if self.needs_login and not user.is_authenticated:
            return False
        return self.check(user)

    def __and__(self, other: Rule) -> Rule:
        return Rule(f"({self.name} & {other.name})", lambda u: self(u) and other(u),
                    self.needs_login or other.needs_login)

    def __or__(self, other: Rule) -> Rule:
        return Rule(f"({self.name} | {other.name})", lambda u: self(u) or other(u),
                    self.needs_login and other.needs_login)


def _has_role(role: Role) -> Callable[[Any], bool]:
    return lambda user: user.role == role


public = Rule("public", lambda user: True, needs_login=False)
anonymous_only = Rule("anonymous_only", lambda user: True, needs_login=False)
authenticated = Rule("authenticated", lambda user: True)
is_staff = Rule("staff", _has_role(Role.STAFF))
is_assessor = Rule("assessor", _has_role(Role.ASSESSOR))
is_coordinator = Rule("coordinator", _has_role(Role.COORDINATOR))

# Feature-level names, so views and templates say what they mean.
can_manage_users = is_coordinator
can_read_audit_log = is_coordinator
can_manage_outbox = is_coordinator
can_declare_ties = is_assessor


can_manage_criteria = is_coordinator
can_import_surveys = is_coordinator
works_on_assessments = is_staff | is_coordinator
# Evidence files are read by the assessment's people and by the assessors of its application.
reads_evidence = is_staff | is_coordinator | is_assessor


def can_view_assessment(user: Any, assessment: Any) -> bool:
    return can_see_municipality(user, assessment.municipality_id)


def can_edit_assessment(user: Any, assessment: Any) -> bool:
    """Only the municipality's own staff edit, and only a draft."""
    return (user.is_authenticated and user.role == Role.STAFF and user.municipality_id == assessment.municipality_id
            and assessment.status == "draft")


def can_read_evidence(user: Any, assessment: Any, application: Any | None) -> bool:
    """Whoever may see the assessment, and the assessors on the panel of the application made from it."""
    if user.is_authenticated and user.role == Role.ASSESSOR:
        return application is not None and can_view_application(user, application)
    return can_view_assessment(user, assessment)


def can_reopen_assessment(user: Any, assessment: Any) -> bool:
    return user.is_authenticated and user.role == Role.COORDINATOR and assessment.status == "submitted"


works_on_applications = is_staff | is_coordinator | is_assessor
# Who may take each application step (the transition table in review/states.py says when).
APPLICATION_ACTIONS = {
    "submit": Role.STAFF, "withdraw": Role.STAFF,
    "start_screening": Role.COORDINATOR, "accept": Role.COORDINATOR, "reject": Role.COORDINATOR,
    "to_new_panel": Role.COORDINATOR,
}


def can_view_application(user: Any, application: Any) -> bool:
    """Coordinators, the municipality's staff, and the assessors on its panel (a conflict removes them)."""
    if user.is_authenticated and user.role == Role.ASSESSOR:
        return any(member.user_id == user.id for member in application.panel)
    return can_see_municipality(user, application.municipality_id)


def is_panel_chair(user: Any, application: Any) -> bool:
    return user.is_authenticated and any(m.user_id == user.id and m.is_chair for m in application.panel)


def can_take_application_action(user: Any, application: Any, action: str) -> bool:
    role = APPLICATION_ACTIONS.get(action)
    if role is None or not user.is_authenticated or user.role != role:
        return False
    return role != Role.STAFF or user.municipality_id == application.municipality_id


def can_see_municipality(user: Any, municipality_id: int | None) -> bool:
    """Staff see only their own municipality's private data; coordinators see all."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.STAFF and user.municipality_id == municipality_id


def access(rule: Rule) -> Callable:
    """Declare who may call a view; anonymous users are sent to log in, others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if rule.needs_login and not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTRIBUTE, rule)
        return wrapped

    return decorator


def rule_for_endpoint(app: Flask, endpoint: str) -> Rule | None:
    view = app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def declare_endpoint(app: Flask, endpoint: str, rule: Rule) -> None:
    """Give a rule to an endpoint we do not write ourselves (Flask's ``static``)."""
    app.view_functions[endpoint] = access(rule)(app.view_functions[endpoint])


def deny_undeclared(app: Flask) -> None:
    """Refuse any request to a route that declares no rule (deny by default)."""

    @app.before_request
    def _check_declared() -> None:
        if request.endpoint is not None and rule_for_endpoint(app, request.endpoint) is None:
            app.logger.error("route %s has no access rule; refused", request.endpoint)
            abort(403)
