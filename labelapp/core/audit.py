"""The single way to write the audit log."""

from __future__ import annotations

import getpass
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from labelapp.core.models import AuditEntry
from labelapp.extensions import db


def _actor() -> tuple[int | None, str]:
    if has_request_context():
        if current_user.is_authenticated:
            return current_user.id, current_user.email
        return None, "anonymous"
    return None, f"cli:{getpass.getuser()}"


def actor_label() -> str:
    """Who is acting now, as the audit log writes it."""
    return _actor()[1]


def record(
    action: str,
    object_type: str,
    object_id: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Add an audit row to the session (the caller commits with the change it describes).

    ``actor`` is a user when the acting person is not the logged-in one (e.g. a failed login names the
    account tried); by default the current user, ``anonymous``, or the shell user for CLI commands.
    """
    if actor is not None:
        actor_id, label = actor.id, actor.email
    else:
        actor_id, label = _actor()
    entry = AuditEntry(
        actor_id=actor_id,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        client=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def changes(obj: Any, fields: list[str]) -> dict[str, Any]:
    """A JSON-ready snapshot of ``fields`` of ``obj``, for ``before``/``after``."""
    snapshot = {}
    for name in fields:
        value = getattr(obj, name)
        snapshot[name] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return snapshot
