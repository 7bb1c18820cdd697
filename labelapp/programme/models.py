"""The library of good practice: criteria a municipality chose to publish after the panel verified them at the
top level."""


import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.applications.models import Application
from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.programme.states import ExampleState


class GoodExample(db.Model):
    """One criterion of one decided application, published with the municipality's consent. Its description
    and links are copied from the application's revision the panel judged; withdrawing consent hides it at once."""

    __tablename__ = "good_example"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(64), index=True)
    area_id: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[int] = mapped_column()  # the panel-verified level (the criterion's top level)
    description: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list] = mapped_column(JSON, default=list)  # [{"title", "url"}]: the public evidence links
    state: Mapped[ExampleState] = mapped_column(enum_column(ExampleState, name="good_example_state"), index=True)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    municipality: Mapped[Municipality] = relationship()
    application: Mapped[Application] = relationship()
    files: Mapped[list["GoodExampleFile"]] = relationship(cascade="all, delete-orphan", order_by="GoodExampleFile.id")

    __table_args__ = (UniqueConstraint("application_id", "criterion_id", name="uq_good_example_application_id"),)


class GoodExampleFile(db.Model):
    """An uploaded evidence file the municipality marked public for one published example."""

    __tablename__ = "good_example_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    example_id: Mapped[int] = mapped_column(ForeignKey("good_example.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))

    __table_args__ = (UniqueConstraint("example_id", "evidence_id", name="uq_good_example_file_example_id"),)
