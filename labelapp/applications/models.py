"""The application: a submitted self-assessment put forward for the label."""


import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.applications.states import ApplicationStatus
from labelapp.assessment.models import Assessment
from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
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
    # ``panel`` (its PanelMember rows) is added by labelapp.panel.models: the panel builds on the application.


class ApplicationRevision(db.Model):
    """What the panel judges: the self-assessment's answers and evidence as they were at a revision of the
    application (at its submission, and after each clarification answer that added evidence). Never changed."""

    __tablename__ = "application_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict] = mapped_column(JSON)  # criterion id -> {"level": int | None, "comment": str}
    evidence: Mapped[list] = mapped_column(JSON)  # [{"id", "criterion_id", "kind", "title", "url"}, ...]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("application_id", "number", name="uq_application_revision_number"),)
