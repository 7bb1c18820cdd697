from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from labelapp.extensions import db
from labelapp.municipalities.models import Municipality


def municipality_choices(blank: str | None = None) -> list[SelectChoice]:
    """Choices (id, "name (code)") for a select field, sorted by name; optionally led by a blank choice."""
    rows = db.session.execute(
        select(Municipality.id, Municipality.name, Municipality.code).order_by(Municipality.name)
    ).all()
    choices = [SelectChoice(str(row.id), f"{row.name} ({row.code})") for row in rows]
    return ([SelectChoice("", blank)] if blank is not None else []) + choices
