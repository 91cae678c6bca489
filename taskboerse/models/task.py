"""Tasks posted by entrepreneurs, and the state machine they move through."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.placement import TaskForm
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class TaskStatus(enum.StrEnum):
    """draft → open → in progress → completed, or cancelled."""

    DRAFT = "draft"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# While a task is in one of these, its owner decides on applications (accept or reject) and
# marks accepted work completed.
DECIDING_STATUSES = frozenset({TaskStatus.OPEN, TaskStatus.IN_PROGRESS})

# Which status each action may start from, and where it leads.
TASK_TRANSITIONS: dict[str, tuple[frozenset[TaskStatus], TaskStatus]] = {
    "publish": (frozenset({TaskStatus.DRAFT}), TaskStatus.OPEN),
    "close": (frozenset({TaskStatus.OPEN}), TaskStatus.IN_PROGRESS),
    "complete": (frozenset({TaskStatus.OPEN, TaskStatus.IN_PROGRESS}), TaskStatus.COMPLETED),
    "cancel": (
        frozenset({TaskStatus.DRAFT, TaskStatus.OPEN, TaskStatus.IN_PROGRESS}),
        TaskStatus.CANCELLED,
    ),
}
EDITABLE_STATUSES = frozenset({TaskStatus.DRAFT, TaskStatus.OPEN})


class Task(db.Model):
    """A small, concrete task (10–40 hours) a company wants solved."""

    __tablename__ = "tasks"
    # Trigram indexes make the free-text search (ILIKE '%word%') an index lookup on
    # PostgreSQL; elsewhere they are plain indexes (migration 0006).
    __table_args__ = (
        Index(
            "ix_tasks_title_trgm",
            "title",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        ),
        Index(
            "ix_tasks_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    learning: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date)
    postcode: Mapped[str | None] = mapped_column(String(4), nullable=True)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    # What the task is for a graduate on dagpenge (services/placement_rules.py).
    form: Mapped[TaskForm] = mapped_column(
        enum_column(TaskForm, 20), default=TaskForm.PRAKTIK, server_default=TaskForm.PRAKTIK.value
    )
    hourly_wage: Mapped[int | None] = mapped_column(Integer, nullable=True)  # DKK, paid jobs
    hours_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)  # praktik
    weeks: Mapped[int | None] = mapped_column(Integer, nullable=True)  # praktik
    # The work uses a higher education: a new graduate's praktik may then last longer.
    uses_degree: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus, 20),
        default=TaskStatus.DRAFT,
        index=True,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    company = relationship("Company")
    skills: Mapped[list[TaskSkill]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskSkill.id"
    )

    @property
    def is_praktik(self) -> bool:
        """A virksomhedspraktik: accepted with a purpose and a start, then approved by the
        job centre before the work starts."""
        return self.form == TaskForm.PRAKTIK

    @property
    def takes_applications(self) -> bool:
        """Graduates may apply (the places themselves are the service's count)."""
        return self.status == TaskStatus.OPEN

    def can(self, action: str) -> bool:
        """True when ``action`` (publish, close, complete, cancel) is allowed from the status."""
        allowed_from, _ = TASK_TRANSITIONS[action]
        return self.status in allowed_from

    @property
    def is_editable(self) -> bool:
        """Only drafts and open tasks may be edited."""
        return self.status in EDITABLE_STATUSES

    @property
    def required_skills(self) -> list[TaskSkill]:
        """The skills a graduate must have."""
        return [s for s in self.skills if s.required]

    @property
    def nice_skills(self) -> list[TaskSkill]:
        """The skills that are nice to have."""
        return [s for s in self.skills if not s.required]


class TaskSkill(db.Model):
    """A skill a task asks for, required or nice to have."""

    __tablename__ = "task_skills"
    __table_args__ = (
        Index(
            "ix_task_skills_label_trgm",
            "label",
            postgresql_using="gin",
            postgresql_ops={"label": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), nullable=True, index=True)
    label: Mapped[str] = mapped_column(String(120))
    required: Mapped[bool] = mapped_column(Boolean, default=True)

    task: Mapped[Task] = relationship(back_populates="skills")
    skill = relationship("Skill")
