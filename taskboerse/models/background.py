"""What the background worker reads and writes: saved searches and the alerts sent from them,
notification preferences, reminders already sent, and jobs that failed for good."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class AlertFrequency(enum.StrEnum):
    """How often a saved search sends the tasks that newly match it."""

    NONE = "none"
    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"


class SavedSearchKind(enum.StrEnum):
    """A search the graduate saved, or the one "new tasks that fit you" alert per graduate
    (the recommendations above a relevance threshold)."""

    SEARCH = "search"
    RECOMMENDED = "recommended"


class SavedSearch(db.Model):
    """A graduate's named search (the filters of the task list) and its alert frequency."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SavedSearchKind] = mapped_column(
        enum_column(SavedSearchKind, 12), default=SavedSearchKind.SEARCH
    )
    name: Mapped[str] = mapped_column(String(80))
    q: Mapped[str] = mapped_column(String(200), default="")
    skill_id: Mapped[int | None] = mapped_column(
        ForeignKey("skills.id", ondelete="SET NULL"), nullable=True
    )
    within_km: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    remote: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # Only tasks of this form (praktik, paid, voluntary); None for every form.
    form: Mapped[str | None] = mapped_column(String(20), nullable=True)
    frequency: Mapped[AlertFrequency] = mapped_column(
        enum_column(AlertFrequency, 10), default=AlertFrequency.DAILY, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The last time the worker looked for new matches, and the last time it sent some.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user = relationship("User")
    skill = relationship("Skill")


class TaskAlert(db.Model):
    """One task sent to one graduate by an alert: each task is alerted to a person once,
    whichever of their searches found it."""

    __tablename__ = "task_alerts"
    __table_args__ = (UniqueConstraint("user_id", "task_id", name="uq_task_alerts_user_task"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    saved_search_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NotificationCategory(enum.StrEnum):
    """The kinds of notification a user chooses a channel for."""

    APPLICATIONS = "applications"  # application status: new applicant, accepted, rejected …
    MESSAGES = "messages"
    INVITATIONS = "invitations"
    ALERTS = "alerts"  # saved-search and "fits you" alerts
    REMINDERS = "reminders"  # deadlines, unanswered applicants, expired invitations


class Channel(enum.StrEnum):
    """Where a notification goes besides the in-app list."""

    IN_APP = "in_app"  # the notification list only
    EMAIL = "email"  # an email at once
    DIGEST = "digest"  # one email a day with everything since the last


class NotificationPreference(db.Model):
    """A user's channel for one category; a missing row means the default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "category", name="uq_notification_preferences_user_cat"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[NotificationCategory] = mapped_column(enum_column(NotificationCategory, 20))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 10))


class SentReminder(db.Model):
    """A reminder (or an expiry notice) already sent, under a key naming what it was about:
    the worker may run the same check any number of times and sends each one once."""

    __tablename__ = "sent_reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JobFailure(db.Model):
    """A background job that failed after its last retry: kept so nothing is lost silently
    (the admin sees them; the job can be run again)."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(120), index=True)
    args: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
