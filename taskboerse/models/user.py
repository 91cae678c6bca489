"""Users, their roles, and the server-side login sessions that make logout final."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    """What a user is; decides which areas they may use."""

    JOBSEEKER = "jobseeker"
    ENTREPRENEUR = "entrepreneur"
    CASEWORKER = "caseworker"
    ADMIN = "admin"
    # An experienced business person who advises young entrepreneurs (approved before visible).
    MENTOR = "mentor"
    # The municipality's business service (erhvervsservice): follows the mentor programme.
    BUSINESS_STAFF = "business_staff"


SELF_SIGNUP_ROLES = (Role.JOBSEEKER, Role.ENTREPRENEUR, Role.MENTOR)
# Who approves mentors and moderates questions.
MENTOR_PROGRAMME_ROLES = (Role.ADMIN, Role.BUSINESS_STAFF)


class User(UserMixin, db.Model):
    """Anyone who can log in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, 20))
    locale: Mapped[str] = mapped_column(String(5), default="da")
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Retention: when the inactivity warning went out, and when the account was anonymised
    # (erased on request or after the retention period). An anonymised row keeps only its id
    # and role, so entrepreneurs' task histories still add up.
    retention_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Where the account was signed up from, as short keyed hashes (never the address itself),
    # so an admin can see a graduate and an entrepreneur account made by one person.
    signup_source: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # The nonce of the newest password-reset link; a link carrying another one is dead.
    reset_nonce: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The private calendar feed: only the SHA-256 of its secret token is kept (revocable).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    # When the last daily digest went out.
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    company = relationship(
        "Company", back_populates="owner", uselist=False, foreign_keys="Company.owner_id"
    )
    profile = relationship("JobseekerProfile", back_populates="user", uselist=False)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return not self.is_disabled

    def has_role(self, *roles: Role) -> bool:
        """True when the user has one of ``roles``."""
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One browser login. The cookie carries only a random id whose hash is stored here.

    Deleting the row (logout, disabling the user) makes a replayed cookie useless, which a
    signed client-side session alone cannot do.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
