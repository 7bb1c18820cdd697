"""What the application list and history show: the score that counts (the panel's where a panel verified it)
and who acted, in words the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.rules import sees_actor_emails
from labelapp.auth.models import Role, User
from labelapp.extensions import db

# Sent with a list of application ids; a receiver returns {application id: combined score} for those a panel
# verified (the panel step answers it, so this package never imports it).
verified_scores_requested = Namespace().signal("verified-scores-requested")

ROLE_WORDS = {Role.COORDINATOR: _l("the coordinator"), Role.ASSESSOR: _l("the assessor panel"),
              Role.STAFF: _l("the municipality")}


@dataclass(frozen=True)
class ListedScore:
    value: float
    verified: bool  # True: the panel-verified combined score; False: computed from the self-assessment


def scores_of(ids: list[int]) -> dict[int, ListedScore]:
    """The combined score each application is listed with: the panel-verified one where a panel verified it,
    else the one computed when the application was made (a fixed number of queries for any number of ids)."""
    if not ids:
        return {}
    own = dict(db.session.execute(select(Application.id, Application.snapshot["result"]["combined"].as_float())
                                  .where(Application.id.in_(ids))).all())
    verified: dict[int, float] = {}
    for _receiver, found in verified_scores_requested.send(ids):
        verified.update(found or {})
    scores = {i: ListedScore(v, False) for i, v in own.items() if v is not None}
    scores.update({i: ListedScore(v, True) for i, v in verified.items() if v is not None})
    return scores


def actor_names(entries: list[Any], viewer: Any) -> dict[int, str]:
    """For each history entry, who acted as ``viewer`` may read it: coordinators and assessors see e-mail
    addresses; the municipality sees its own staff's addresses and only the role of anyone else."""
    if sees_actor_emails(viewer):
        return {e.id: e.actor_label for e in entries}
    actor_ids = {e.actor_id for e in entries if e.actor_id is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    names = {}
    for e in entries:
        actor = users.get(e.actor_id)
        if actor is None:
            names[e.id] = str(_l("the label service"))
        elif actor.role == Role.STAFF and actor.municipality_id == viewer.municipality_id:
            names[e.id] = e.actor_label
        else:
            names[e.id] = str(ROLE_WORDS[actor.role])
    return names
