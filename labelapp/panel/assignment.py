"""Forming the assessor panel: conflicts of interest, workload-balanced suggestions, assignment, reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.auth.models import AssessorTie, Role, User
from labelapp.core import audit
from labelapp.core.errors import DomainError
from labelapp.core.types import utcnow
from labelapp.extensions import db
from labelapp.panel import notifications, size
from labelapp.panel.models import ConflictDeclaration, PanelMember, Review
from labelapp.panel.rules import CONFLICT_OPEN, FORMABLE

OPEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING, ApplicationStatus.IN_REVIEW,
        ApplicationStatus.CLARIFICATION)
# Sent with the application; each receiver returns {assessor id: [reasons]} of conflicts a later step knows
# about (an appeal keeps the earlier assessors off the new panel), so that this package never imports it.
conflicts_requested = Namespace().signal("panel-conflicts-requested")


class PanelError(DomainError):
    pass


@dataclass
class Candidate:
    user: User
    workload: int
    conflicts: list[str] = field(default_factory=list)

    @property
    def conflicted(self) -> bool:
        return bool(self.conflicts)


def conflicts(application: Application) -> dict[int, list[str]]:
    """Assessor id -> their conflicts with this application: profile ties to the municipality and declarations."""
    found: dict[int, list[str]] = {}
    for tie in db.session.scalars(select(AssessorTie).where(AssessorTie.municipality_id ==
                                                            application.municipality_id)):
        found.setdefault(tie.user_id, []).append(tie.kind.label)
    for item in db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.application_id ==
                                                                     application.id)):
        found.setdefault(item.user_id, []).append(_("declared: %(kind)s", kind=item.kind.label))
    for _receiver, more in conflicts_requested.send(application):
        for user_id, reasons in (more or {}).items():
            found.setdefault(user_id, []).extend(reasons)
    return found


def workload() -> dict[int, int]:
    """Assessor id -> number of open applications they sit on a panel for."""
    rows = db.session.execute(select(PanelMember.user_id, func.count()).join(Application)
                              .where(Application.status.in_(OPEN)).group_by(PanelMember.user_id)).all()
    return dict(rows)


def candidates(application: Application) -> list[Candidate]:
    """Every active assessor with open workload and conflicts; the unconflicted least loaded first."""
    assessors = db.session.scalars(select(User).where(User.role == Role.ASSESSOR, User.active.is_(True),
                                                      User.password_hash.is_not(None))).all()
    loads, ties = workload(), conflicts(application)
    found = [Candidate(u, loads.get(u.id, 0), ties.get(u.id, [])) for u in assessors]
    return sorted(found, key=lambda c: (c.conflicted, c.workload, c.user.name))


def suggest(application: Application, size: int | None = None) -> tuple[list[User], User | None]:
    """Balanced by open workload; never a conflicted assessor. The least loaded member is proposed as chair."""
    size = size or current_app.config["PANEL_SIZE"]
    chosen = [c.user for c in candidates(application) if not c.conflicted][:size]
    return chosen, (chosen[0] if chosen else None)


def assign(application: Application, members: list[User], chair: User, deadline: dt.date) -> None:
    """Set the panel to exactly ``members`` with ``chair``; e-mail the newly assigned.

    Raises PanelError for a conflicted or non-assessor member, fewer members than the criteria's minimum, a
    chair outside the panel, removing someone who has submitted a review, or an application not in screening or
    review.
    """
    if application.status not in FORMABLE:
        raise PanelError(_("A panel can be formed during screening or review."))
    if not members or chair not in members:
        raise PanelError(_("Choose at least one assessor and a chair from among them."))
    ties = conflicts(application)
    blocked = [m.name for m in members if m.id in ties or m.role != Role.ASSESSOR]
    if blocked:
        raise PanelError(_("Cannot be assigned (conflict of interest or not an assessor): %(names)s",
                           names=", ".join(blocked)))
    need = size.minimum(application)
    if len(set(members)) < need:
        raise PanelError(ngettext("The criteria of this application require at least %(num)d assessor on the "
                                  "panel; you chose %(size)d.",
                                  "The criteria of this application require at least %(num)d assessors on the "
                                  "panel; you chose %(size)d.", need, size=len(set(members))))
    if deadline <= dt.date.today():
        raise PanelError(_("The deadline must be in the future."))
    reviewed = set(db.session.scalars(select(Review.user_id).where(Review.application_id == application.id,
                                                                  Review.submitted_at.is_not(None))))
    current = {m.user_id: m for m in application.panel}
    wanted = {m.id for m in members}
    for user_id, member in current.items():
        if user_id not in wanted:
            if user_id in reviewed:
                raise PanelError(_("%(name)s has already submitted a review and stays on the panel.",
                                   name=member.user.name))
            db.session.delete(member)
    added = []
    for user in members:
        member = current.get(user.id)
        if member is None:
            member = PanelMember(user=user, deadline=deadline)
            application.panel.append(member)
            added.append(user)
        member.is_chair, member.deadline = user.id == chair.id, deadline
    db.session.flush()
    notifications.assigned(added, application, deadline)
    audit.record("panel.assign", "application", application.id,
                 before={"members": sorted(current)},
                 after={"members": sorted(wanted), "chair": chair.id, "deadline": deadline.isoformat()})


def declare_conflict(application: Application, user: User, kind, note: str) -> None:
    """An assessor declares a conflict: recorded, the assessor leaves the panel, the coordinators are told (once
    more if the panel is now below the criteria's minimum size).

    Raises PanelError once the panel has recommended (what it judged stays as it was).
    """
    if application.status not in CONFLICT_OPEN:
        raise PanelError(_("The panel's work on this application is finished; its members no longer change."))
    db.session.add(ConflictDeclaration(application_id=application.id, user_id=user.id, kind=kind, note=note.strip()))
    for member in list(application.panel):
        if member.user_id == user.id:
            application.panel.remove(member)
    db.session.flush()
    audit.record("panel.conflict", "application", application.id,
                 after={"assessor": user.id, "kind": kind.value, "note": note.strip()})
    notifications.conflict_declared(application, user, kind, note.strip())
    size.report_if_short(application)


def remind_due(today: dt.date, days_before: int) -> int:
    """E-mail panel members whose review is not submitted and whose deadline is within ``days_before`` days;
    once per member. Returns how many were reminded."""
    members = db.session.scalars(
        select(PanelMember).join(Application).where(
            Application.status.in_((ApplicationStatus.IN_REVIEW, ApplicationStatus.CLARIFICATION)),
            PanelMember.reminded_at.is_(None), PanelMember.deadline <= today + dt.timedelta(days=days_before))
    ).all()
    submitted = {(row.application_id, row.user_id) for row in db.session.execute(
        select(Review.application_id, Review.user_id).where(Review.submitted_at.is_not(None)))}
    count = 0
    for member in members:
        if (member.application_id, member.user_id) in submitted:
            continue
        notifications.review_due(member)
        member.reminded_at = utcnow()
        count += 1
    db.session.flush()
    return count
