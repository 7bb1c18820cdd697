from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.assessment.models import Assessment
from labelapp.auth.models import TieKind, User
from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.review.states import ApplicationStatus
from labelapp.surveys.models import SurveyResult


class Application(db.Model):
    """A submitted self-assessment put forward for the label, with the survey figure in force pinned to it.

    ``snapshot`` holds every score and the inputs it came from, so the numbers can be recomputed and compared.
    """

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), unique=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    criteria_version_id: Mapped[int] = mapped_column(ForeignKey("criteria_version.id"))
    survey_result_id: Mapped[int | None] = mapped_column(ForeignKey("survey_result.id"))
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus, name="application_status"),
                                                      index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    snapshot: Mapped[dict] = mapped_column(JSON)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # The municipality's choice to show its self-assessment in the public registry (scores are always shown).
    publish_details: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    assessment: Mapped[Assessment] = relationship()
    municipality: Mapped[Municipality] = relationship()
    criteria_version: Mapped[CriteriaVersion] = relationship()
    survey_result: Mapped[SurveyResult | None] = relationship()
    panel: Mapped[list[PanelMember]] = relationship(back_populates="application", cascade="all, delete-orphan",
                                                    order_by="PanelMember.id")


class PanelMember(db.Model):
    """An assessor assigned to review an application; one member per panel is its chair."""

    __tablename__ = "panel_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[dt.date] = mapped_column(Date)
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    application: Mapped[Application] = relationship(back_populates="panel")

    __table_args__ = (UniqueConstraint("application_id", "user_id", name="uq_panel_member_application_id"),)


class ConflictDeclaration(db.Model):
    """An assessor's declared conflict of interest with one application (beyond the ties in their profile)."""

    __tablename__ = "conflict_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[TieKind] = mapped_column(enum_column(TieKind, name="conflict_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class Review(db.Model):
    """One assessor's independent review, pinned to the application revision it was written against."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    levels: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id -> {"level": int|None, "comment": str}
    recommendation: Mapped[str] = mapped_column(String(16), default="")  # award | decline | unsure
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("application_id", "user_id", name="uq_review_application_id"),)

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class PanelDecision(db.Model):
    """The chair's consolidation: a panel level and reason per criterion, and the recommendation."""

    __tablename__ = "panel_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One per consolidation: an appeal heard by a new panel adds another; the latest counts.
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    levels: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id -> {"level": int, "reason": str}
    recommendation: Mapped[str] = mapped_column(String(16), default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[dict] = mapped_column(JSON, default=dict)  # scoring engine output on the panel levels
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Clarification(db.Model):
    """A panel question to the municipality and its answer; the review clock stops while it is open."""

    __tablename__ = "clarification"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])


class Appeal(db.Model):
    """A declined municipality's one appeal, and how the coordinator handled it."""

    __tablename__ = "appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    statement: Mapped[str] = mapped_column(Text)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    earlier_assessors: Mapped[list] = mapped_column(JSON, default=list)  # never on the appeal's panel
