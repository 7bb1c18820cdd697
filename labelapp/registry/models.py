"""The registry's change marker: one row that database triggers move on every change to labels or
municipalities, so that every worker process can tell at the cost of one tiny query whether what it cached
for the registry is still true."""


import datetime as dt

from sqlalchemy.orm import Mapped, mapped_column

from labelapp.core.types import UTCDateTime
from labelapp.extensions import db


class RegistryChange(db.Model):
    __tablename__ = "registry_change"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    counter: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
