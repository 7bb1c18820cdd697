"""The minimum panel size, a rule of the application's criteria version (``panel.min_assessors``): which panels
are below it, and telling the coordinators when one falls below it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.criteria import services as criteria_services
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.panel import notifications
from labelapp.panel.models import PanelMember
from labelapp.panel.rules import UNDER_REVIEW

# A panel counts once it is formed (screening) and while it reviews. An application in screening without any
# member has no panel yet; one in review without any member is a panel of 0.
ACTIVE = (ApplicationStatus.SCREENING, *UNDER_REVIEW)


@dataclass(frozen=True)
class Shortfall:
    application: Application
    size: int
    minimum: int


def minimum(application: Application) -> int:
    """The fewest assessors the application's criteria version allows on its panel."""
    return criteria_services.load(application.criteria_version).panel.min_assessors


def _counts(status: ApplicationStatus, size: int, need: int) -> bool:
    return status in ACTIVE and size < need and (size > 0 or status != ApplicationStatus.SCREENING)


def shortfall(application: Application) -> Shortfall | None:
    """The application's panel size and minimum when the panel is under way and below the minimum."""
    size, need = len(application.panel), minimum(application)
    return Shortfall(application, size, need) if _counts(application.status, size, need) else None


def short_panels() -> list[Shortfall]:
    """Every panel under way that is below its criteria's minimum, oldest application first."""
    in_use = select(Application.criteria_version_id).where(Application.status.in_(ACTIVE))
    minimums = {stored.id: criteria_services.load(stored).panel.min_assessors
                for stored in db.session.scalars(select(CriteriaVersion).where(CriteriaVersion.id.in_(in_use)))}
    if not minimums:
        return []
    size = (select(func.count(PanelMember.id)).where(PanelMember.application_id == Application.id)
            .correlate(Application).scalar_subquery())
    below = or_(*(and_(Application.criteria_version_id == version_id, size < need)
                  for version_id, need in minimums.items()))
    rows = db.session.execute(select(Application, size).where(Application.status.in_(ACTIVE), below)
                              .options(db.joinedload(Application.municipality)).order_by(Application.id)).all()
    return [Shortfall(application, count, minimums[application.criteria_version_id])
            for application, count in rows
            if _counts(application.status, count, minimums[application.criteria_version_id])]


def report_if_short(application: Application) -> Shortfall | None:
    """E-mail the coordinators when the application's panel is below the minimum; returns the shortfall."""
    found = shortfall(application)
    if found is not None:
        notifications.panel_short(application, found.size, found.minimum)
    return found
