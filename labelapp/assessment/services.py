"""Self-assessment writes: start (with carry-over), save an area, evidence, submit, reopen.

Each function flushes and audits; the caller commits. Saves use optimistic locking on Assessment.version.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update

from labelapp.assessment.models import Answer, Assessment, AssessmentStatus, Evidence, EvidenceKind
from labelapp.core import audit, uploads
from labelapp.core.errors import DomainError, has_reason
from labelapp.core.types import utcnow
from labelapp.criteria import services as criteria_services
from labelapp.criteria.models import Round, RoundStatus
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality

if TYPE_CHECKING:
    from labelapp.criteria.schema import Area, CriteriaFile

EVIDENCE_FOLDER = "evidence"
ACCEPTED_KINDS = {"pdf", "odt", "docx", "xlsx", "ods", "png", "jpeg"}


# Sent with the assessment; a receiver returns a sentence saying why it may not be reopened (an application
# made from it is with the panel or decided), or None. The application step answers it.
reopen_refusals = Namespace().signal("assessment-reopen-refusals")
# Receivers return the address of the next step after a submitted self-assessment (the application step).
next_steps = Namespace().signal("assessment-next-steps")


def next_step_url(assessment: Assessment) -> str | None:
    """Where a municipality goes after submitting ``assessment``, as a later step says (None if none does)."""
    return next((url for _receiver, url in next_steps.send(assessment) if url), None)


def reopen_refusal(assessment: Assessment) -> str | None:
    """Why the assessment may not be reopened now, in words; None when nothing stands in the way."""
    return next((reason for _receiver, reason in reopen_refusals.send(assessment) if reason), None)

class AssessmentError(DomainError):
    pass


class EditConflict(AssessmentError):
    """Someone saved the assessment after this form was loaded."""


def criteria_of(assessment: Assessment) -> CriteriaFile:
    return criteria_services.load(assessment.criteria_version)


def answers_of(assessment: Assessment) -> dict[str, Answer]:
    return {answer.criterion_id: answer for answer in assessment.answers}


def latest_assessment(municipality: Municipality, before_round: Round | None = None) -> Assessment | None:
    query = select(Assessment).where(Assessment.municipality_id == municipality.id)
    if before_round is not None:
        query = query.where(Assessment.round_id != before_round.id)
    return db.session.scalar(query.order_by(Assessment.id.desc()).limit(1))


@dataclass
class CarryOverPlan:
    """What a new assessment under ``criteria`` can take from ``source``, and what must be answered anew."""

    source: Assessment
    carried: list[str] = field(default_factory=list)
    to_answer: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    evidence: int = 0
    source_criteria: CriteriaFile | None = None  # names the dropped criteria, which the new version lacks


def carry_over_plan(source: Assessment, criteria: CriteriaFile) -> CarryOverPlan:
    old_answers = {cid: a for cid, a in answers_of(source).items() if a.level is not None}
    plan = CarryOverPlan(source, source_criteria=criteria_of(source))
    for _area, criterion in criteria.criteria():
        (plan.carried if criterion.id in old_answers else plan.to_answer).append(criterion.id)
    new_ids = {c.id for _, c in criteria.criteria()}
    plan.dropped = sorted(cid for cid in old_answers if cid not in new_ids)
    plan.evidence = sum(1 for e in source.evidence if e.criterion_id in new_ids)
    return plan


def start(municipality: Municipality, round_: Round, user, carry_from: Assessment | None = None) -> Assessment:
    """Start the municipality's assessment in an open round, optionally carrying over answers and evidence
    for criteria whose id still exists. Raises AssessmentError if the round is closed or already started."""
    if round_.status != RoundStatus.OPEN:
        raise AssessmentError(_("This round is closed."))
    if db.session.scalar(select(Assessment.id).where(Assessment.municipality_id == municipality.id,
                                                     Assessment.round_id == round_.id)):
        raise AssessmentError(_("Your municipality has already started its assessment in this round."))
    criteria = criteria_services.load(round_.criteria_version)
    assessment = Assessment(municipality=municipality, round=round_, criteria_version=round_.criteria_version,
                            status=AssessmentStatus.DRAFT, version=1, created_by_id=user.id)
    db.session.add(assessment)
    plan = None
    if carry_from is not None:
        if carry_from.municipality_id != municipality.id:
            raise AssessmentError(_("Answers can only be carried over from your own municipality."))
        plan = carry_over_plan(carry_from, criteria)
        _copy(carry_from, assessment, criteria, set(plan.carried), user)
        assessment.carried_from_id = carry_from.id
    db.session.flush()
    audit.record("assessment.start", "assessment", assessment.id, after={
        "municipality": municipality.code, "round": round_.id, "criteria": round_.criteria_version.label,
        "carried_from": carry_from.id if carry_from else None,
        "carried": plan.carried if plan else [], "to_answer": plan.to_answer if plan else [],
    })
    return assessment


def _copy(source: Assessment, target: Assessment, criteria: CriteriaFile, carried: set[str], user) -> None:
    for cid, answer in answers_of(source).items():
        criterion = criteria.criterion(cid)
        if cid in carried and criterion is not None:
            level = min(answer.level, criterion.max_level)
            target.answers.append(Answer(criterion_id=cid, level=level, comment=answer.comment,
                                         updated_by_id=user.id))
    new_ids = {c.id for _, c in criteria.criteria()}
    for item in source.evidence:
        if item.criterion_id not in new_ids:
            continue
        copy = Evidence(criterion_id=item.criterion_id, kind=item.kind, title=item.title, url=item.url,
                        original_name=item.original_name, content_type=item.content_type, size=item.size,
                        sha256=item.sha256, created_by_id=user.id)
        if item.kind == EvidenceKind.FILE:
            # Each assessment owns its files, so deleting evidence in one never touches another.
            stored = uploads.upload_dir(EVIDENCE_FOLDER)
            copy.stored_name = secrets.token_hex(16)
            partial = stored / f"{copy.stored_name}.part"
            uploads.pending(partial, stored / copy.stored_name)
            shutil.copyfile(stored / item.stored_name, partial)
        target.evidence.append(copy)


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentError(_("This assessment has been submitted and can no longer be changed."))


def _bump_version(assessment: Assessment, expected_version: int) -> None:
    """Claim the next version, refusing if someone else saved since ``expected_version`` was read.

    The guarded UPDATE holds even when two saves race: only one of them matches the old version.
    """
    claimed = db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id, Assessment.version == expected_version)
        .values(version=expected_version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise EditConflict(_("Someone else saved this assessment while you were editing it. Your answers are "
                             "still in the form: check them against the saved ones shown, then save again."))
    db.session.refresh(assessment, ["version", "updated_at"])


def save_area(assessment: Assessment, area: Area, values: dict[str, tuple[int | None, str]], expected_version: int,
              user) -> list[str]:
    """Store the levels and comments of one area's criteria; return the ids that changed.

    Raises EditConflict (someone saved meanwhile) or AssessmentError (not a draft).
    """
    _require_draft(assessment)
    _bump_version(assessment, expected_version)
    existing = answers_of(assessment)
    before, after = {}, {}
    for criterion in area.criteria:
        level, comment = values.get(criterion.id, (None, ""))
        comment = (comment or "").strip()
        answer = existing.get(criterion.id)
        old = (answer.level, answer.comment) if answer else (None, "")
        if old == (level, comment):
            continue
        if answer is None:
            answer = Answer(criterion_id=criterion.id)
            assessment.answers.append(answer)
        answer.level, answer.comment, answer.updated_by_id, answer.updated_at = level, comment, user.id, utcnow()
        before[criterion.id] = {"level": old[0], "comment": old[1]}
        after[criterion.id] = {"level": level, "comment": comment}
    db.session.flush()
    if after:
        audit.record("assessment.save", "assessment", assessment.id, before=before,
                     after={**after, "_area": area.id, "_version": assessment.version})
    return sorted(after)


def add_link(assessment: Assessment, criterion_id: str, title: str, url: str, user) -> Evidence:
    _require_draft(assessment)
    item = Evidence(criterion_id=criterion_id, kind=EvidenceKind.LINK, title=title.strip(), url=url.strip(),
                    created_by_id=user.id)
    assessment.evidence.append(item)
    db.session.flush()
    audit.record("evidence.add", "evidence", item.id, after={"assessment": assessment.id,
                                                             "criterion": criterion_id, "link": item.url})
    return item


def _evidence_files_in_use() -> set[str]:
    return set(db.session.scalars(select(Evidence.stored_name).where(Evidence.stored_name.is_not(None))))


uploads.register_folder(EVIDENCE_FOLDER, _evidence_files_in_use)


def evidence_file(criterion_id: str, title: str, upload, user) -> Evidence:
    """An evidence row for an uploaded file, checked by content and size and stored (to be added to an assessment
    by the caller). Raises UploadError (too large, empty, wrong kind) before writing."""
    config = current_app.config
    stored = uploads.store(upload.stream, EVIDENCE_FOLDER, config["EVIDENCE_MAX_BYTES"], ACCEPTED_KINDS,
                           max_uncompressed=config["EVIDENCE_MAX_UNCOMPRESSED_BYTES"])
    original = uploads.detected_name((upload.filename or "file").replace("/", "_").replace("\\", "_")[-250:],
                                     stored.kind)
    return Evidence(criterion_id=criterion_id, kind=EvidenceKind.FILE, title=(title or original).strip()[:255],
                    stored_name=stored.stored_name, original_name=original, content_type=stored.content_type,
                    size=stored.size, sha256=stored.sha256, created_by_id=user.id)


def add_file(assessment: Assessment, criterion_id: str, title: str, upload, user) -> Evidence:
    """Store an uploaded file as evidence. Raises UploadError (too large, empty, wrong kind) before writing."""
    _require_draft(assessment)
    item = evidence_file(criterion_id, title, upload, user)
    assessment.evidence.append(item)
    db.session.flush()
    audit.record("evidence.add", "evidence", item.id, after={
        "assessment": assessment.id, "criterion": criterion_id, "file": item.original_name, "sha256": item.sha256,
        "size": item.size})
    return item


def remove_evidence(item: Evidence) -> None:
    """Delete evidence; its file is removed once the deletion is committed (see views)."""
    _require_draft(item.assessment)
    audit.record("evidence.remove", "evidence", item.id, before={
        "assessment": item.assessment_id, "criterion": item.criterion_id, "title": item.title,
        "file": item.original_name, "link": item.url})
    db.session.delete(item)
    db.session.flush()


@dataclass
class Missing:
    unanswered: list[str]
    evidence_needed: list[str]

    @property
    def empty(self) -> bool:
        return not self.unanswered and not self.evidence_needed


def missing(assessment: Assessment, criteria: CriteriaFile) -> Missing:
    answers = answers_of(assessment)
    with_evidence = {e.criterion_id for e in assessment.evidence}
    unanswered, needs = [], []
    for _area, criterion in criteria.criteria():
        answer = answers.get(criterion.id)
        if answer is None or answer.level is None:
            unanswered.append(criterion.id)
        elif answer.level >= criterion.evidence_from_level and criterion.id not in with_evidence:
            needs.append(criterion.id)
    return Missing(unanswered, needs)


def submit(assessment: Assessment, user) -> None:
    """Lock a complete assessment. Raises AssessmentError listing what is missing."""
    _require_draft(assessment)
    gaps = missing(assessment, criteria_of(assessment))
    if not gaps.empty:
        raise AssessmentError(_("The assessment is not complete: %(unanswered)s, %(evidence)s.",
                                unanswered=ngettext("%(num)d criterion unanswered", "%(num)d criteria unanswered",
                                                    len(gaps.unanswered)),
                                evidence=ngettext("%(num)d without required evidence",
                                                  "%(num)d without required evidence", len(gaps.evidence_needed))))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    assessment.version += 1
    db.session.flush()
    audit.record("assessment.submit", "assessment", assessment.id, before={"status": "draft"},
                 after={"status": "submitted"})


def reopen(assessment: Assessment, reason: str) -> None:
    """Coordinator only: return a submitted assessment to draft, with a reason that is audited."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError(_("Only a submitted assessment can be reopened."))
    refusal = reopen_refusal(assessment)
    if refusal:
        raise AssessmentError(refusal)
    if not has_reason(reason):
        raise AssessmentError(_("Give a reason of at least 10 characters."))
    assessment.status = AssessmentStatus.DRAFT
    assessment.version += 1
    db.session.flush()
    audit.record("assessment.reopen", "assessment", assessment.id, before={"status": "submitted"},
                 after={"status": "draft", "reason": reason.strip()})
