import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality


class SurveyWave(db.Model):
    """One imported survey wave with its provenance. A corrected import supersedes it; both stay."""

    __tablename__ = "survey_wave"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(Text, default="")
    shape: Mapped[str] = mapped_column(String(16))  # aggregated | respondents
    origin: Mapped[str] = mapped_column(String(2000))  # file name or URL
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    # Rows read, used and excluded by reason (analysis.Report.accounting); {} for waves imported before.
    accounting: Mapped[dict | None] = mapped_column(JSON, default=dict)
    min_sample: Mapped[int] = mapped_column(Integer)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    imported_by_label: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("survey_wave.id"))

    results: Mapped[list["SurveyResult"]] = relationship(back_populates="wave", cascade="all, delete-orphan")

    @property
    def current(self) -> bool:
        return self.superseded_by_id is None


class SurveyResult(db.Model):
    __tablename__ = "survey_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_wave.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)  # share satisfied among those with an opinion, %
    n: Mapped[int] = mapped_column(Integer)  # respondents with an opinion (unweighted)
    n_effective: Mapped[float] = mapped_column(Float)
    ci_low: Mapped[float] = mapped_column(Float)
    ci_high: Mapped[float] = mapped_column(Float)
    flag: Mapped[str] = mapped_column(String(16))  # ok | insufficient
    subgroups: Mapped[dict] = mapped_column(JSON, default=dict)

    wave: Mapped[SurveyWave] = relationship(back_populates="results")
    municipality: Mapped[Municipality] = relationship()

    __table_args__ = (UniqueConstraint("wave_id", "municipality_id", "indicator", name="uq_survey_result_wave_id"),)


class SurveyProfile(db.Model):
    """A confirmed column mapping kept under a name (e.g. the data provider and year), applied to a later file
    whose headers are the same."""

    __tablename__ = "survey_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    headers: Mapped[list] = mapped_column(JSON)  # the file's non-empty headers, in order
    headers_key: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the headers: finds the profile
    mapping: Mapped[dict] = mapped_column(JSON)  # header -> role ("" = not used)
    saved_by_label: Mapped[str] = mapped_column(String(255))
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
