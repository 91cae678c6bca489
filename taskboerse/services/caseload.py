"""Job-centre follow-up: consent, caseloads, transparent flags, person files, notes, outcomes.

A caseworker sees a graduate only while the graduate is assigned to them *and* consents to
share their activity. Every view and export of a graduate's data writes an access-log row
(``services/access_log.py``) in the same transaction as the read, so no view goes unlogged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessPurpose,
    Application,
    ApplicationStatus,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Consent,
    JobseekerProfile,
    OutcomeStatus,
    ProfileSkill,
    Reference,
    Role,
    Task,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.access_log import log_access
from taskboerse.services.errors import Forbidden, NotFound, ValidationFailed
from taskboerse.services.tasks import today

MAX_NOTE = 5000


# --- consent -----------------------------------------------------------------------------


def consent_of(user: User) -> Consent | None:
    """The graduate's consent row, or None when they never chose (which means no sharing)."""
    return db.session.get(Consent, user.id)


def shares_with_jobcentre(user: User) -> bool:
    """True while the graduate consents to share their activity with the job centre."""
    consent = consent_of(user)
    return consent is not None and consent.shared


def set_consent(user: User, share: bool) -> Consent:
    """Give or withdraw consent; withdrawal takes effect at once for every caseworker."""
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_l("Only graduates can share their activity with the job centre."))
    consent = consent_of(user)
    if consent is None:
        consent = Consent(jobseeker_id=user.id, shared=share)
        db.session.add(consent)
    elif consent.shared != share:
        consent.shared = share
        consent.changed_at = utcnow()
    db.session.commit()
    return consent


# --- assignments (admin) -------------------------------------------------------------------


def _user_by_email(email: str, role: Role, field_name: str) -> User:
    user = db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()
    if user is None or user.role != role:
        message = {
            Role.CASEWORKER: _l("No caseworker has this email."),
            Role.JOBSEEKER: _l("No graduate has this email."),
        }[role]
        raise ValidationFailed(message, field=field_name)
    return user


def assign_caseworker(caseworker_email: str, jobseeker_email: str) -> CaseAssignment:
    """Make the caseworker follow the graduate (replacing an earlier caseworker)."""
    caseworker = _user_by_email(caseworker_email, Role.CASEWORKER, "caseworker")
    jobseeker = _user_by_email(jobseeker_email, Role.JOBSEEKER, "jobseeker")
    assignment = db.session.get(CaseAssignment, jobseeker.id)
    if assignment is None:
        assignment = CaseAssignment(jobseeker_id=jobseeker.id, caseworker_id=caseworker.id)
        db.session.add(assignment)
    elif assignment.caseworker_id != caseworker.id:
        assignment.caseworker_id = caseworker.id
        assignment.assigned_at = utcnow()
    db.session.commit()
    return assignment


def unassign(jobseeker_id: int) -> None:
    """End the graduate's assignment to a caseworker."""
    assignment = db.session.get(CaseAssignment, jobseeker_id)
    if assignment is None:
        raise NotFound(_l("This graduate has no caseworker."))
    db.session.delete(assignment)
    db.session.commit()


@dataclass(frozen=True)
class AssignmentRow:
    """One line of the admin's assignment list."""

    jobseeker_id: int
    jobseeker_name: str
    jobseeker_email: str
    caseworker_name: str
    caseworker_email: str
    assigned_at: datetime
    consents: bool


def list_assignments() -> list[AssignmentRow]:
    """Every assignment with the graduate's consent state (admin view; one query)."""
    graduate = db.aliased(User)
    caseworker = db.aliased(User)
    rows = db.session.execute(
        select(CaseAssignment, graduate, caseworker, Consent.shared)
        .join(graduate, graduate.id == CaseAssignment.jobseeker_id)
        .join(caseworker, caseworker.id == CaseAssignment.caseworker_id)
        .outerjoin(Consent, Consent.jobseeker_id == CaseAssignment.jobseeker_id)
        .order_by(caseworker.name, graduate.name, graduate.id)
    ).all()
    return [
        AssignmentRow(
            jobseeker_id=g.id,
            jobseeker_name=g.name,
            jobseeker_email=g.email,
            caseworker_name=c.name,
            caseworker_email=c.email,
            assigned_at=a.assigned_at,
            consents=bool(shared),
        )
        for a, g, c, shared in rows
    ]


def caseworkers() -> list[User]:
    """Active caseworkers, by name."""
    return list(
        db.session.execute(
            select(User)
            .where(User.role == Role.CASEWORKER, User.is_disabled.is_(False))
            .order_by(User.name, User.id)
        ).scalars()
    )


# --- flags -----------------------------------------------------------------------------------


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
    """A follow-up point with the reason it was raised, in words."""

    code: FlagCode
    reason: str


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
class PersonFacts:
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


def compute_flags(facts: PersonFacts, now: datetime, rules: FlagRules) -> list[Flag]:
    """The follow-up flags for one graduate, each with its reason. No score, no weights."""
    flags: list[Flag] = []
    idle = (now - facts.last_activity).days
    if idle >= rules.inactive_days:
        flags.append(
            Flag(
                FlagCode.INACTIVE,
                _l(
                    "No activity for %(days)d days (last activity %(date)s).",
                    days=idle,
                    date=format_date(facts.last_activity, "medium"),
                ),
            )
        )
    answered = sorted(
        (a for a in facts.applications if a.answered_at is not None),
        key=lambda a: a.answered_at,
        reverse=True,
    )
    latest = answered[: rules.rejections_in_row]
    if len(latest) == rules.rejections_in_row and all(
        a.status == ApplicationStatus.REJECTED for a in latest
    ):
        flags.append(
            Flag(
                FlagCode.REJECTIONS,
                _l("The last %(n)d answered applications were rejected.", n=len(latest)),
            )
        )
    registered_days = (now - facts.registered_at).days
    if not facts.applications and registered_days >= rules.no_application_days:
        flags.append(
            Flag(
                FlagCode.NO_APPLICATION,
                _l(
                    "Registered %(days)d days ago and has not applied for a task yet.",
                    days=registered_days,
                ),
            )
        )
    for a in facts.applications:
        if a.status == ApplicationStatus.ACCEPTED and a.deadline < now.date():
            flags.append(
                Flag(
                    FlagCode.OVERDUE,
                    _l(
                        "Accepted for “%(task)s” but not completed; the deadline was %(date)s.",
                        task=a.task_title,
                        date=format_date(a.deadline, "medium"),
                    ),
                )
            )
    return flags


def flag_label(code: FlagCode) -> str:
    """The short name of a flag, for filters and table headers."""
    return {
        FlagCode.INACTIVE: _l("No activity"),
        FlagCode.REJECTIONS: _l("Rejections in a row"),
        FlagCode.NO_APPLICATION: _l("Has not applied"),
        FlagCode.OVERDUE: _l("Past the deadline"),
    }[code]


def now_utc() -> datetime:
    """The current time (a function so tests can freeze it)."""
    return datetime.now(UTC)


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
class Person:
    """A graduate with profile, outcome and application facts, loaded in bulk."""

    user: User
    profile: JobseekerProfile | None
    outcome: CaseOutcome | None
    facts: PersonFacts


def load_people(ids: Select) -> list[Person]:
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
        Person(
            user=user,
            profile=profile,
            outcome=outcome,
            facts=PersonFacts(user.created_at, user.last_active_at, by_person.get(user.id, [])),
        )
        for user, profile, outcome in rows
    ]


def education_of(profile: JobseekerProfile | None) -> str:
    """The education as written in the profile ("" when not given)."""
    if profile is None:
        return ""
    return profile.field.strip()


# --- the caseload table -----------------------------------------------------------------------

SORT_KEYS = (
    "name",
    "education",
    "registered",
    "applications",
    "accepted",
    "completed",
    "last_activity",
    "flags",
)


@dataclass(frozen=True)
class CaseloadQuery:
    """Filters and order of the caseload table."""

    q: str = ""
    education: str = ""
    flag: str = ""  # "", "any", "none" or a FlagCode value
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class CaseloadRow:
    """One graduate in the caseload: counts, last activity and flags."""

    jobseeker_id: int
    name: str
    email: str
    education: str
    registered_at: datetime
    days_registered: int
    applications: int
    accepted: int
    completed: int
    last_activity: datetime
    flags: list[Flag]
    outcome: OutcomeStatus | None
    outcome_date: date | None


def _row(person: Person, now: datetime, rules: FlagRules) -> CaseloadRow:
    apps = person.facts.applications
    return CaseloadRow(
        jobseeker_id=person.user.id,
        name=person.user.name,
        email=person.user.email,
        education=education_of(person.profile),
        registered_at=person.user.created_at,
        days_registered=(now - person.user.created_at).days,
        applications=len(apps),
        accepted=sum(1 for a in apps if a.accepted_at is not None),
        completed=sum(1 for a in apps if a.status == ApplicationStatus.COMPLETED),
        last_activity=person.facts.last_activity,
        flags=compute_flags(person.facts, now, rules),
        outcome=person.outcome.status if person.outcome else None,
        outcome_date=person.outcome.outcome_date if person.outcome else None,
    )


def _matches(row: CaseloadRow, query: CaseloadQuery) -> bool:
    needle = query.q.strip().casefold()
    if needle and needle not in row.name.casefold() and needle not in row.email.casefold():
        return False
    education = query.education.strip().casefold()
    if education and education not in row.education.casefold():
        return False
    codes = {f.code.value for f in row.flags}
    if query.flag == "any":
        return bool(codes)
    if query.flag == "none":
        return not codes
    return not query.flag or query.flag in codes


def _sort_key(sort: str):
    keys = {
        "name": lambda r: (r.name.casefold(), r.jobseeker_id),
        "education": lambda r: (r.education.casefold(), r.name.casefold()),
        "registered": lambda r: (r.registered_at, r.jobseeker_id),
        "applications": lambda r: (r.applications, r.name.casefold()),
        "accepted": lambda r: (r.accepted, r.name.casefold()),
        "completed": lambda r: (r.completed, r.name.casefold()),
        "last_activity": lambda r: (r.last_activity, r.jobseeker_id),
        "flags": lambda r: (len(r.flags), r.name.casefold()),
    }
    return keys[sort]


def _require_caseworker(actor: User) -> None:
    if actor.role != Role.CASEWORKER:
        raise Forbidden(_l("Only caseworkers have a caseload."))


def caseload_rows(actor: User, query: CaseloadQuery | None = None) -> list[CaseloadRow]:
    """The caseworker's consenting graduates, filtered and sorted (no access logged)."""
    _require_caseworker(actor)
    query = query or CaseloadQuery()
    if query.sort not in SORT_KEYS:
        raise ValidationFailed(_l("Unknown sort order."), field="sort")
    if query.flag not in ("", "any", "none", *(c.value for c in FlagCode)):
        raise ValidationFailed(_l("Unknown flag."), field="flag")
    now, rules = now_utc(), flag_rules()
    rows = [_row(p, now, rules) for p in load_people(caseload_ids(actor.id))]
    rows = [r for r in rows if _matches(r, query)]
    rows.sort(key=_sort_key(query.sort), reverse=query.descending)
    return rows


def view_caseload(
    actor: User,
    query: CaseloadQuery | None = None,
    action: AccessAction = AccessAction.VIEW_CASELOAD,
    purpose: AccessPurpose = AccessPurpose.FOLLOW_UP,
    via: str = "web",
) -> list[CaseloadRow]:
    """The caseload as shown or exported; logs one access per graduate in it."""
    rows = caseload_rows(actor, query)
    log_access(actor, [r.jobseeker_id for r in rows], action, purpose, via)
    db.session.commit()
    return rows


# --- one graduate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One application's way through the pipeline: applied → accepted → completed."""

    application_id: int
    task_title: str
    company_name: str
    status: ApplicationStatus
    applied_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None  # rejected or withdrawn
    completed_at: datetime | None
    deadline: date
    rating: int | None
    reference: str | None
    endorsed_skills: list[str]
    company_verified: bool = False  # only then do the skills count as confirmed


@dataclass(frozen=True)
class PersonFile:
    """What the caseworker sees about one graduate."""

    user: User
    profile: JobseekerProfile | None
    skills: list[str]
    timeline: list[TimelineEntry]
    flags: list[Flag]
    notes: list[CaseNote]
    outcome: CaseOutcome | None
    consent_since: datetime
    row: CaseloadRow


def _member(actor: User, jobseeker_id: int) -> tuple[User, Consent]:
    """The graduate when they are in the actor's caseload and consent; else 404."""
    _require_caseworker(actor)
    found = db.session.execute(
        select(User, Consent)
        .join(CaseAssignment, CaseAssignment.jobseeker_id == User.id)
        .join(Consent, Consent.jobseeker_id == User.id)
        .where(
            User.id == jobseeker_id,
            User.role == Role.JOBSEEKER,
            CaseAssignment.caseworker_id == actor.id,
            Consent.shared.is_(True),
        )
    ).first()
    if found is None:
        raise NotFound(_l("No such graduate in your caseload."))
    return found[0], found[1]


def _timeline(jobseeker_id: int) -> list[TimelineEntry]:
    applications = db.session.execute(
        select(Application)
        .where(Application.jobseeker_id == jobseeker_id)
        .options(
            selectinload(Application.task).selectinload(Task.company),
            selectinload(Application.reference).selectinload(Reference.endorsed_skills),
        )
        .order_by(Application.created_at.desc(), Application.id.desc())
    ).scalars()
    entries = []
    for a in applications:
        ended = a.status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
        entries.append(
            TimelineEntry(
                application_id=a.id,
                task_title=a.task.title,
                company_name=a.task.company.name,
                status=a.status,
                applied_at=a.created_at,
                accepted_at=a.accepted_at,
                ended_at=a.decided_at if ended else None,
                completed_at=a.completed_at,
                deadline=a.task.deadline,
                rating=a.reference.rating if a.reference else None,
                reference=a.reference.text if a.reference else None,
                endorsed_skills=[s.label for s in a.reference.endorsed_skills]
                if a.reference
                else [],
                company_verified=a.task.company.is_verified,
            )
        )
    return entries


def person_file(
    actor: User,
    jobseeker_id: int,
    purpose: AccessPurpose = AccessPurpose.FOLLOW_UP,
    via: str = "web",
) -> PersonFile:
    """One graduate's timeline, flags, notes and outcome; the view is logged."""
    user, consent = _member(actor, jobseeker_id)
    person = load_people(select(User.id).where(User.id == user.id))[0]
    row = _row(person, now_utc(), flag_rules())
    profile = db.session.execute(
        select(JobseekerProfile)
        .where(JobseekerProfile.user_id == user.id)
        .options(selectinload(JobseekerProfile.skills).selectinload(ProfileSkill.skill))
    ).scalar_one_or_none()
    notes = list(
        db.session.execute(
            select(CaseNote)
            .where(CaseNote.jobseeker_id == user.id)
            .options(selectinload(CaseNote.author))
            .order_by(CaseNote.created_at.desc(), CaseNote.id.desc())
        ).scalars()
    )
    log_access(actor, [user.id], AccessAction.VIEW_PERSON, purpose, via)
    db.session.commit()
    return PersonFile(
        user=user,
        profile=profile,
        skills=[s.label for s in profile.skills] if profile else [],
        timeline=_timeline(user.id),
        flags=row.flags,
        notes=notes,
        outcome=person.outcome,
        consent_since=consent.changed_at,
        row=row,
    )


def add_note(actor: User, jobseeker_id: int, text: str) -> CaseNote:
    """Add a note to the graduate's file (read by the job centre only)."""
    _member(actor, jobseeker_id)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_l("Write a note."), field="text")
    if len(text) > MAX_NOTE:
        raise ValidationFailed(
            _l("A note can be at most %(n)d characters.", n=MAX_NOTE), field="text"
        )
    note = CaseNote(jobseeker_id=jobseeker_id, author_id=actor.id, text=text)
    db.session.add(note)
    db.session.commit()
    return note


def record_outcome(actor: User, jobseeker_id: int, status: str, on: date | None) -> CaseOutcome:
    """Record where the graduate went (employed, in education, other) and from when."""
    _member(actor, jobseeker_id)
    try:
        outcome_status = OutcomeStatus(status)
    except ValueError:
        raise ValidationFailed(_l("Choose an outcome."), field="status") from None
    if on is None:
        raise ValidationFailed(_l("Give a date."), field="date")
    if not date(2000, 1, 1) <= on <= today() + timedelta(days=366):
        raise ValidationFailed(
            _l("The date must be from 2000 and at most a year ahead."), field="date"
        )
    outcome = db.session.get(CaseOutcome, jobseeker_id)
    if outcome is None:
        outcome = CaseOutcome(jobseeker_id=jobseeker_id)
        db.session.add(outcome)
    outcome.status = outcome_status
    outcome.outcome_date = on
    outcome.recorded_by_id = actor.id
    outcome.recorded_at = utcnow()
    db.session.commit()
    return outcome


def outcome_label(status: OutcomeStatus) -> str:
    """The outcome in words."""
    return {
        OutcomeStatus.EMPLOYED: _l("Employed"),
        OutcomeStatus.IN_EDUCATION: _l("In education"),
        OutcomeStatus.OTHER: _l("Other"),
    }[status]


# --- exports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementRow:
    """One accepted application of a graduate in the caseload."""

    name: str
    email: str
    task_title: str
    company_name: str
    status: ApplicationStatus
    applied_at: datetime
    accepted_at: datetime
    completed_at: datetime | None
    deadline: date
    rating: int | None


def export_placements(actor: User) -> list[PlacementRow]:
    """Every placement (accepted application) in the caseload; logged per graduate."""
    _require_caseworker(actor)
    ids = caseload_ids(actor.id)
    rows = db.session.execute(
        select(Application, User)
        .join(User, User.id == Application.jobseeker_id)
        .where(Application.jobseeker_id.in_(ids), Application.accepted_at.is_not(None))
        .options(
            selectinload(Application.task).selectinload(Task.company),
            selectinload(Application.reference),
        )
        .order_by(User.name, User.id, Application.accepted_at)
    ).all()
    placements = [
        PlacementRow(
            name=user.name,
            email=user.email,
            task_title=a.task.title,
            company_name=a.task.company.name,
            status=a.status,
            applied_at=a.created_at,
            accepted_at=a.accepted_at,
            completed_at=a.completed_at,
            deadline=a.task.deadline,
            rating=a.reference.rating if a.reference else None,
        )
        for a, user in rows
    ]
    people = list(dict.fromkeys(a.jobseeker_id for a, _user in rows))
    log_access(actor, people, AccessAction.EXPORT_PLACEMENTS, AccessPurpose.CASE_FILE, "web")
    db.session.commit()
    return placements


def not_consenting_count(actor: User) -> int:
    """How many graduates are assigned to the caseworker but do not (or no longer) consent."""
    _require_caseworker(actor)
    return db.session.execute(
        select(func.count())
        .select_from(CaseAssignment)
        .outerjoin(Consent, Consent.jobseeker_id == CaseAssignment.jobseeker_id)
        .where(
            CaseAssignment.caseworker_id == actor.id,
            or_(Consent.shared.is_(None), Consent.shared.is_(False)),
        )
    ).scalar_one()


def own_flags(user: User) -> list[Flag]:
    """The same follow-up flags the job centre sees, for the graduate's own page."""
    if user.role != Role.JOBSEEKER:
        return []
    person = load_people(select(User.id).where(User.id == user.id))
    if not person:
        return []
    return compute_flags(person[0].facts, now_utc(), flag_rules())
