"""Clarification loop: the panel asks, the municipality answers (and may add evidence); the clock stops."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from labelapp.applications import revisions
from labelapp.applications.models import Application
from labelapp.applications.services import change_status
from labelapp.applications.states import Action, ApplicationStatus
from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Evidence, EvidenceKind
from labelapp.auth.models import User
from labelapp.core import audit
from labelapp.core.errors import DomainError, has_reason
from labelapp.core.types import utcnow
from labelapp.extensions import db
from labelapp.panel import notifications
from labelapp.panel.models import Clarification


class ClarificationError(DomainError):
    pass


def open_question(application: Application) -> Clarification | None:
    return db.session.scalar(select(Clarification).where(Clarification.application_id == application.id,
                                                         Clarification.answered_at.is_(None)))


def history(application: Application) -> list[Clarification]:
    return db.session.scalars(select(Clarification).where(Clarification.application_id == application.id)
                              .options(db.joinedload(Clarification.asked_by)).order_by(Clarification.id)).all()


def ask(application: Application, user: User, question: str) -> Clarification:
    """A panel member asks the municipality a question; the application waits for the answer."""
    if not any(m.user_id == user.id for m in application.panel):
        raise ClarificationError(_("Only the panel asks for clarification."))
    change_status(application, Action.REQUEST_CLARIFICATION, question)
    item = Clarification(application_id=application.id, question=question.strip(), asked_by_id=user.id)
    db.session.add(item)
    db.session.flush()
    notifications.question_asked(application, item)
    return item


def answer(application: Application, user: User, text: str,
           evidence: tuple[str, str, str] | None = None, file: tuple[str, str, object] | None = None) -> Clarification:
    """The municipality answers the open question, optionally adding a link (criterion, title, address) and a
    file (criterion, title, upload: checked by content and size like all evidence, and only ever downloaded as an
    attachment) as evidence, which makes a new revision of the application. Panel deadlines move by the days the
    question was open. Raises UploadError for a refused file (nothing is kept)."""
    item = open_question(application)
    if item is None or application.status != ApplicationStatus.CLARIFICATION:
        raise ClarificationError(_("There is no open question to answer."))
    if not has_reason(text, minimum=2):
        raise ClarificationError(_("Write an answer."))
    item.answer, item.answered_by_id, item.answered_at = text.strip(), user.id, utcnow()
    added = []
    if evidence is not None:
        criterion_id, title, url = evidence
        added.append((Evidence(assessment_id=application.assessment_id, criterion_id=criterion_id,
                               kind=EvidenceKind.LINK, title=title.strip(), url=url.strip(), created_by_id=user.id),
                      {"link": url.strip()}))
    if file is not None:
        criterion_id, title, upload = file
        stored = assessment_services.evidence_file(criterion_id, title, upload, user)
        stored.assessment_id = application.assessment_id
        added.append((stored, {"file": stored.original_name, "sha256": stored.sha256, "size": stored.size}))
    if added:
        db.session.add_all([row for row, _facts in added])
        application.revision += 1
        db.session.flush()
        revisions.record(application, "evidence added in answer to the panel's question")
        for row, facts in added:
            audit.record("evidence.add", "evidence", row.id, after={"assessment": application.assessment_id,
                                                                    "criterion": row.criterion_id, **facts,
                                                                    "clarification": item.id})
    paused_days = (item.answered_at.date() - item.asked_at.date()).days  # calendar days the question was open
    for member in application.panel:
        member.deadline = member.deadline + dt.timedelta(days=paused_days)
    change_status(application, Action.ANSWER_CLARIFICATION)
    notifications.question_answered(application, item)
    return item
