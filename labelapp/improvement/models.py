"""Improvement points (one per criterion verified below the top level in a decided application), the actions
the municipality plans for them, and whether it publishes its plan's progress."""


import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.applications.models import Application
from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db
from labelapp.improvement.states import ActionStatus


class ImprovementPoint(db.Model):
    """A criterion the panel verified below its top level, with the panel's comment, at a released decision."""

    __tablename__ = "improvement_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(128))  # stable across criteria versions
    verified_level: Mapped[int] = mapped_column(Integer)
    top_level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship()
    actions: Mapped[list["ImprovementAction"]] = relationship(
        back_populates="point", order_by="ImprovementAction.id", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("application_id", "criterion_id", name="uq_improvement_point_criterion"),)


class ImprovementAction(db.Model):
    """What the municipality will do about a point, who does it, by when, and how far it is."""

    __tablename__ = "improvement_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("improvement_point.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, name="improvement_action_status"),
                                                 default=ActionStatus.PLANNED)
    version: Mapped[int] = mapped_column(Integer, default=1)  # a page left open cannot overwrite a newer edit
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # the one reminder before due_on
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    point: Mapped[ImprovementPoint] = relationship(back_populates="actions")


class PlanPublication(db.Model):
    """The municipality's consent to show its plan's progress on its registry page (no row: not published)."""

    __tablename__ = "improvement_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), unique=True)
    published: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
