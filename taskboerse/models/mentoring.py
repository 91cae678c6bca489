"""Mentoring for young entrepreneurs: mentor profiles (approved before they are visible),
entrepreneurs' mentor needs, requests from a need to a mentor, mentorships with meetings,
private notes and feedback, and the "Spørg en mentor" questions and answers."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class MentorProfile(db.Model):
    """What a mentor tells about themselves; visible to entrepreneurs once approved by an
    admin or business-service staff, and while not paused."""

    __tablename__ = "mentor_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    # One line under the name, e.g. "Tidligere direktør i en eksportvirksomhed".
    headline: Mapped[str] = mapped_column(String(160), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    # Sector codes (the companies' industry groups, services.companies.SECTORS).
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_month: Mapped[int] = mapped_column(Integer, default=4)
    # How many mentees at once.
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    postcode: Mapped[str] = mapped_column(String(4), default="")
    max_distance_km: Mapped[int] = mapped_column(Integer, default=25)
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    user = relationship("User", foreign_keys=[user_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    skills: Mapped[list[MentorSkill]] = relationship(
        back_populates="mentor", cascade="all, delete-orphan", order_by="MentorSkill.id"
    )

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class MentorSkill(db.Model):
    """An area of expertise: a vocabulary skill, or free text kept as typed."""

    __tablename__ = "mentor_skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profiles.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(120))

    mentor: Mapped[MentorProfile] = relationship(back_populates="skills")
    skill = relationship("Skill")


class NeedStatus(enum.StrEnum):
    """Where a mentor need stands."""

    OPEN = "open"  # looking for a mentor (a request may be pending)
    MATCHED = "matched"  # a mentorship came of it
    CLOSED = "closed"  # withdrawn by the entrepreneur


class MentorNeed(db.Model):
    """What an entrepreneur wants a mentor for."""

    __tablename__ = "mentor_needs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entrepreneur_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), nullable=True
    )
    topic: Mapped[str] = mapped_column(String(30))  # services.mentoring.TOPICS
    stage: Mapped[str] = mapped_column(String(20))  # services.mentoring.STAGES
    description: Mapped[str] = mapped_column(Text)
    frequency: Mapped[str] = mapped_column(String(20))  # services.mentoring.FREQUENCIES
    postcode: Mapped[str] = mapped_column(String(4), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus, 20), default=NeedStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    entrepreneur = relationship("User", foreign_keys=[entrepreneur_id])
    company = relationship("Company")
    skills: Mapped[list[MentorNeedSkill]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="MentorNeedSkill.id"
    )
    requests: Mapped[list[MentorRequest]] = relationship(
        back_populates="need", order_by="MentorRequest.id"
    )


class MentorNeedSkill(db.Model):
    """Expertise the entrepreneur wants besides the topic's own."""

    __tablename__ = "mentor_need_skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_needs.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(120))

    need: Mapped[MentorNeed] = relationship(back_populates="skills")
    skill = relationship("Skill")


class RequestStatus(enum.StrEnum):
    """Where a request from a need to a mentor stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # unanswered for MENTOR_REQUEST_DAYS
    WITHDRAWN = "withdrawn"


class MentorRequest(db.Model):
    """An entrepreneur asking one mentor to take on one need, with a message."""

    __tablename__ = "mentor_requests"
    __table_args__ = (Index("ix_mentor_requests_mentor_status", "mentor_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_needs.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, 20), default=RequestStatus.PENDING
    )
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    need: Mapped[MentorNeed] = relationship(back_populates="requests")
    mentor = relationship("User", foreign_keys=[mentor_id])


class MentorshipStatus(enum.StrEnum):
    """Where a mentorship stands."""

    ACTIVE = "active"
    COMPLETED = "completed"  # ended at or after the agreed end, or closed with feedback
    ENDED = "ended"  # ended early by either side


class Outcome(enum.StrEnum):
    """What came of a mentorship, in the entrepreneur's words (one choice)."""

    FUNDING = "funding"
    FIRST_HIRE = "first_hire"
    FIRST_EXPORT = "first_export"
    NEW_CUSTOMERS = "new_customers"
    PLAN = "plan"  # a clearer plan or strategy
    OTHER = "other"
    NOTHING_YET = "nothing_yet"


class Mentorship(db.Model):
    """An accepted request: a mentor and an entrepreneur working on one need."""

    __tablename__ = "mentorships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_requests.id", ondelete="CASCADE"), unique=True
    )
    need_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_needs.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entrepreneur_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[MentorshipStatus] = mapped_column(
        enum_column(MentorshipStatus, 20), default=MentorshipStatus.ACTIVE
    )
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)  # agreed: 4-24 weeks after the start
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, 20), nullable=True)
    outcome_note: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[MentorRequest] = relationship()
    need: Mapped[MentorNeed] = relationship()
    mentor = relationship("User", foreign_keys=[mentor_id])
    entrepreneur = relationship("User", foreign_keys=[entrepreneur_id])
    meetings: Mapped[list[MentorshipMeeting]] = relationship(
        back_populates="mentorship",
        cascade="all, delete-orphan",
        order_by="MentorshipMeeting.held_on",
    )
    feedback: Mapped[list[MentorshipFeedback]] = relationship(
        back_populates="mentorship", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.status == MentorshipStatus.ACTIVE


class MentorshipMeeting(db.Model):
    """A meeting (held or planned) with its shared agenda; notes are private per author."""

    __tablename__ = "mentorship_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorships.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    agenda: Mapped[str] = mapped_column(Text, default="")  # both sides see it
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="meetings")
    notes: Mapped[list[MeetingNote]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class MeetingNote(db.Model):
    """One side's private note on a meeting: only its author ever sees it."""

    __tablename__ = "meeting_notes"
    __table_args__ = (UniqueConstraint("meeting_id", "author_id", name="uq_meeting_notes_author"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship_meetings.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    meeting: Mapped[MentorshipMeeting] = relationship(back_populates="notes")


class MentorshipFeedback(db.Model):
    """One side's feedback at the end: 1-5 and a sentence."""

    __tablename__ = "mentorship_feedback"
    __table_args__ = (
        UniqueConstraint("mentorship_id", "author_id", name="uq_mentorship_feedback_author"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorships.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Which side wrote it ("mentor" or "entrepreneur"), kept when the author is erased.
    side: Mapped[str] = mapped_column(String(20))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="feedback")


class Question(db.Model):
    """A question an entrepreneur puts to the mentor pool ("Spørg en mentor")."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Public: other entrepreneurs can find it once answered. Private: the asker and mentors.
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    author = relationship("User", foreign_keys=[author_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="Answer.id"
    )


class Answer(db.Model):
    """An approved mentor's answer; the asker may mark one as the helpful answer."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    helpful_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question] = relationship(back_populates="answers")
    author = relationship("User", foreign_keys=[author_id])
