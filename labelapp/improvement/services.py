"""Writes on the improvement plan: points from a released decision, actions and their status, publication,
reminders. Functions flush and audit; the caller commits.

Stale requests (a page left open, a double submit) raise ``StaleState``: 409, nothing changes.
"""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from labelapp.applications.models import Application
from labelapp.core import audit
from labelapp.core.errors import DomainError, StaleState
from labelapp.core.types import utcnow
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.improvement import notifications
from labelapp.improvement.models import ImprovementAction, ImprovementPoint, PlanPublication
from labelapp.improvement.states import OPEN, ActionStatus, ActionStep, ActionTransitionError, next_status
from labelapp.panel.models import Review
from labelapp.panel.reviews import panel_decision

MAX_ACTIONS_PER_POINT = 20  # keeps the plan page bounded: a point needs a few actions, not a list
FIELDS = ["what", "who", "due_on", "status"]


class PlanError(DomainError):
    """A refused value, named by the form field it belongs to (``what``, ``who`` or ``due_on``)."""

    def __init__(self, message: str, field: str = "what"):
        super().__init__(message)
        self.field = field


def _panel_comments(application: Application) -> dict[str, str]:
    """Per criterion: the assessors' comments in their submitted reviews (used where the chair gave no reason)."""
    found: dict[str, list[str]] = {}
    for review in db.session.scalars(select(Review).where(Review.application_id == application.id,
                                                          Review.submitted_at.is_not(None)).order_by(Review.id)):
        for criterion_id, entry in (review.levels or {}).items():
            text = (entry or {}).get("comment", "").strip()
            if text and text not in found.setdefault(criterion_id, []):
                found[criterion_id].append(text)
    return {criterion_id: "\n".join(texts) for criterion_id, texts in found.items()}


def points_from_decision(application: Application) -> list[ImprovementPoint]:
    """Make (or bring up to date) one point per criterion the panel verified below its top level, with the
    panel's comment: the chair's reason, else the assessors' comments. A re-decided application (an appeal)
    updates its points; a point whose criterion reached the top is removed unless actions were planned for it."""
    verified = panel_decision(application)
    if verified is None:
        return []
    criteria = criteria_services.load(application.criteria_version)
    existing = {p.criterion_id: p for p in db.session.scalars(
        select(ImprovementPoint).where(ImprovementPoint.application_id == application.id))}
    comments = _panel_comments(application)
    points = []
    for _area, criterion in criteria.criteria():
        level = (verified.levels.get(criterion.id) or {}).get("level")
        point = existing.get(criterion.id)
        if level is None or level >= criterion.max_level:
            if point is not None and not point.actions:
                db.session.delete(point)
            continue
        comment = ((verified.levels[criterion.id].get("reason") or "").strip()
                   or comments.get(criterion.id, ""))
        if point is None:
            point = ImprovementPoint(municipality_id=application.municipality_id, application_id=application.id,
                                     criterion_id=criterion.id)
            db.session.add(point)
        point.verified_level, point.top_level, point.comment = level, criterion.max_level, comment
        points.append(point)
    db.session.flush()
    audit.record("improvement.points", "application", application.id,
                 after={"points": {p.criterion_id: p.verified_level for p in points}})
    return points


def _plan_link() -> str:
    return url_for("improvement.plan")


def _check(what: str, who: str, due_on: dt.date | None, today: dt.date) -> None:
    if not (what or "").strip():
        raise PlanError(_("Say what will be done."))
    if not (who or "").strip():
        raise PlanError(_("Say who is responsible."), "who")
    if due_on is None or due_on < today:
        raise PlanError(_("The date must be today or later."), "due_on")


def add_action(point: ImprovementPoint, what: str, who: str, due_on: dt.date,
               today: dt.date | None = None) -> ImprovementAction:
    """Plan an action for ``point``. Raises PlanError for a missing text, a past date or too many actions."""
    _check(what, who, due_on, today or dt.date.today())
    count = db.session.scalar(select(func.count()).select_from(ImprovementAction)
                              .where(ImprovementAction.point_id == point.id))
    if count >= MAX_ACTIONS_PER_POINT:
        raise PlanError(_("A point can have at most %(num)d actions.", num=MAX_ACTIONS_PER_POINT))
    action = ImprovementAction(point_id=point.id, municipality_id=point.municipality_id, what=what.strip(),
                               who=who.strip(), due_on=due_on, status=ActionStatus.PLANNED, version=1)
    db.session.add(action)
    db.session.flush()
    audit.record("improvement.action.add", "improvement_action", action.id, after=audit.changes(action, FIELDS))
    return action


def _refuse_stale(action: ImprovementAction, version: int | None) -> None:
    if version != action.version:
        raise StaleState(_("This action was changed meanwhile (it is now “%(status)s”): nothing was saved.",
                           status=action.status.label), _plan_link(), _("Open the plan to see it as it is now"))


def edit_action(action: ImprovementAction, what: str, who: str, due_on: dt.date, version: int | None,
                today: dt.date | None = None) -> ImprovementAction:
    """Change an open action's text, person or date. Raises StaleState when ``version`` is not the action's
    current one or the action is done or dropped, PlanError for a missing text or a past date."""
    _refuse_stale(action, version)
    if action.status not in OPEN:
        raise StaleState(_("This action is “%(status)s”: take it up again to change it.", status=action.status.label),
                         _plan_link(), _("Back to the plan"))
    if due_on != action.due_on:
        _check(what, who, due_on, today or dt.date.today())
    else:
        _check(what, who, action.due_on, action.due_on)  # an unchanged date may already have passed
    before = audit.changes(action, FIELDS)
    action.what, action.who, action.due_on = what.strip(), who.strip(), due_on
    action.version += 1
    action.updated_at = utcnow()
    db.session.flush()
    audit.record("improvement.action.edit", "improvement_action", action.id, before=before,
                 after=audit.changes(action, FIELDS))
    return action


def change_status(action: ImprovementAction, step: ActionStep, version: int | None) -> ActionStatus:
    """The one way an action's status changes: checked against the transition table, audited once. Raises
    StaleState for a stale version or a step the current status does not allow."""
    _refuse_stale(action, version)
    try:
        new = next_status(action.status, step)
    except ActionTransitionError:
        raise StaleState(_("This action is “%(status)s”: that step is not possible now.", status=action.status.label),
                         _plan_link(), _("Back to the plan")) from None
    before = {"status": action.status.value}
    action.status = new
    action.version += 1
    action.updated_at = utcnow()
    db.session.flush()
    audit.record(f"improvement.action.{step.value}", "improvement_action", action.id, before=before,
                 after={"status": new.value})
    return new


def set_published(municipality_id: int, publish: bool) -> PlanPublication:
    """Give or withdraw consent to show the plan's progress on the registry page. Raises StaleState when the
    plan already is (or is not) published: a repeated request changes nothing."""
    row = db.session.scalar(select(PlanPublication).where(PlanPublication.municipality_id == municipality_id))
    if (row is not None and row.published) == publish:
        raise StaleState(_("The plan's progress is already published.") if publish
                         else _("The plan's progress is not published."), _plan_link(), _("Back to the plan"))
    if row is None:
        row = PlanPublication(municipality_id=municipality_id)
        db.session.add(row)
    row.published, row.changed_at = publish, utcnow()
    db.session.flush()
    audit.record("improvement.publish" if publish else "improvement.unpublish", "municipality", municipality_id,
                 after={"published": publish})
    return row


def remind(today: dt.date, days: int) -> int:
    """E-mail the municipality's staff about each open action due within ``days`` days, once per action.
    Returns how many actions were reminded of."""
    due = db.session.scalars(
        select(ImprovementAction).where(ImprovementAction.status.in_(OPEN), ImprovementAction.reminded_at.is_(None),
                                        ImprovementAction.due_on >= today,
                                        ImprovementAction.due_on <= today + dt.timedelta(days=days))
        .options(db.joinedload(ImprovementAction.point).joinedload(ImprovementPoint.application))
        .order_by(ImprovementAction.due_on, ImprovementAction.id)).all()
    notifications.actions_due(due, today)
    for action in due:
        action.reminded_at = utcnow()
    db.session.flush()
    return len(due)
