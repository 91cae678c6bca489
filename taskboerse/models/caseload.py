"""The job centre's follow-up: consent, caseworker assignments, notes, outcomes, access log."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class Consent(db.Model):
    """The graduate's choice to share their activity with the job centre (default: not)."""

    __tablename__ = "jobcentre_consents"

    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseAssignment(db.Model):
    """Which caseworker follows a graduate (at most one). Access also needs consent."""

    __tablename__ = "case_assignments"

    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    caseworker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    jobseeker = relationship("User", foreign_keys=[jobseeker_id])
    caseworker = relationship("User", foreign_keys=[caseworker_id])


class CaseNote(db.Model):
    """A caseworker's note about a graduate; read by the job centre only."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User", foreign_keys=[author_id])


class OutcomeStatus(enum.StrEnum):
    """Where the graduate went after the task exchange."""

    EMPLOYED = "employed"
    IN_EDUCATION = "in_education"
    OTHER = "other"


class CaseOutcome(db.Model):
    """The outcome the caseworker records for a graduate (the latest one counts)."""

    __tablename__ = "case_outcomes"

    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[OutcomeStatus] = mapped_column(enum_column(OutcomeStatus, 20))
    outcome_date: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AccessAction(enum.StrEnum):
    """What a caseworker or admin did with a graduate's data."""

    VIEW_CASELOAD = "view_caseload"
    VIEW_PERSON = "view_person"
    VIEW_SUMMARY = "view_summary"
    EXPORT_CASELOAD = "export_caseload"
    EXPORT_PLACEMENTS = "export_placements"
    # A virksomhedspraktik's approval (services/placements.py): the job centre's public task.
    VIEW_PLACEMENT = "view_placement"
    VIEW_PLACEMENT_QUEUE = "view_placement_queue"
    APPROVE_PLACEMENT = "approve_placement"
    DECLINE_PLACEMENT = "decline_placement"
    EXPORT_PLAN = "export_plan"
    # The mentor programme (business-service staff and admins).
    VIEW_MENTOR = "view_mentor"
    APPROVE_MENTOR = "approve_mentor"
    VIEW_MENTOR_NEED = "view_mentor_need"
    VIEW_MENTORSHIP = "view_mentorship"
    VIEW_PROGRAMME = "view_programme"
    EXPORT_PROGRAMME = "export_programme"
    HIDE_QUESTION = "hide_question"
    VIEW_QUESTION = "view_question"


class AccessPurpose(enum.StrEnum):
    """Why the data was used; shown to the graduate."""

    FOLLOW_UP = "follow_up"
    CASE_FILE = "case_file"
    MEETING = "meeting"
    PLACEMENT_APPROVAL = "placement_approval"
    MENTOR_PROGRAMME = "mentor_programme"


class AccessLogEntry(db.Model):
    """One view or export of a graduate's data: who, what, when and why."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[AccessAction] = mapped_column(enum_column(AccessAction, 30))
    purpose: Mapped[AccessPurpose] = mapped_column(enum_column(AccessPurpose, 30))
    via: Mapped[str] = mapped_column(String(10), default="web")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor = relationship("User", foreign_keys=[actor_id])
    jobseeker = relationship("User", foreign_keys=[jobseeker_id])
