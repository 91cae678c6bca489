"""Conversations: one thread per task and graduate, between the graduate and the task's
company, from the invitation or the application on; and one per mentorship, between the
mentor and the entrepreneur. A message belongs to exactly one of the two kinds of thread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, utcnow


class Message(db.Model):
    """One message in the thread of (task, graduate). Plain text; erasure empties ``body``
    and sets ``erased_at``."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_thread", "task_id", "jobseeker_id", "created_at"),
        # A graduate's unread count (every page) starts from their own threads.
        Index("ix_messages_jobseeker", "jobseeker_id", "task_id"),
        Index("ix_messages_mentorship", "mentorship_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), nullable=True)
    jobseeker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    mentorship_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=True
    )
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    sender = relationship("User", foreign_keys=[sender_id])


class ThreadRead(db.Model):
    """How far one reader has read a thread, and when they were last emailed about it."""

    __tablename__ = "thread_reads"
    __table_args__ = (
        UniqueConstraint("task_id", "jobseeker_id", "user_id", name="uq_thread_reads_reader"),
        UniqueConstraint("mentorship_id", "user_id", name="uq_thread_reads_mentorship_reader"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), nullable=True)
    jobseeker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    mentorship_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
