"""The previous cycle's panel-verified levels, so that the panel sees how each criterion changed since then."""

from __future__ import annotations

from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.extensions import db
from labelapp.panel.models import PanelDecision

DECIDED = (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED)


def levels(application: Application) -> dict[str, int]:
    """Criterion id -> the level the panel verified in the municipality's latest decided application before this
    one (criterion ids stay the same across criteria versions). Empty for a first application."""
    earlier = (select(Application.id).where(Application.municipality_id == application.municipality_id,
                                            Application.id < application.id, Application.status.in_(DECIDED))
               .order_by(Application.id.desc()).limit(1).scalar_subquery())
    decision = db.session.scalar(select(PanelDecision).where(PanelDecision.application_id == earlier)
                                 .order_by(PanelDecision.id.desc()).limit(1))
    if decision is None:
        return {}
    return {cid: entry["level"] for cid, entry in decision.levels.items() if entry.get("level") is not None}
