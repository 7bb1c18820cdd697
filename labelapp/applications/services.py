"""Applications: creation with a score snapshot, the one function every status change goes through, publication.

Functions flush and audit; the caller commits.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import select

from labelapp.applications import revisions
from labelapp.applications.models import Application
from labelapp.applications.states import NEEDS_REASON, Action, ApplicationStatus, TransitionError, next_status
from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Assessment, AssessmentStatus
from labelapp.core import audit
from labelapp.core.errors import DomainError, has_reason
from labelapp.core.types import utcnow
from labelapp.criteria import scoring
from labelapp.extensions import db
from labelapp.surveys import services as survey_services
from labelapp.surveys.models import SurveyResult

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile

# Sent after every status change, with the action; later steps react here (sending an appeal to a new panel
# dismisses the earlier panel) instead of this package reaching up to them.
status_changed = Namespace().signal("application-status-changed")


class ApplicationError(DomainError):
    pass


def score(criteria: CriteriaFile, answers: dict[str, int | None], survey: dict | None) -> dict:
    """The scoring engine's numbers (JSON-ready) for ``answers`` and the survey inputs an application stores."""
    figures = scoring.SurveyFigures(survey["value"], survey["ci_low"], survey["ci_high"], survey["n"]) \
        if survey else None
    return dataclasses.asdict(scoring.evaluate(criteria, answers, figures))


def compute_snapshot(criteria: CriteriaFile, answers: dict[str, int | None], survey: dict | None) -> dict:
    """Every number of the scoring engine together with the inputs it came from (JSON-ready)."""
    return {"inputs": {"answers": dict(sorted(answers.items())), "survey": survey},
            "result": score(criteria, answers, survey)}


def _survey_inputs(result: SurveyResult | None) -> dict | None:
    if result is None:
        return None
    return {"wave": result.wave.year, "wave_id": result.wave_id, "value": result.value, "ci_low": result.ci_low,
            "ci_high": result.ci_high, "n": result.n, "n_effective": result.n_effective, "flag": result.flag}


def create(assessment: Assessment, user) -> Application:
    """Make an application (draft) from a submitted self-assessment, pinning the survey figure in force."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ApplicationError(_("Only a submitted self-assessment can become an application."))
    if db.session.scalar(select(Application.id).where(Application.assessment_id == assessment.id)):
        raise ApplicationError(_("This self-assessment already has an application."))
    criteria = assessment_services.criteria_of(assessment)
    survey = survey_services.latest_result(assessment.municipality_id, criteria.award_rules.survey.indicator)
    answers = {cid: a.level for cid, a in assessment_services.answers_of(assessment).items()}
    application = Application(
        assessment=assessment, municipality_id=assessment.municipality_id,
        criteria_version_id=assessment.criteria_version_id, survey_result=survey, status=ApplicationStatus.DRAFT,
        snapshot=compute_snapshot(criteria, answers, _survey_inputs(survey)), created_by_id=user.id,
    )
    db.session.add(application)
    db.session.flush()
    audit.record("application.create", "application", application.id,
                 after={"assessment": assessment.id, "survey_result": survey.id if survey else None,
                        "combined": application.snapshot["result"]["combined"]})
    return application


def change_status(application: Application, action: Action, reason: str = "") -> ApplicationStatus:
    """The one way an application's status changes: checked against the transition table, audited.

    Raises TransitionError for an action the current status does not allow, ApplicationError when a required
    reason is missing.
    """
    new = next_status(application.status, action)
    if action in NEEDS_REASON and not has_reason(reason):
        raise ApplicationError(_("Give a reason of at least 10 characters."))
    if action == Action.SUBMIT:
        _freeze(application)
    before = {"status": application.status.value, "reason": application.status_reason}
    application.status, application.status_reason = new, reason.strip()
    application.updated_at = utcnow()
    db.session.flush()
    audit.record(f"application.{action.value}", "application", application.id, before=before,
                 after={"status": new.value, "reason": application.status_reason})
    status_changed.send(application, action=action)
    return new


def _freeze(application: Application) -> None:
    """At submission: the snapshot follows the self-assessment as it is now (it may have been reopened and
    corrected while the application was a draft), and revision 1 freezes what the panel will judge."""
    assessment = application.assessment
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ApplicationError(_("Submit the self-assessment again before submitting the application."))
    answers = {cid: a.level for cid, a in assessment_services.answers_of(assessment).items()}
    if dict(sorted(answers.items())) != application.snapshot["inputs"]["answers"]:
        criteria = assessment_services.criteria_of(assessment)
        application.snapshot = compute_snapshot(criteria, answers, application.snapshot["inputs"]["survey"])
    revisions.record(application, "submitted")


def try_change_status(application: Application, action: Action, reason: str = "") -> None:
    """change_status, with a wrong transition reported like any other refused request."""
    try:
        change_status(application, action, reason)
    except TransitionError as exc:
        raise ApplicationError(_("This step is not possible in the application's current status.")) from exc


def set_publication(application: Application, publish: bool) -> None:
    """Show (or hide) the self-assessment's answers in the public registry; the scores are always public."""
    if application.publish_details == publish:
        return
    application.publish_details = publish
    db.session.flush()
    audit.record("application.publication", "application", application.id, before={"publish": not publish},
                 after={"publish": publish})
