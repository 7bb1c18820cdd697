from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from labelapp.extensions import db


class Municipality(db.Model):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    code: Mapped[str] = mapped_column(String(16))  # national code as text: EHAK keeps its leading zero
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(120))  # county in Estonia
    kind: Mapped[str] = mapped_column(String(32))  # "linn" / "vald" in Estonia; free text elsewhere

    __table_args__ = (UniqueConstraint("country", "code", name="uq_municipality_country_code"),)

    def __str__(self) -> str:
        return self.name
