import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labelapp.core.models import enum_column
from labelapp.core.types import UTCDateTime, utcnow
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality


class Role(enum.StrEnum):
    STAFF = "staff"
    ASSESSOR = "assessor"
    COORDINATOR = "coordinator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.STAFF: _l("Municipal staff"),
    Role.ASSESSOR: _l("Assessor"),
    Role.COORDINATOR: _l("Coordinator"),
}


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, name="user_role"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    # None until an invited person sets their password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie: raising it ends every session of the user (logout, disable, reset).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Second factor (RFC 6238 TOTP): the shared secret once confirmed, encrypted with the instance's secrets
    # key (core.keys.seal; read it with second_factor.secret_of), and the newest time step accepted (a code is
    # good once). Required for coordinators and assessors, optional for staff.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column()

    municipality: Mapped[Municipality | None] = relationship()
    ties: Mapped[list["AssessorTie"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="AssessorTie.id"
    )

    __table_args__ = (
        # Staff belong to exactly one municipality; nobody else belongs to one.
        CheckConstraint(
            "(role = 'staff' AND municipality_id IS NOT NULL) OR (role <> 'staff' AND municipality_id IS NULL)",
            name="staff_has_municipality",
        ),
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active and self.password_hash is not None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; stored as a SHA-256 (codes are random)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TieKind(enum.StrEnum):
    WORKS_FOR = "works_for"
    LIVES_IN = "lives_in"
    ADVISED = "advised"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(TIE_LABELS[self])


TIE_LABELS = {
    TieKind.WORKS_FOR: _l("Works for"),
    TieKind.LIVES_IN: _l("Lives in"),
    TieKind.ADVISED: _l("Has advised"),
    TieKind.OTHER: _l("Other tie"),
}


class AssessorTie(db.Model):
    """An assessor's declared tie to a municipality; the panel step treats each as a conflict of interest, also
    while its removal waits for a coordinator."""

    __tablename__ = "assessor_tie"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    kind: Mapped[TieKind] = mapped_column(enum_column(TieKind, name="tie_kind"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the assessor asked to remove the tie while the municipality had an application being assessed:
    # the tie stays, and still counts as a conflict, until a coordinator confirms or refuses (``ties``).
    removal_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="ties")
    municipality: Mapped[Municipality] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "municipality_id", "kind", name="uq_assessor_tie_user_id"),)


class TokenPurpose(enum.StrEnum):
    INVITE = "invite"
    RESET = "reset"


class AuthToken(db.Model):
    """A single-use, expiring e-mailed token. Only its SHA-256 is stored."""

    __tablename__ = "auth_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, name="token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class AttemptOutcome(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    THROTTLED = "throttled"  # refused unchecked; does not extend the lock


class LoginAttempt(db.Model):
    """Login attempts, in the database so that throttling holds across worker processes."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    email: Mapped[str] = mapped_column(String(255))
    client: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[AttemptOutcome] = mapped_column(enum_column(AttemptOutcome, name="attempt_outcome"))

    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "at"),
        Index("ix_login_attempt_client_at", "client", "at"),
    )


class ResetRequest(db.Model):
    """A "forgot password" request, stored the same way whether or not the address has an account; the token
    and the e-mail are made after the response is sent (``resets.handle_pending``)."""

    __tablename__ = "reset_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    email: Mapped[str] = mapped_column(String(255))
    client: Mapped[str] = mapped_column(String(64))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mailed: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_reset_request_email_at", "email", "at"),
        Index("ix_reset_request_client_at", "client", "at"),
    )
