"""Applications to tasks, invitations, and the references that endorse finished work."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class ApplicationStatus(enum.StrEnum):
    """pending → accepted → completed; pending → rejected; pending/accepted → withdrawn."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


APPLICATION_TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.PENDING: frozenset(
        {ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.ACCEPTED: frozenset(
        {ApplicationStatus.COMPLETED, ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
    ApplicationStatus.COMPLETED: frozenset(),
}


class Application(db.Model):
    """A graduate's application to one task (at most one per task)."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("task_id", "jobseeker_id", name="uq_applications_task_js"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    jobseeker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    motivation: Mapped[str] = mapped_column(Text)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, 20), default=ApplicationStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Kept when an accepted graduate later withdraws, so placements can be counted.
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set when a graduate who withdrew applied again (allowed once, while the task is open).
    reapplied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The start date the owner and the graduate agreed, if any (in the calendar file).
    start_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The graduate's declaration when applying: they have worked for this company before
    # (a virksomhedspraktik there is not allowed; services/placement_rules.py).
    worked_for_company: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )

    task = relationship("Task")
    jobseeker = relationship("User")
    reference: Mapped[Reference | None] = relationship(back_populates="application", uselist=False)
    placement = relationship("Placement", back_populates="application", uselist=False)

    def can_transition_to(self, status: ApplicationStatus) -> bool:
        """True when the application may move from its status to ``status``."""
        return status in APPLICATION_TRANSITIONS[self.status]

    @property
    def shares_contact(self) -> bool:
        """Both sides see each other's contact details: from acceptance on, and still once
        the work is done."""
        return self.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED)

    @property
    def can_reapply(self) -> bool:
        """The graduate withdrew and has not applied again yet: once more is allowed (while
        the task is open)."""
        return self.status == ApplicationStatus.WITHDRAWN and self.reapplied_at is None

    @property
    def reference_confirmed(self) -> bool:
        """The reference counts as confirmed: there is one, and the job centre has verified
        the company that gave it. The one home of this rule: the ranking (in SQL, through
        ``Company.is_verified``), the CV, the profile and every page read it."""
        return self.reference is not None and self.task.company.is_verified

    @property
    def can_withdraw(self) -> bool:
        """The graduate may still withdraw it."""
        return self.can_transition_to(ApplicationStatus.WITHDRAWN)

    @property
    def can_decide(self) -> bool:
        """The owner may accept or reject it: pending, on a task still being worked out."""
        from taskboerse.models.task import DECIDING_STATUSES

        return self.status == ApplicationStatus.PENDING and self.task.status in DECIDING_STATUSES

    @property
    def can_complete(self) -> bool:
        """The owner may mark the work completed: accepted, on a task not yet closed, and not
        a virksomhedspraktik still waiting for the job centre's approval."""
        from taskboerse.models.task import DECIDING_STATUSES

        waiting = self.placement is not None and self.placement.needs_approval
        return (
            self.status == ApplicationStatus.ACCEPTED
            and self.task.status in DECIDING_STATUSES
            and not waiting
        )


class Reference(db.Model):
    """The entrepreneur's reference for completed work: a rating, a text and endorsed skills."""

    __tablename__ = "task_references"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="reference")
    endorsed_skills: Mapped[list[EndorsedSkill]] = relationship(
        back_populates="reference", cascade="all, delete-orphan", order_by="EndorsedSkill.id"
    )


class EndorsedSkill(db.Model):
    """A task skill the entrepreneur confirmed the graduate used: verified experience."""

    __tablename__ = "endorsed_skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference_id: Mapped[int] = mapped_column(
        ForeignKey("task_references.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(120))

    reference: Mapped[Reference] = relationship(back_populates="endorsed_skills")
    skill = relationship("Skill")


class Invitation(db.Model):
    """An entrepreneur's invitation to a graduate to apply for a task."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("task_id", "jobseeker_id", name="uq_invitations_task_js"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    jobseeker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A short personal note from the entrepreneur; it opens the thread with the graduate.
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Set when the invitation went unanswered too long (services/reminders.py).
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    task = relationship("Task")
    jobseeker = relationship("User")
