"""Where the panel step answers lower steps' signals: an appeal sent to a new panel, reading evidence."""

from __future__ import annotations

from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.services import status_changed
from labelapp.applications.states import Action
from labelapp.assessment.rules import evidence_access_requested
from labelapp.extensions import db
from labelapp.panel.models import PanelMember


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    status_changed.connect(_dismiss_panel_for_appeal)
    evidence_access_requested.connect(_panel_reads_evidence)


def _dismiss_panel_for_appeal(application: Application, action: Action) -> None:
    """An appeal sent to a new panel dismisses the earlier one (the conflicts keep them off the new panel)."""
    if action == Action.TO_NEW_PANEL:
        application.panel.clear()
        db.session.flush()


def _panel_reads_evidence(assessment, user) -> bool:
    """The assessors on the panel of the application made from the assessment read its evidence."""
    return db.session.scalar(select(PanelMember.id).join(Application).where(
        Application.assessment_id == assessment.id, PanelMember.user_id == user.id).limit(1)) is not None
