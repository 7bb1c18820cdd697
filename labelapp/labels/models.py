"""Decisions on applications, the labels they create, and appeals."""


import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint, desc
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.applications.models import Application
from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.labels.states import LabelState
from labelapp.municipalities.models import Municipality


class Decision(db.Model):
    """The coordinator's decision. Pending until released together with the others (after the e-mails
    have been looked at); releasing it moves the application and creates the label."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # award | decline
    reasons: Mapped[str] = mapped_column(Text, default="")
    overrides_panel: Mapped[bool] = mapped_column(default=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)

    application: Mapped[Application] = relationship()


class Label(db.Model):
    __tablename__ = "label"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # random: cannot be guessed
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    criteria_version_id: Mapped[int] = mapped_column(ForeignKey("criteria_version.id"))
    level: Mapped[str | None] = mapped_column(String(64), index=True)
    awarded_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[LabelState] = mapped_column(enum_column(LabelState, name="label_state"), index=True)
    state_reason: Mapped[str] = mapped_column(Text, default="")
    # An automatic reason as a code and its numbers ({"code": "survey_below_threshold", ...}), worded when read
    # (labels/wording.py: reason); state_reason then holds its Estonian wording for the open data and the audit.
    state_reason_data: Mapped[dict | None] = mapped_column(JSON)
    state_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    previous_label_id: Mapped[int | None] = mapped_column(ForeignKey("label.id"))  # the earlier cycle
    # Its position in the registry's Bitstring Status Lists (W3C), named in every credential issued for it.
    # Always set (create_label); nullable only so that migration 0018 need not copy the table on SQLite.
    status_index: Mapped[int | None] = mapped_column(unique=True, index=True)
    # The registry's sort keys, kept by database triggers (migration 0024) so that every order the registry
    # offers is an index scan with LIMIT: the municipality's name, and the state's place (current holders first).
    sort_name: Mapped[str | None] = mapped_column(String(120))
    state_rank: Mapped[int | None] = mapped_column(SmallInteger)

    municipality: Mapped[Municipality] = relationship()
    criteria_version: Mapped[CriteriaVersion] = relationship()
    application: Mapped[Application] = relationship()

    # One index per registry order (registry/queries.py SORTS), on all its keys in their directions (0025).
    __table_args__ = (
        Index("ix_label_registry_status", "state_rank", "sort_name", "id"),
        Index("ix_label_registry_name", "sort_name", desc("awarded_on"), "id"),
        Index("ix_label_registry_awarded", desc("awarded_on"), "sort_name", "id"),
        Index("ix_label_registry_valid_until", desc("valid_until"), "sort_name", "id"),
        # The feed's latest revocations and expiries, each state's newest first (0026).
        Index("ix_label_state_changes", "state", desc("state_changed_at"), desc("id")),
        # A filter by status (and year, county or search) is a range of this index, its count read from it (0027).
        Index("ix_label_registry_filter", "state_rank", "state", "awarded_on", "municipality_id"),
    )


class LabelReminder(db.Model):
    """A renewal reminder sent for a label at a given number of days before expiry (at most once)."""

    __tablename__ = "label_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("label.id", ondelete="CASCADE"), index=True)
    days_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("label_id", "days_before", name="uq_label_reminder_label_id"),)


class Appeal(db.Model):
    """A declined municipality's one appeal, and how the coordinator handled it."""

    __tablename__ = "appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    statement: Mapped[str] = mapped_column(Text)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    earlier_assessors: Mapped[list] = mapped_column(JSON, default=list)  # never on the appeal's panel
