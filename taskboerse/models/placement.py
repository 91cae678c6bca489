"""Placements: the form a task takes under the rules on work while on dagpenge, the placement
an accepted application becomes, the job centre's approval, and the hours worked."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class TaskForm(enum.StrEnum):
    """What a task is in law, for a graduate on dagpenge."""

    PRAKTIK = "praktik"  # virksomhedspraktik (LAB-loven chapter 11): unpaid, job centre approves
    PAID = "paid"  # a paid small job: the graduate reports the hours to the a-kasse
    VOLUNTARY = "voluntary"  # unpaid work for a non-profit association


# The forms whose hours the graduate logs and the company confirms.
HOURS_FORMS = frozenset({TaskForm.PRAKTIK, TaskForm.PAID})


class PlacementStatus(enum.StrEnum):
    """awaiting approval → approved → completed; awaiting → declined; any live one → ended."""

    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"  # the work may go on (paid and voluntary work start here)
    DECLINED = "declined"  # the job centre said no
    ENDED = "ended"  # withdrawn, rejected or cancelled before it was completed
    COMPLETED = "completed"


LIVE_PLACEMENT_STATUSES = frozenset({PlacementStatus.AWAITING_APPROVAL, PlacementStatus.APPROVED})


class Placement(db.Model):
    """The work an accepted application becomes: its form, period, hours a week, purpose,
    and (for a virksomhedspraktik) the job centre's decision."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    jobseeker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    form: Mapped[TaskForm] = mapped_column(enum_column(TaskForm, 20))
    status: Mapped[PlacementStatus] = mapped_column(
        enum_column(PlacementStatus, 20), default=PlacementStatus.APPROVED, index=True
    )
    # The goal written down before a praktik starts (it goes into the graduate's plan).
    purpose: Mapped[str] = mapped_column(Text, default="")
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    hours_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hourly_wage: Mapped[int | None] = mapped_column(Integer, nullable=True)  # DKK, paid jobs
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    application = relationship("Application", back_populates="placement")
    jobseeker = relationship("User", foreign_keys=[jobseeker_id])
    company = relationship("Company")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    hours: Mapped[list[PlacementHours]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="PlacementHours.work_date",
    )

    @property
    def is_praktik(self) -> bool:
        """A virksomhedspraktik (its hours are limited a week)."""
        return self.form == TaskForm.PRAKTIK

    @property
    def needs_approval(self) -> bool:
        """The job centre has still to approve it; the work may not start."""
        return self.status == PlacementStatus.AWAITING_APPROVAL

    @property
    def work_may_go_on(self) -> bool:
        """Approved (or needing no approval) and not ended."""
        return self.status == PlacementStatus.APPROVED

    @property
    def may_log_hours(self) -> bool:
        """The graduate may log hours on it now: a form that logs hours, approved (work under
        way) or completed (late hours), never waiting, declined or ended."""
        return self.logs_hours and self.status in (
            PlacementStatus.APPROVED,
            PlacementStatus.COMPLETED,
        )

    @property
    def logs_hours(self) -> bool:
        """The graduate logs hours on it (paid jobs and praktik)."""
        return self.form in HOURS_FORMS


class PlacementHours(db.Model):
    """Hours a graduate worked on one day of a placement; the company confirms them."""

    __tablename__ = "placement_hours"
    __table_args__ = (UniqueConstraint("placement_id", "work_date", name="uq_placement_hours_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    work_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)  # quarter hours, stored exactly
    note: Mapped[str] = mapped_column(String(200), default="")
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    placement: Mapped[Placement] = relationship(back_populates="hours")

    @property
    def hours(self) -> float:
        """The hours as a number (7.5)."""
        return self.minutes / 60
