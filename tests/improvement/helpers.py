"""A decided application with chosen panel levels and comments, through the real services."""

from __future__ import annotations

import datetime as dt

from labelapp.applications import services as applications
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.auth.models import Role
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels import decisions
from labelapp.panel import assignment, reviews
from tests.support.factories import filled_assessment, make_user, open_round

TOP_ID = "strategy.principles"  # verified at the top level in ``decided``: no point
LOW_ID = "strategy.responsible"  # verified at level 1 with the chair's reason
CHAIR_REASON = "Vastutaja on määramata; the panel wants a named person."


def new_round(title: str):
    """A round of its own (the one open before, if any, is closed first: one round is open at a time)."""
    current = criteria_services.current_round()
    if current is not None:
        criteria_services.close_round(current)
    return open_round(title=title)


def in_review(staff, assessor, title: str, second=None):
    """An application of ``staff``'s municipality from a new assessment (level 2 everywhere) in a new round,
    screened and under review by ``assessor`` (chair) and ``second``."""
    assessment = filled_assessment(staff, new_round(title), level=2)
    assessment_services.submit(assessment, staff)
    application = applications.create(assessment, staff)
    applications.change_status(application, Action.SUBMIT)
    applications.change_status(application, Action.START_SCREENING)
    assignment.assign(application, [assessor, second or make_user(Role.ASSESSOR, commit=False)], assessor,
                      dt.date.today() + dt.timedelta(days=30))
    applications.change_status(application, Action.ACCEPT)
    db.session.commit()
    return application


def decided(staff, assessor, coordinator, title: str = "First round", levels: dict | None = None):
    """An application decided (award) and released, the panel having verified ``levels`` (default: TOP_ID at 3,
    LOW_ID at 1 with CHAIR_REASON, the rest at 2 with the assessors' comments)."""
    application = in_review(staff, assessor, title)
    criteria = assessment_services.criteria_of(application.assessment)
    chosen = {c.id: 2 for _a, c in criteria.criteria()} | (levels if levels is not None else {TOP_ID: 3, LOW_ID: 1})
    for seat in application.panel:
        reviews.save(application, seat.user, {cid: (level, f"Comment on {cid}") for cid, level in chosen.items()},
                     "award", "Reviewed", criteria, submit=True)
    reviews.consolidate(application, assessor,
                        {cid: (level, CHAIR_REASON if cid == LOW_ID else "") for cid, level in chosen.items()},
                        "award", "The panel agrees with the municipality.", criteria)
    decisions.decide(application, coordinator, "award", "")
    decisions.release_all()
    db.session.commit()
    return application
