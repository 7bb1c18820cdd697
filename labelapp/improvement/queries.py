"""Reads of the improvement plan, each with a fixed number of queries however much the plan holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from labelapp.applications.models import Application
from labelapp.assessment.models import Assessment
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.improvement.models import ImprovementAction, ImprovementPoint, PlanPublication
from labelapp.improvement.states import OPEN, ActionStatus
from labelapp.labels.models import Decision
from labelapp.panel.reviews import panel_decision

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile


@dataclass
class Plan:
    application: Application | None  # the latest decided application (the cycle the points come from)
    criteria: CriteriaFile | None
    points: list[ImprovementPoint] = field(default_factory=list)

    def criterion(self, point: ImprovementPoint):
        return self.criteria.criterion(point.criterion_id) if self.criteria else None

    def counts(self) -> dict[ActionStatus, int]:
        found = dict.fromkeys(ActionStatus, 0)
        for point in self.points:
            for action in point.actions:
                found[action.status] += 1
        return found


def _latest_decided(municipality_id: int, before_assessment: int | None = None) -> Application | None:
    """The municipality's latest application with a released decision (optionally one from an assessment
    started before ``before_assessment``)."""
    query = (select(Application).join(Decision, Decision.application_id == Application.id)
             .where(Application.municipality_id == municipality_id, Decision.released_at.is_not(None)))
    if before_assessment is not None:
        query = query.where(Application.assessment_id < before_assessment)
    return db.session.scalar(query.order_by(Decision.released_at.desc(), Decision.id.desc()).limit(1))


def _points(application: Application) -> list[ImprovementPoint]:
    return db.session.scalars(select(ImprovementPoint).where(ImprovementPoint.application_id == application.id)
                              .options(selectinload(ImprovementPoint.actions))
                              .order_by(ImprovementPoint.id)).all()


def plan_of(municipality_id: int) -> Plan:
    """The current plan: the points of the latest decided application, with their actions, in criteria order."""
    application = _latest_decided(municipality_id)
    if application is None:
        return Plan(None, None)
    criteria = criteria_services.load(application.criteria_version)
    order = {c.id: n for n, (_a, c) in enumerate(criteria.criteria())}
    points = sorted(_points(application), key=lambda p: order.get(p.criterion_id, len(order)))
    return Plan(application, criteria, points)


@dataclass(frozen=True)
class CarriedOver:
    """What the previous cycle said about one criterion, shown beside it in the new self-assessment."""

    level: int | None
    top: int | None
    comment: str
    actions: list[ImprovementAction]


def carried_over(assessment: Assessment) -> dict[str, CarriedOver]:
    """Per criterion id: the previous cycle's panel-verified level, the panel's comment and the actions with their
    status. Empty when the municipality has no decided application from an earlier self-assessment."""
    previous = _latest_decided(assessment.municipality_id, before_assessment=assessment.id)
    if previous is None:
        return {}
    verified = panel_decision(previous)
    points = {p.criterion_id: p for p in _points(previous)}
    criteria = criteria_services.load(previous.criteria_version)
    out = {}
    for _area, criterion in criteria.criteria():
        entry = (verified.levels.get(criterion.id) if verified else None) or {}
        point = points.get(criterion.id)
        if entry.get("level") is None and point is None:
            continue
        out[criterion.id] = CarriedOver(
            level=entry.get("level"), top=criterion.max_level,
            comment=point.comment if point else (entry.get("reason") or ""),
            actions=list(point.actions) if point else [])
    return out


@dataclass(frozen=True)
class Summary:
    open: int
    due_soon: int
    without_actions: int


def summary(municipality_id: int, today: dt.date | None = None, days: int = 30) -> Summary | None:
    """For the dashboard: open actions, those due within ``days``, and points with no action yet (None: no plan)."""
    application = _latest_decided(municipality_id)
    if application is None:
        return None
    today = today or dt.date.today()
    in_cycle = ImprovementAction.point_id.in_(select(ImprovementPoint.id)
                                              .where(ImprovementPoint.application_id == application.id))
    open_, due = db.session.execute(
        select(func.count(), func.count().filter(ImprovementAction.due_on <= today + dt.timedelta(days=days)))
        .where(in_cycle, ImprovementAction.status.in_(OPEN))).one()
    without = db.session.scalar(select(func.count()).select_from(ImprovementPoint).where(
        ImprovementPoint.application_id == application.id,
        ~select(ImprovementAction.id).where(ImprovementAction.point_id == ImprovementPoint.id).exists()))
    return Summary(open_, due, without)


def is_published(municipality_id: int) -> bool:
    return bool(db.session.scalar(select(PlanPublication.published)
                                  .where(PlanPublication.municipality_id == municipality_id)))


def published_plan(municipality_id: int) -> Plan | None:
    """The plan as the registry shows it, when the municipality consented to publish its progress."""
    return plan_of(municipality_id) if is_published(municipality_id) else None
