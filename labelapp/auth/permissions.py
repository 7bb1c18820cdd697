"""Named permission predicates and the ``access`` decorator that every route must carry.

A rule is a predicate over the current user. Rules combine with ``&`` and ``|``. Views declare theirs with
``@access(rule)``; templates use the same predicates (``can(...)``). The rules about one feature's objects and
their states live in that feature's ``rules.py``; this module knows only roles. A route with no declared rule is refused
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
authenticated = Rule("authenticated", lambda user: True)
is_staff = Rule("staff", _has_role(Role.STAFF))
is_assessor = Rule("assessor", _has_role(Role.ASSESSOR))
is_coordinator = Rule("coordinator", _has_role(Role.COORDINATOR))

# The accounts' own features.
can_manage_users = is_coordinator
can_declare_ties = is_assessor
can_decide_tie_removals = is_coordinator


def can_see_municipality(user: Any, municipality_id: int | None) -> bool:
    """Staff see only their own municipality's private data; coordinators see all."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.STAFF and user.municipality_id == municipality_id


_TEMPLATE_RULES: dict[str, Rule | Callable[..., bool]] = {}


def expose(**rules: Rule | Callable[..., bool]) -> None:
    """Make named rules callable from templates as ``can("name", *objects)``; each package exposes its own."""
    _TEMPLATE_RULES.update(rules)


def can(user: Any, rule_name: str, *args: Any) -> bool:
    """A rule exposed under ``rule_name``, checked for ``user`` (and the objects it is about)."""
    rule = _TEMPLATE_RULES[rule_name]
    return rule(user) if isinstance(rule, Rule) else rule(user, *args)


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


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def _can():
        return {"can": lambda rule_name, *args: can(current_user, rule_name, *args)}


expose(is_staff=is_staff, is_assessor=is_assessor, is_coordinator=is_coordinator, can_manage_users=can_manage_users,
       can_declare_ties=can_declare_ties)
