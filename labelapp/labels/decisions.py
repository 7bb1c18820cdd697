"""Decisions: the coordinator records one per recommended application; all pending ones are released together
(pretalx-style, after the e-mails have been looked at), which moves the applications and creates the labels."""

from __future__ import annotations

import datetime as dt

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.services import change_status
from labelapp.applications.states import Action, ApplicationStatus
from labelapp.auth.models import User
from labelapp.auth.queries import staff_of_each
from labelapp.core import audit
from labelapp.core.errors import DomainError, has_reason
from labelapp.core.types import utcnow
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.labels import notifications
from labelapp.labels.lifecycle import add_months, create_label
from labelapp.labels.models import Decision, Label
from labelapp.labels.rules import DECIDABLE
from labelapp.panel.models import PanelDecision
from labelapp.panel.reviews import panel_decision


class DecisionError(DomainError):
    pass


# Sent for each decision as it is released (sender: the Decision; ``label``: the label it created, or None), for
# later steps (the improvement plan) that the label step does not import.
decision_released = Namespace().signal("label-decision-released")


def pending() -> list[Decision]:
    return db.session.scalars(select(Decision).where(Decision.released_at.is_(None))
                              .options(db.joinedload(Decision.application).joinedload(Application.municipality))
                              .order_by(Decision.id)).all()


def decide(application: Application, user: User, outcome: str, reasons: str) -> Decision:
    """Record the coordinator's decision (pending until released). Confirming the panel needs no reason;
    overriding it or declining does, and the municipality reads it in full."""
    if application.status not in DECIDABLE:
        raise DecisionError(_("A decision follows the panel's recommendation."))
    if outcome not in ("award", "decline"):
        raise DecisionError(_("Choose to award or to decline."))
    recommended = panel_decision(application).recommendation
    overrides = outcome != recommended
    redeciding = application.status == ApplicationStatus.APPEALED  # an appeal decided without a new panel
    if (overrides or outcome == "decline" or redeciding) and not has_reason(reasons):
        raise DecisionError(_("Give the reasons (at least 10 characters): the municipality reads them in full."))
    for old in db.session.scalars(select(Decision).where(Decision.application_id == application.id,
                                                         Decision.released_at.is_(None))):
        db.session.delete(old)
    decision = Decision(application_id=application.id, outcome=outcome, reasons=reasons.strip(),
                        overrides_panel=overrides, decided_by_id=user.id)
    db.session.add(decision)
    db.session.flush()
    audit.record("decision.record", "application", application.id,
                 after={"outcome": outcome, "overrides_panel": overrides, "reasons": decision.reasons})
    return decision


def previews(waiting: list[Decision], today: dt.date | None = None) -> list[tuple[Decision, list[str], str]]:
    """(decision, recipients, body) of every e-mail that releasing ``waiting`` will send, read with a fixed
    number of queries however many decisions wait (staff, consolidations and criteria in one query each)."""
    applications = [d.application for d in waiting]
    staff = staff_of_each({a.municipality_id for a in applications})
    latest = {row.application_id: row for row in db.session.scalars(
        select(PanelDecision).where(PanelDecision.application_id.in_([a.id for a in applications]))
        .order_by(PanelDecision.id))}
    months = dict(db.session.execute(select(CriteriaVersion.id, CriteriaVersion.content).where(
        CriteriaVersion.id.in_({a.criteria_version_id for a in applications}))).all())
    out = []
    for decision in waiting:
        application, label = decision.application, None
        if decision.outcome == "award":
            validity = months[application.criteria_version_id]["award_rules"]["validity_months"]
            label = Label(level=latest[application.id].verified.get("level"),
                          valid_until=add_months(today or dt.date.today(), validity))
        recipients, body = notifications.decision_body(decision, label, staff.get(application.municipality_id, []))
        out.append((decision, recipients, body))
    return out


def release_all(today: dt.date | None = None) -> list[Decision]:
    """Carry out every pending decision at once: the application's status, the label, the e-mails."""
    today = today or dt.date.today()
    released = []
    for decision in pending():
        application = decision.application
        change_status(application, Action.AWARD if decision.outcome == "award" else Action.DECLINE,
                      decision.reasons)
        label = create_label(application, today) if decision.outcome == "award" else None
        decision.released_at = utcnow()
        notifications.decision_released(decision, label)
        decision_released.send(decision, label=label)
        released.append(decision)
    db.session.flush()
    audit.record("decision.release", "decision", None, after={"released": [d.id for d in released]})
    return released
