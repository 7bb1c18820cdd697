import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.criteria.models import CriteriaVersion, Round
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Assessment(db.Model):
    """One municipality's self-assessment in one round, pinned to that round's criteria version forever."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("application_round.id"), index=True)
    criteria_version_id: Mapped[int] = mapped_column(ForeignKey("criteria_version.id"))
    status: Mapped[AssessmentStatus] = mapped_column(enum_column(AssessmentStatus, name="assessment_status"))
    # Raised by every save; a save that names an older value is refused (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, default=1)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    municipality: Mapped[Municipality] = relationship()
    round: Mapped[Round] = relationship()
    criteria_version: Mapped[CriteriaVersion] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    evidence: Mapped[list["Evidence"]] = relationship(back_populates="assessment", cascade="all, delete-orphan",
                                                      order_by="Evidence.id")

    __table_args__ = (UniqueConstraint("municipality_id", "round_id", name="uq_assessment_municipality_id"),)


class Answer(db.Model):
    __tablename__ = "assessment_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id", name="uq_assessment_answer_assessment_id"),)


class EvidenceKind(enum.StrEnum):
    LINK = "link"
    FILE = "file"


class Evidence(db.Model):
    """A link or an uploaded file supporting one criterion's answer. Files live under instance/, randomly named."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind, name="evidence_kind"))
    title: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(2000))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(127))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="evidence")
