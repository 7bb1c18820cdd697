"""Where the application step answers lower steps' signals: reopening a self-assessment, removing a tie."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.assessment.services import next_steps, reopen_refusals
from labelapp.auth.ties import removal_holds
from labelapp.extensions import db

DECIDED = (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED, ApplicationStatus.APPEALED)
# Being assessed: an assessor's tie to the municipality is removed only with a coordinator's confirmation.
BEING_ASSESSED = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING, ApplicationStatus.IN_REVIEW,
                  ApplicationStatus.CLARIFICATION)


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    reopen_refusals.connect(_refuse_reopening)
    removal_holds.connect(_hold_tie_removal)
    next_steps.connect(_apply_next)


def _apply_next(assessment) -> str | None:
    """After a self-assessment is submitted: the page that makes and submits its application."""
    if db.session.scalar(select(Application.id).where(Application.assessment_id == assessment.id)) is not None:
        return None
    return url_for("applications.confirm_create", assessment_id=assessment.id)


def _refuse_reopening(assessment) -> str | None:
    """A submitted application's assessment changes only through the panel's questions; a decided one never."""
    status = db.session.scalar(select(Application.status).where(Application.assessment_id == assessment.id))
    if status is None or status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        return None
    if status in DECIDED:
        return _("The application made from this self-assessment is decided (“%(status)s”); what was decided "
                 "never changes. The municipality starts a new self-assessment in the next round.",
                 status=status.label)
    return _("The application made from this self-assessment is with the panel (“%(status)s”); the panel asks "
             "the municipality through a clarification question, which may add evidence as a new revision.",
             status=status.label)


def _hold_tie_removal(municipality) -> ApplicationStatus | None:
    """The status of the municipality's application being assessed, if it has one."""
    return db.session.scalar(select(Application.status).where(Application.municipality_id == municipality.id,
                                                              Application.status.in_(BEING_ASSESSED))
                             .order_by(Application.id).limit(1))
