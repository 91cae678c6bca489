"""The caseworker's own work: the caseload table, a graduate's file, notes, outcomes, exports.

A caseworker sees a graduate only while the graduate is assigned to them *and* consents to
share their activity. Every view and export of a graduate's data writes an access-log row
(``services/access_log.py``) in the same transaction as the read, so no view goes unlogged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.labels import education_label
from taskboerse.matching.educations import normalise_education
from taskboerse.models import (
    AccessAction,
    AccessPurpose,
    Application,
    ApplicationStatus,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Consent,
    EndorsedSkill,
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
from taskboerse.services.follow_up import (
    Flag,
    FlagCode,
    FlagRules,
    GraduateRecord,
    caseload_ids,
    compute_flags,
    education_of,
    flag_rules,
    load_people,
    now_utc,
)
from taskboerse.services.skills import skill_label
from taskboerse.services.tasks import today

MAX_NOTE = 5000


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
    """One graduate in the caseload: counts, last activity and flags.

    ``applications`` counts every application, withdrawn ones included (as the API always
    has); pages show ``applications_kept`` and ``withdrawn`` apart."""

    jobseeker_id: int
    name: str
    email: str
    education: str  # as typed
    registered_at: datetime
    days_registered: int
    applications: int
    accepted: int
    completed: int
    last_activity: datetime
    flags: list[Flag]
    outcome: OutcomeStatus | None
    outcome_date: date | None
    withdrawn: int = 0
    education_code: str | None = None  # the vocabulary's code, when the field is linked
    education_label: str = ""  # the vocabulary's label in the reader's language, else as typed

    @property
    def typed_education_differs(self) -> bool:
        """True when the field as typed says more than the vocabulary's label (so a page
        shows both: "Cand.merc. i finansiering og investering (written as …)")."""
        if not self.education_code or not self.education:
            return False
        return normalise_education(self.education) not in normalise_education(self.education_label)

    @property
    def applications_kept(self) -> int:
        """Applications the graduate has not withdrawn."""
        return self.applications - self.withdrawn


def _row(person: GraduateRecord, now: datetime, rules: FlagRules) -> CaseloadRow:
    apps = person.facts.applications
    code = person.profile.education_code if person.profile else None
    typed = education_of(person.profile)
    return CaseloadRow(
        jobseeker_id=person.user.id,
        name=person.user.name,
        email=person.user.email,
        education=typed,
        education_code=code,
        education_label=education_label(code, typed),
        withdrawn=sum(1 for a in apps if a.status == ApplicationStatus.WITHDRAWN),
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
    if (
        education
        and education not in row.education.casefold()
        and education not in row.education_label.casefold()
    ):
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
        "education": lambda r: (r.education_label.casefold(), r.name.casefold()),
        "registered": lambda r: (r.registered_at, r.jobseeker_id),
        "applications": lambda r: (r.applications_kept, r.withdrawn, r.name.casefold()),
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
    reference_confirmed: bool = False  # only then do the skills count as confirmed


@dataclass(frozen=True)
class CaseFile:
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


def _skill_name(item: ProfileSkill | EndorsedSkill) -> str:
    """The skill in the reader's language (the vocabulary's label), else as typed."""
    return skill_label(item.skill, item.label, str(get_locale()))


def _timeline(jobseeker_id: int) -> list[TimelineEntry]:
    applications = db.session.execute(
        select(Application)
        .where(Application.jobseeker_id == jobseeker_id)
        .options(
            selectinload(Application.task).selectinload(Task.company),
            selectinload(Application.reference)
            .selectinload(Reference.endorsed_skills)
            .selectinload(EndorsedSkill.skill),
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
                endorsed_skills=[_skill_name(s) for s in a.reference.endorsed_skills]
                if a.reference
                else [],
                reference_confirmed=a.reference_confirmed,
            )
        )
    return entries


def person_file(
    actor: User,
    jobseeker_id: int,
    purpose: AccessPurpose = AccessPurpose.FOLLOW_UP,
    via: str = "web",
) -> CaseFile:
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
    return CaseFile(
        user=user,
        profile=profile,
        skills=[_skill_name(s) for s in profile.skills] if profile else [],
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
