"""Assessors' ties to municipalities: recorded by the assessor, removed at once or, while the municipality has an
application being assessed, only when a coordinator confirms; every change is e-mailed to the coordinators.

Without the confirmation, an assessor with a conflict could remove their tie with one request and then be
assigned to the application. Every function flushes and writes its audit row; none commits.
"""

from __future__ import annotations

from blinker import Namespace
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from labelapp.auth.models import AssessorTie, TieKind, User
from labelapp.auth.queries import active_coordinators
from labelapp.core import audit, mail
from labelapp.core.errors import DomainError, StaleState
from labelapp.core.types import utcnow
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality

# Sent with the municipality; a receiver returns the status of an application of it that is being assessed (a
# StrEnum whose ``label`` says it in words), or None. The application step answers it, so that this package never
# imports it.
removal_holds = Namespace().signal("auth-tie-removal-holds")

SUBJECTS = {"added": _l("An assessor recorded a tie to a municipality"),
            "requested": _l("An assessor asks to remove a tie to a municipality"),
            "removed": _l("An assessor's tie to a municipality is removed"),
            "refused": _l("The removal of an assessor's tie is refused")}


class TieError(DomainError):
    """A tie that cannot be recorded; the message is for the assessor."""


def removal_hold(municipality: Municipality):
    """Why removing a tie to ``municipality`` needs a coordinator now (an application's status), or None."""
    return next((status for _receiver, status in removal_holds.send(municipality) if status), None)


def pending_removals() -> list[AssessorTie]:
    """Ties whose removal waits for a coordinator, the longest waiting first."""
    return db.session.scalars(select(AssessorTie).where(AssessorTie.removal_requested_at.is_not(None))
                              .options(db.joinedload(AssessorTie.user), db.joinedload(AssessorTie.municipality))
                              .order_by(AssessorTie.removal_requested_at, AssessorTie.id)).all()


def _described(tie: AssessorTie) -> dict:
    return {"user": tie.user.email, "municipality": tie.municipality.code, "kind": tie.kind.value, "note": tie.note}


def add_tie(user: User, municipality: Municipality, kind: TieKind, note: str = "") -> AssessorTie:
    """Record an assessor's tie to a municipality and tell the coordinators. Raises TieError if it is already
    recorded."""
    exists = db.session.scalar(select(AssessorTie.id).where(
        AssessorTie.user_id == user.id, AssessorTie.municipality_id == municipality.id, AssessorTie.kind == kind))
    if exists is not None:
        raise TieError(_("This tie is already recorded."))
    tie = AssessorTie(user=user, municipality=municipality, kind=kind, note=note.strip())
    db.session.add(tie)
    db.session.flush()
    audit.record("tie.add", "assessor_tie", tie.id, after=_described(tie))
    _tell(tie, "added", active_coordinators())
    return tie


def remove_tie(tie: AssessorTie) -> bool:
    """The assessor removes their own tie: at once (True), or, while the municipality has an application being
    assessed, as a request that a coordinator confirms or refuses (False); until then the tie stays and still
    counts as a conflict. Raises StaleState if the removal is already requested."""
    hold = removal_hold(tie.municipality)
    if hold is None:
        audit.record("tie.remove", "assessor_tie", tie.id, before=_described(tie))
        _tell(tie, "removed", active_coordinators())
        db.session.delete(tie)
        db.session.flush()
        return True
    # Guarded, so that a double submit asks (and mails) once.
    asked = db.session.execute(update(AssessorTie).where(AssessorTie.id == tie.id,
                                                         AssessorTie.removal_requested_at.is_(None))
                               .values(removal_requested_at=utcnow()))
    if asked.rowcount != 1:
        raise StaleState(_("The removal of this tie is already requested; it waits for a coordinator."),
                         url_for("auth.ties"), _("Back to my ties"))
    audit.record("tie.removal_requested", "assessor_tie", tie.id, before=_described(tie),
                 after={"application_status": str(hold)})
    _tell(tie, "requested", active_coordinators(), hold=hold)
    return False


def confirm_removal(tie: AssessorTie) -> None:
    """A coordinator confirms an assessor's request: the tie is removed; the coordinators and the assessor are
    told. Raises StaleState if no removal is requested (already decided, or never asked)."""
    tie_id, described, assessor = tie.id, _described(tie), tie.user
    _tell(tie, "removed", [*active_coordinators(), assessor])  # a StaleState below rolls the mail back
    gone = db.session.execute(delete(AssessorTie).where(AssessorTie.id == tie_id,
                                                        AssessorTie.removal_requested_at.is_not(None)))
    if gone.rowcount != 1:
        raise _not_requested()
    audit.record("tie.remove", "assessor_tie", tie_id, before=described,
                 after={"confirmed_request_of": assessor.email})


def refuse_removal(tie: AssessorTie) -> None:
    """A coordinator refuses an assessor's request: the tie stays and the request is cleared; the coordinators
    and the assessor are told. Raises StaleState if no removal is requested."""
    requested = tie.removal_requested_at
    cleared = db.session.execute(update(AssessorTie).where(AssessorTie.id == tie.id,
                                                           AssessorTie.removal_requested_at.is_not(None))
                                 .values(removal_requested_at=None))
    if cleared.rowcount != 1:
        raise _not_requested()
    audit.record("tie.removal_refused", "assessor_tie", tie.id,
                 before={"removal_requested_at": requested.isoformat() if requested else None},
                 after=_described(tie))
    _tell(tie, "refused", [*active_coordinators(), tie.user])


def _not_requested() -> StaleState:
    return StaleState(_("No removal of this tie is waiting: it was confirmed or refused already."),
                      url_for("users.tie_requests"), _("Back to tie removal requests"))


def _tell(tie: AssessorTie, change: str, users: list[User], **context) -> None:
    for_coordinators = (mail.absolute_link("users.tie_requests") if change == "requested"
                        else mail.absolute_link("users.edit", user_id=tie.user_id))
    for user in dict.fromkeys(users):  # the assessor may be a coordinator too: one message each
        own = user.id == tie.user_id
        mail.queue_bilingual(user.email, SUBJECTS[change], f"auth/mail/tie_{change}.txt",
                             subject_detail=tie.municipality.name, user=user, assessor=tie.user,
                             municipality=tie.municipality, kind=tie.kind, note=tie.note, own=own,
                             link=mail.absolute_link("auth.ties") if own else for_coordinators, **context)
