"""What each role does next, read with a fixed number of aggregate queries whatever the amount of data.

staff: the municipality's current cycle (self-assessment progress, application status, open panel question,
decision and reasons, label validity); assessor: reviews assigned; chair: consolidations waiting; coordinator:
a work queue with a count per stage. Each item names the page where it is done (the template links to it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, load_only

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.assessment.models import Answer, Assessment
from labelapp.core.models import OutboxMessage, OutboxStatus
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels.models import Decision, Label, LabelState
from labelapp.municipalities.models import Municipality
from labelapp.panel import size
from labelapp.panel.models import Clarification, PanelDecision, PanelMember, Review
from labelapp.surveys import services as survey_services

REVIEWING = (ApplicationStatus.IN_REVIEW, ApplicationStatus.CLARIFICATION)


@dataclass
class StaffCycle:
    assessment: Assessment | None = None
    answered: int = 0
    total: int = 0
    application: Application | None = None
    question: Clarification | None = None
    decision: Decision | None = None
    panel_reasons: str = ""
    label: Label | None = None


def staff_cycle(municipality_id: int) -> StaffCycle:
    """The newest self-assessment, application, open question, released decision and label of a municipality."""
    cycle = StaffCycle()
    cycle.assessment = db.session.scalar(
        select(Assessment).where(Assessment.municipality_id == municipality_id)
        .options(db.joinedload(Assessment.round), db.joinedload(Assessment.criteria_version))
        .order_by(Assessment.id.desc()).limit(1))
    if cycle.assessment is not None:
        criteria = criteria_services.load(cycle.assessment.criteria_version)
        cycle.total = sum(1 for _ in criteria.criteria())
        cycle.answered = db.session.scalar(select(func.count(Answer.id)).where(
            Answer.assessment_id == cycle.assessment.id, Answer.level.is_not(None))) or 0
    cycle.application = db.session.scalar(select(Application).where(Application.municipality_id == municipality_id)
                                          .order_by(Application.id.desc()).limit(1))
    if cycle.application is not None:
        cycle.question = db.session.scalar(select(Clarification).where(
            Clarification.application_id == cycle.application.id, Clarification.answered_at.is_(None)))
        row = db.session.execute(
            select(Decision, PanelDecision.reasons)
            .outerjoin(PanelDecision, PanelDecision.application_id == Decision.application_id)
            .where(Decision.application_id == cycle.application.id, Decision.released_at.is_not(None))
            .order_by(Decision.id.desc(), PanelDecision.id.desc()).limit(1)).first()
        if row is not None:
            cycle.decision, cycle.panel_reasons = row[0], row[1] or ""
    cycle.label = db.session.scalar(select(Label).where(Label.municipality_id == municipality_id)
                                    .order_by(Label.id.desc()).limit(1))
    return cycle


@dataclass
class Assignment:
    application: Application
    deadline: dt.date
    is_chair: bool
    state: str  # "not started" | "draft" | "submitted" (shown in words by the template)
    overdue: bool


# What the dashboard's lists show of an application: its id, status and municipality's name; never the score
# snapshot (a JSON document per row) or the other columns.
_LISTED = (load_only(Application.id, Application.status, Application.municipality_id),
           joinedload(Application.municipality).load_only(Municipality.name))


def assignments(user_id: int, today: dt.date) -> list[Assignment]:
    """The assessor's reviews on applications under review, with their state: one query."""
    rows = db.session.execute(
        select(PanelMember, Application, Review.submitted_at, Review.id)
        .join(Application, Application.id == PanelMember.application_id)
        .outerjoin(Review, and_(Review.application_id == Application.id, Review.user_id == user_id,
                                Review.revision == Application.revision))
        .where(PanelMember.user_id == user_id, Application.status.in_(REVIEWING))
        .options(*_LISTED)
        .order_by(PanelMember.deadline, Application.id)).all()
    found = []
    for member, application, submitted_at, review_id in rows:
        state = "submitted" if submitted_at else ("draft" if review_id else "not started")
        found.append(Assignment(application, member.deadline, member.is_chair, state,
                                state != "submitted" and member.deadline < today))
    return found


def _submitted_reviews():
    """Per application under review: panel size and reviews submitted at its current revision (a subquery)."""
    members = (select(func.count(PanelMember.id)).where(PanelMember.application_id == Application.id)
               .correlate(Application).scalar_subquery())
    submitted = (select(func.count(Review.id)).where(Review.application_id == Application.id,
                                                     Review.revision == Application.revision,
                                                     Review.submitted_at.is_not(None))
                 .correlate(Application).scalar_subquery())
    return members, submitted


def consolidations_waiting(chair_id: int | None = None) -> select:
    """Applications under review whose every panel member has submitted (those the user chairs, if given)."""
    members, submitted = _submitted_reviews()
    query = select(Application).where(Application.status == ApplicationStatus.IN_REVIEW, members > 0,
                                      submitted >= members)
    if chair_id is not None:
        query = query.where(Application.panel.any(and_(PanelMember.user_id == chair_id, PanelMember.is_chair)))
    return query


def chair_queue(user_id: int) -> list[Application]:
    return db.session.scalars(consolidations_waiting(user_id).options(*_LISTED).order_by(Application.id)).all()


@dataclass
class Queue:
    to_screen: int
    panels_to_form: int
    panels_to_complete: int
    reviews_overdue: int
    consolidations: int
    decisions: int
    labels_under_review: int
    labels_expiring: int
    failed_mail: int
    staged_imports: int
    newest_staged: str | None = None  # the token of the newest staged import, whose preview page finishes it


def coordinator_queue(today: dt.date) -> Queue:
    """The count of each stage's waiting work: one query of counts, plus the panel-size check (fixed)."""
    def count(entity, *where):
        return select(func.count(entity)).where(*where).scalar_subquery()

    has_members = select(PanelMember.id).where(PanelMember.application_id == Application.id).exists()
    submitted_own = (select(Review.id).where(Review.application_id == PanelMember.application_id,
                                             Review.user_id == PanelMember.user_id,
                                             Review.submitted_at.is_not(None)).exists())
    overdue = (select(func.count(PanelMember.id)).join(Application, Application.id == PanelMember.application_id)
               .where(Application.status == ApplicationStatus.IN_REVIEW, PanelMember.deadline < today,
                      ~submitted_own).scalar_subquery())
    consolidations = select(func.count()).select_from(consolidations_waiting().subquery()).scalar_subquery()
    row = db.session.execute(select(
        count(Application.id, Application.status.in_((ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING))),
        count(Application.id, Application.status == ApplicationStatus.IN_REVIEW, ~has_members),
        overdue,
        consolidations,
        count(Decision.id, Decision.released_at.is_(None)),
        count(Label.id, Label.state == LabelState.UNDER_REVIEW),
        count(Label.id, Label.state == LabelState.EXPIRING),
        count(OutboxMessage.id, OutboxMessage.status == OutboxStatus.FAILED),
    )).one()
    staged = survey_services.staged_imports()
    return Queue(to_screen=row[0], panels_to_form=row[1], panels_to_complete=len(size.short_panels()),
                 reviews_overdue=row[2], consolidations=row[3], decisions=row[4], labels_under_review=row[5],
                 labels_expiring=row[6], failed_mail=row[7], staged_imports=len(staged),
                 newest_staged=staged[0].token if staged else None)


def _panels_to_form(_today: dt.date):
    has_members = select(PanelMember.id).where(PanelMember.application_id == Application.id).exists()
    return select(Application).where(Application.status == ApplicationStatus.IN_REVIEW, ~has_members)


def _reviews_overdue(today: dt.date):
    submitted_own = (select(Review.id).where(Review.application_id == PanelMember.application_id,
                                             Review.user_id == PanelMember.user_id,
                                             Review.submitted_at.is_not(None)).exists())
    late = (select(PanelMember.id).where(PanelMember.application_id == Application.id, PanelMember.deadline < today,
                                         ~submitted_own).exists())
    return select(Application).where(Application.status == ApplicationStatus.IN_REVIEW, late)


# The stages of the coordinator's work queue that a list of applications shows (the others have pages of their
# own: screening, decisions, the registry, the outbox): slug -> (heading, query of its applications).
STAGES = {
    "panels-to-form": (_l("Panels to form"), _panels_to_form),
    "reviews-overdue": (_l("Reviews overdue"), _reviews_overdue),
    "consolidations": (_l("Consolidations waiting for the chair"), lambda _today: consolidations_waiting()),
}


def stage_page(stage: str, today: dt.date, page: int, per_page: int):
    """One page of the applications at ``stage`` (a fixed number of queries), oldest first."""
    _heading, query = STAGES[stage]
    return db.paginate(query(today).options(db.joinedload(Application.municipality)).order_by(Application.id),
                       page=page, per_page=per_page, error_out=False)
