import datetime as dt
import enum

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"  # a file only; never stored
    PUBLISHED = "published"
    RETIRED = "retired"


class CriteriaVersion(db.Model):
    """A published criteria file: its hash pins the content, and the content is kept as a snapshot."""

    __tablename__ = "criteria_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    status: Mapped[VersionStatus] = mapped_column(enum_column(VersionStatus, name="version_status"))
    file_path: Mapped[str] = mapped_column(String(255))  # relative to CRITERIA_DIR
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict] = mapped_column(JSON, deferred=True)  # large; loaded only when a file is parsed
    title_et: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("framework", "version", name="uq_criteria_version_framework"),)

    @property
    def label(self) -> str:
        return f"{self.framework} {self.version}"


class RoundStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Round(db.Model):
    """An application round: which criteria version municipalities assess themselves under, and until when."""

    __tablename__ = "application_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_version_id: Mapped[int] = mapped_column(ForeignKey("criteria_version.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus, name="round_status"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    criteria_version: Mapped[CriteriaVersion] = relationship()
