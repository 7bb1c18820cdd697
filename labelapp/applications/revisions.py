"""Revisions: what the panel judges is frozen when the application is submitted, and again after each
clarification answer that adds evidence. Every page that shows a submitted application reads its revision,
never the live self-assessment."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from labelapp.applications.models import Application, ApplicationRevision
from labelapp.applications.states import ApplicationStatus
from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Assessment, EvidenceKind
from labelapp.extensions import db


@dataclass(frozen=True)
class FrozenAnswer:
    level: int | None
    comment: str


@dataclass(frozen=True)
class FrozenEvidence:
    id: int
    criterion_id: str
    kind: EvidenceKind
    title: str
    url: str | None


def _answers(assessment: Assessment) -> dict:
    return {cid: {"level": a.level, "comment": a.comment or ""}
            for cid, a in sorted(assessment_services.answers_of(assessment).items())}


def _evidence(assessment: Assessment) -> list:
    return [{"id": e.id, "criterion_id": e.criterion_id, "kind": e.kind.value, "title": e.title, "url": e.url}
            for e in sorted(assessment.evidence, key=lambda e: e.id)]


def record(application: Application, note: str = "") -> ApplicationRevision:
    """Freeze the assessment's answers and evidence as the application's current revision (flush). Part of the
    change that makes the revision (submission, a clarification answer), which writes the audit row."""
    revision = ApplicationRevision(application_id=application.id, number=application.revision,
                                   answers=_answers(application.assessment),
                                   evidence=_evidence(application.assessment), note=note)
    db.session.add(revision)
    db.session.flush()
    return revision


def latest(application: Application) -> ApplicationRevision | None:
    return db.session.scalar(select(ApplicationRevision).where(ApplicationRevision.application_id == application.id)
                             .order_by(ApplicationRevision.number.desc()).limit(1))


def answers(application: Application) -> dict[str, FrozenAnswer]:
    """The answers ``contents`` gives, without the evidence: the latest revision's answers column alone once
    submitted (one statement), a draft's live answers."""
    stored = db.session.scalar(
        select(ApplicationRevision.answers).where(ApplicationRevision.application_id == application.id)
        .order_by(ApplicationRevision.number.desc()).limit(1)) if application.status != ApplicationStatus.DRAFT \
        else None
    found = _answers(application.assessment) if stored is None else stored
    return {cid: FrozenAnswer(a["level"], a["comment"]) for cid, a in found.items()}


@dataclass(frozen=True)
class Contents:
    """Answers by criterion and evidence grouped by criterion, as a page shows them."""

    answers: dict[str, FrozenAnswer]
    evidence: dict[str, list[FrozenEvidence]]
    revision: int | None  # None: a draft application, read from the live self-assessment


def contents(application: Application) -> Contents:
    """What the application puts forward: its latest revision once submitted; a draft's live self-assessment."""
    stored = latest(application) if application.status != ApplicationStatus.DRAFT else None
    if stored is None:
        answers, evidence, number = _answers(application.assessment), _evidence(application.assessment), None
    else:
        answers, evidence, number = stored.answers, stored.evidence, stored.number
    grouped: dict[str, list[FrozenEvidence]] = {}
    for item in evidence:
        grouped.setdefault(item["criterion_id"], []).append(FrozenEvidence(
            item["id"], item["criterion_id"], EvidenceKind(item["kind"]), item["title"], item["url"]))
    return Contents({cid: FrozenAnswer(a["level"], a["comment"]) for cid, a in answers.items()}, grouped, number)
