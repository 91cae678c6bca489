"""Follow-up: transparent flag rules, the facts they read, and loading many graduates in a
fixed number of queries. ``compute_flags`` is a pure function of facts, time and thresholds
(unit-testable without an app); the words for each flag live in ``taskboerse/labels.py``."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import Select, select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    CaseAssignment,
    CaseOutcome,
    Consent,
    JobseekerProfile,
    Role,
    Task,
    User,
)
from taskboerse.services import clock


class FlagCode(enum.StrEnum):
    """The follow-up rules. Each is a plain rule with a threshold in the config."""

    INACTIVE = "inactive"
    REJECTIONS = "rejections"
    NO_APPLICATION = "no_application"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class FlagRules:
    """Thresholds of the follow-up rules (days, or a count)."""

    inactive_days: int = 30
    rejections_in_row: int = 3
    no_application_days: int = 14


def flag_rules() -> FlagRules:
    """The thresholds from the app's config."""
    config = current_app.config
    return FlagRules(
        inactive_days=config["FLAG_INACTIVE_DAYS"],
        rejections_in_row=config["FLAG_REJECTIONS_IN_ROW"],
        no_application_days=config["FLAG_NO_APPLICATION_DAYS"],
    )


@dataclass(frozen=True)
class Flag:
    """A follow-up point and the facts that raised it (days, a date, a task's title)."""

    code: FlagCode
    params: dict = field(default_factory=dict, hash=False, compare=True)

    @property
    def reason(self) -> str:
        """Why it was raised, in the reader's language."""
        from taskboerse.labels import flag_reason

        return flag_reason(self)


@dataclass(frozen=True)
class ApplicationFact:
    """What the flags and statistics need to know about one application."""

    jobseeker_id: int
    task_title: str
    deadline: date
    status: ApplicationStatus
    created_at: datetime
    decided_at: datetime | None
    accepted_at: datetime | None
    completed_at: datetime | None

    @property
    def answered_at(self) -> datetime | None:
        """When the entrepreneur answered (accepted or rejected); None otherwise."""
        if self.status == ApplicationStatus.REJECTED:
            return self.decided_at
        return self.accepted_at


@dataclass
class ActivityFacts:
    """A graduate's dates and applications: the input of the flag rules."""

    registered_at: datetime
    last_active_at: datetime | None
    applications: list[ApplicationFact] = field(default_factory=list)

    @property
    def last_activity(self) -> datetime:
        """The latest login or application event."""
        moments = [self.registered_at]
        if self.last_active_at:
            moments.append(self.last_active_at)
        for a in self.applications:
            moments.append(a.created_at)
            if a.completed_at:
                moments.append(a.completed_at)
        return max(moments)


def compute_flags(facts: ActivityFacts, now: datetime, rules: FlagRules) -> list[Flag]:
    """The follow-up flags for one graduate, each with the facts behind it. No score, no
    weights, no wording (``taskboerse.labels.flag_reason`` words them for the reader)."""
    flags: list[Flag] = []
    idle = (now - facts.last_activity).days
    if idle >= rules.inactive_days:
        flags.append(Flag(FlagCode.INACTIVE, {"days": idle, "date": facts.last_activity}))
    answered = sorted(
        (a for a in facts.applications if a.answered_at is not None),
        key=lambda a: a.answered_at,
        reverse=True,
    )
    latest = answered[: rules.rejections_in_row]
    if len(latest) == rules.rejections_in_row and all(
        a.status == ApplicationStatus.REJECTED for a in latest
    ):
        flags.append(Flag(FlagCode.REJECTIONS, {"n": len(latest)}))
    registered_days = (now - facts.registered_at).days
    if not facts.applications and registered_days >= rules.no_application_days:
        flags.append(Flag(FlagCode.NO_APPLICATION, {"days": registered_days}))
    for a in facts.applications:
        if a.status == ApplicationStatus.ACCEPTED and a.deadline < now.date():
            flags.append(Flag(FlagCode.OVERDUE, {"task": a.task_title, "date": a.deadline}))
    return flags


def now_utc() -> datetime:
    """The current time (a function so tests can freeze it)."""
    return clock.now()


# --- loading many graduates in a fixed number of queries --------------------------------


def caseload_ids(caseworker_id: int) -> Select:
    """Ids of the graduates assigned to the caseworker who consent (a subquery)."""
    return (
        select(CaseAssignment.jobseeker_id)
        .join(Consent, Consent.jobseeker_id == CaseAssignment.jobseeker_id)
        .where(CaseAssignment.caseworker_id == caseworker_id, Consent.shared.is_(True))
    )


def consenting_ids() -> Select:
    """Ids of every graduate who consents (the job centre's statistics population)."""
    return select(Consent.jobseeker_id).where(Consent.shared.is_(True))


@dataclass
class GraduateRecord:
    """A graduate with profile, outcome and application facts, loaded in bulk."""

    user: User
    profile: JobseekerProfile | None
    outcome: CaseOutcome | None
    facts: ActivityFacts


def load_people(ids: Select) -> list[GraduateRecord]:
    """The graduates whose ids ``ids`` selects: two queries, whatever their number."""
    rows = db.session.execute(
        select(User, JobseekerProfile, CaseOutcome)
        .outerjoin(JobseekerProfile, JobseekerProfile.user_id == User.id)
        .outerjoin(CaseOutcome, CaseOutcome.jobseeker_id == User.id)
        .where(User.id.in_(ids), User.role == Role.JOBSEEKER)
        .order_by(User.name, User.id)
    ).all()
    facts = db.session.execute(
        select(
            Application.jobseeker_id,
            Task.title,
            Task.deadline,
            Application.status,
            Application.created_at,
            Application.decided_at,
            Application.accepted_at,
            Application.completed_at,
        )
        .join(Task, Task.id == Application.task_id)
        .where(Application.jobseeker_id.in_(ids))
    ).all()
    by_person: dict[int, list[ApplicationFact]] = {}
    for row in facts:
        by_person.setdefault(row[0], []).append(ApplicationFact(*row))
    return [
        GraduateRecord(
            user=user,
            profile=profile,
            outcome=outcome,
            facts=ActivityFacts(user.created_at, user.last_active_at, by_person.get(user.id, [])),
        )
        for user, profile, outcome in rows
    ]


def education_of(profile: JobseekerProfile | None) -> str:
    """The education as written in the profile ("" when not given)."""
    if profile is None:
        return ""
    return profile.field.strip()


def own_flags(user: User) -> list[Flag]:
    """The same follow-up flags the job centre sees, for the graduate's own page."""
    if user.role != Role.JOBSEEKER:
        return []
    person = load_people(select(User.id).where(User.id == user.id))
    if not person:
        return []
    return compute_flags(person[0].facts, now_utc(), flag_rules())
