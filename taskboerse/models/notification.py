"""In-app notifications and the email outbox."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class NotificationKind(enum.StrEnum):
    """What happened; the text is rendered in the reader's language when shown."""

    NEW_APPLICATION = "new_application"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    INVITATION = "invitation"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    TASK_CANCELLED = "task_cancelled"
    COMPANY_CLOSED = "company_closed"
    MESSAGE = "message"
    ACCOUNT_DISABLED = "account_disabled"
    # Sent by the background worker (services/reminders.py).
    DEADLINE_SOON = "deadline_soon"
    DEADLINE_TODAY = "deadline_today"
    APPLICANTS_WAITING = "applicants_waiting"
    INVITATION_EXPIRED = "invitation_expired"
    TASK_ALERT = "task_alert"
    # A virksomhedspraktik and its approval (services/placements.py).
    PLACEMENT_AWAITING = "placement_awaiting"
    PLACEMENT_APPROVED = "placement_approved"
    PLACEMENT_DECLINED = "placement_declined"
    HOURS_LOGGED = "hours_logged"
    # Mentoring (params carry the ids: mentor_request_id, mentorship_id, question_id …).
    MENTOR_AWAITING_APPROVAL = "mentor_awaiting_approval"
    MENTOR_APPROVED = "mentor_approved"
    MENTOR_REQUEST = "mentor_request"
    MENTOR_REQUEST_ACCEPTED = "mentor_request_accepted"
    MENTOR_REQUEST_DECLINED = "mentor_request_declined"
    MENTOR_REQUEST_EXPIRED = "mentor_request_expired"
    MENTORSHIP_MESSAGE = "mentorship_message"
    MENTORSHIP_ENDED = "mentorship_ended"
    MENTORSHIP_COMPLETED = "mentorship_completed"  # the agreed period is over (the worker)
    QUESTION_ANSWERED = "question_answered"
    QUESTION_HIDDEN = "question_hidden"


class Notification(db.Model):
    """A message for one user, unread until they open it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind, 30))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), nullable=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), nullable=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Who the notification is about ("X applied"), so erasure finds it by reference.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The user gets this kind in the daily digest: it waits until the digest has taken it
    # (``digested_at``), or until it is read in the app first.
    in_digest: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user = relationship("User", foreign_keys=[user_id])


class OutboxMessage(db.Model):
    """An email waiting to be sent; written in the same transaction as the event it reports."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Set when the message cannot be sent at all (or ran out of attempts): it is skipped.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # No worker takes the message before this: a worker sets it a lease ahead when it claims
    # the message (so a second worker skips it and never sends it twice), and after a relay
    # error it is the back-off before the next attempt.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The notification it reports, so erasure of the person it names can re-render it.
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), nullable=True, index=True
    )
