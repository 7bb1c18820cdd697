"""The panel's records: members, conflict declarations, reviews, the chair's consolidation, clarifications."""


import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from labelapp.applications.models import Application
from labelapp.auth.models import TieKind, User
from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db


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
    application: Mapped[Application] = relationship(
        backref=backref("panel", cascade="all, delete-orphan", order_by="PanelMember.id"))

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
