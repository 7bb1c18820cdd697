import unicodedata

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from labelapp.extensions import db


class Municipality(db.Model):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    code: Mapped[str] = mapped_column(String(16))  # national code as text: EHAK keeps its leading zero
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(120), index=True)  # county in Estonia
    kind: Mapped[str] = mapped_column(String(32))  # "linn" / "vald" in Estonia; free text elsewhere

    # The name as searched: without accents, case folded (searchable()), so that "parnu" finds "Pärnu linn";
    # kept by the name's validator, indexed (migration 0024).
    search_name: Mapped[str] = mapped_column(String(120), default="", server_default="", index=True)

    __table_args__ = (UniqueConstraint("country", "code", name="uq_municipality_country_code"),)

    @validates("name")
    def _keep_search_name(self, _key: str, name: str) -> str:
        self.search_name = searchable(name)
        return name

    def __str__(self) -> str:
        return self.name


def searchable(text: str) -> str:
    """``text`` as the registry search compares it: compatibility-decomposed (NFKD), combining marks removed,
    case folded. "Pärnu" → "parnu", "ÕISMÄE" → "oismae"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
