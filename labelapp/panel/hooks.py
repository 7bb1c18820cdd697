"""Where the panel step answers lower steps' signals: an appeal sent to a new panel, reading evidence, verifying
the panel-verified scores."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select

from labelapp.applications.listing import verified_scores_requested
from labelapp.applications.models import Application
from labelapp.applications.services import status_changed
from labelapp.applications.states import Action
from labelapp.applications.verification import Checked, compare, rescore, scores_verification_requested
from labelapp.assessment.rules import evidence_access_requested
from labelapp.extensions import db
from labelapp.panel.models import PanelDecision, PanelMember


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    status_changed.connect(_dismiss_panel_for_appeal)
    evidence_access_requested.connect(_panel_reads_evidence)
    scores_verification_requested.connect(_verify_panel_decisions)
    verified_scores_requested.connect(_verified_scores)


def _dismiss_panel_for_appeal(application: Application, action: Action) -> None:
    """An appeal sent to a new panel dismisses the earlier one (the conflicts keep them off the new panel)."""
    if action == Action.TO_NEW_PANEL:
        application.panel.clear()
        db.session.flush()


def _verified_scores(ids: list[int]) -> dict[int, float | None]:
    """The combined score of each application's latest panel consolidation (an appeal's new panel counts)."""
    latest = (select(func.max(PanelDecision.id)).where(PanelDecision.application_id.in_(ids))
              .group_by(PanelDecision.application_id))
    decisions = db.session.execute(select(PanelDecision.application_id, PanelDecision.verified)
                                   .where(PanelDecision.id.in_(latest))).all()
    return {application_id: (verified or {}).get("combined") for application_id, verified in decisions}


def _panel_reads_evidence(assessment, user) -> bool:
    """The assessors on the panel of the application made from the assessment read its evidence."""
    return db.session.scalar(select(PanelMember.id).join(Application).where(
        Application.assessment_id == assessment.id, PanelMember.user_id == user.id).limit(1)) is not None


def _verify_panel_decisions(batch: list[Application], criteria) -> Checked:
    """Each decision's verified scores against the scoring engine on its panel levels with the survey inputs of
    the application's snapshot (as ``reviews.consolidate`` computed them)."""
    applications = {application.id: application for application in batch}
    checked = Checked()
    for decision in db.session.scalars(select(PanelDecision).where(PanelDecision.application_id.in_(
            list(applications))).order_by(PanelDecision.id)):
        if not decision.verified:
            continue
        application = applications[decision.application_id]

        def recompute(decision=decision, application=application) -> dict:
            levels = {cid: value["level"] for cid, value in decision.levels.items()}
            return rescore(criteria(application), levels, application)

        checked.count += 1
        mismatch = compare(application, gettext("panel decision %(id)d", id=decision.id), decision.verified,
                           recompute)
        if mismatch:
            checked.mismatches.append(mismatch)
    return checked
