"""The audit log and the e-mail outbox."""


import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db


def enum_column(enum_class: type[enum.Enum], **kwargs: Any) -> Enum:
    """Store an enum by value as a plain string with a CHECK constraint (same on SQLite and PostgreSQL)."""
    return Enum(
        enum_class,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        **kwargs,
    )


# How a row's entry_hash is made: plain SHA-256 (rows from before migration 0012), or HMAC-SHA256 with the chain
# key kept in the instance folder (labelapp.core.keys), which someone with only database access does not have.
CHAIN_UNKEYED = 1
CHAIN_KEYED = 2


class AuditEntry(db.Model):
    """One state change: who did what to which object, with the values before and after.

    Append-only: database triggers refuse UPDATE and DELETE (migration 0010) and inserts out of sequence
    (0013), and each row carries the keyed hash of its content and of the row before it (0012), so that
    ``flask audit verify`` finds a row changed or added behind the app.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    # Kept as text so the row still names the actor if the account is ever removed.
    actor_label: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    client: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
    chain_version: Mapped[int] = mapped_column(SmallInteger, default=CHAIN_KEYED, server_default=str(CHAIN_UNKEYED))

    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; kept for a person to look at


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    to_address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, name="outbox_status"), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
