"""Imports every model so that the metadata (and Alembic's autogenerate) sees all tables."""

from labelapp.auth.models import AssessorTie, AuthToken, LoginAttempt, User  # noqa: F401
from labelapp.core.models import AuditEntry, OutboxMessage  # noqa: F401
from labelapp.municipalities.models import Municipality  # noqa: F401
