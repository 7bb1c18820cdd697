from sqlalchemy import select

from labelapp.extensions import db
from labelapp.municipalities.models import Municipality


def by_code(code: str, country: str) -> Municipality | None:
    """Find a municipality by its national code, also when a spreadsheet has dropped leading zeros."""
    code = code.strip()
    found = db.session.scalar(select(Municipality).where(Municipality.country == country, Municipality.code == code))
    if found is not None or not code.isdigit():
        return found
    candidates = db.session.scalars(select(Municipality).where(Municipality.country == country)).all()
    return next((m for m in candidates if m.code.isdigit() and int(m.code) == int(code)), None)
