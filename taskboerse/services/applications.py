"""Applications: apply, withdraw, accept, reject, complete with a reference; invitations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.labels import moment_label
from taskboerse.models import (
    Application,
    ApplicationStatus,
    EndorsedSkill,
    Invitation,
    JobseekerProfile,
    Message,
    NotificationKind,
    ProfileSkill,
    Reference,
    Role,
    Task,
    TaskStatus,
    User,
)
from taskboerse.models.task import DECIDING_STATUSES
from taskboerse.models.types import utcnow
from taskboerse.services import placement_rules, placements
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.notifications import check_reason, notify
from taskboerse.services.tasks import (
    count_taken,
    get_task_for_owner,
    lock_task,
    owns_task,
    settle_task,
    today,
)
from taskboerse.services.transactions import retry_on_conflict

if TYPE_CHECKING:
    from taskboerse.services.matching_index import MatchingIndex

MAX_MOTIVATION = 2000
MAX_REFERENCE = 5000

# Completion timing (see ``completion_wait``); the app config's keys of the same names win.
COMPLETION_HOURS_PER_WEEK = 37.0
COMPLETION_MIN_SHARE = 0.25
COMPLETION_MIN_DAYS = 1.0


class CompletionTooEarly(Conflict):
    """The work is marked completed sooner after acceptance than the task could take."""

    code = "too_early"

    def __init__(self, message: str, earliest: datetime) -> None:
        super().__init__(message)
        self.earliest = earliest


@dataclass(frozen=True)
class ReferenceInfo:
    """The entrepreneur's reference for completed work."""

    rating: int
    text: str
    skill_ids: tuple[int, ...] = ()  # TaskSkill ids the graduate used (the form's choices)
    skill_labels: tuple[str, ...] = ()  # or their labels, in any case (the API's)


def _task_owner(task: Task) -> User:
    return task.company.owner


@retry_on_conflict
def apply_to_task(
    user: User, task_id: int, motivation: str, worked_for_company: bool = False
) -> Application:
    """Apply to an open task with places left: once, and once more after withdrawing. The
    graduate declares whether they have worked for the company (no praktik there then)."""
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_l("Only graduates can apply for tasks."))
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationFailed(_l("Write a short motivation."), field="motivation")
    if len(motivation) > MAX_MOTIVATION:
        raise ValidationFailed(
            _l("The motivation can be at most %(n)d characters.", n=MAX_MOTIVATION),
            field="motivation",
        )
    task = db.session.get(Task, task_id)
    if task is None or task.status == TaskStatus.DRAFT:
        raise NotFound(_l("No such task."))
    placement_rules.check_former_employer(task.form, worked_for_company)
    task = lock_task(task_id)
    if task.status != TaskStatus.OPEN or task.deadline < today():
        db.session.rollback()
        raise Conflict(_l("The task is not open for applications."))
    application = db.session.execute(
        select(Application).where(
            Application.task_id == task_id, Application.jobseeker_id == user.id
        )
    ).scalar_one_or_none()
    if application is not None and not application.can_reapply:
        db.session.rollback()
        if application.status == ApplicationStatus.WITHDRAWN:
            raise Conflict(_l("You have already applied again once after withdrawing."))
        raise Conflict(_l("You have already applied for this task."))
    if application is None:
        application = Application(task_id=task.id, jobseeker_id=user.id, motivation=motivation)
        db.session.add(application)
    else:  # withdrawn before: the same application, pending again
        application.status = ApplicationStatus.PENDING
        application.motivation = motivation
        application.created_at = application.reapplied_at = utcnow()  # a new application
        application.decided_at = application.accepted_at = None
    application.worked_for_company = bool(worked_for_company)
    try:
        db.session.flush()
    except IntegrityError:  # a double click that slipped past the check
        db.session.rollback()
        raise Conflict(_l("You have already applied for this task.")) from None
    notify(
        _task_owner(task),
        NotificationKind.NEW_APPLICATION,
        task=task,
        application=application,
        actor=user,
    )
    db.session.commit()
    return application


def get_application_for_jobseeker(user: User, application_id: int) -> Application:
    """The graduate's own application; another's gives 404."""
    application = db.session.get(Application, application_id)
    if application is None or application.jobseeker_id != user.id:
        raise NotFound(_l("No such application."))
    return application


def get_application_for_owner(user: User, application_id: int) -> Application:
    """An application to one of the entrepreneur's tasks; others give 404."""
    application = db.session.get(Application, application_id)
    if application is None or not owns_task(user, application.task):
        raise NotFound(_l("No such application."))
    return application


def _refresh(application: Application) -> Application:
    return db.session.execute(
        select(Application)
        .where(Application.id == application.id)
        .execution_options(populate_existing=True)
    ).scalar_one()


@retry_on_conflict
def withdraw_application(user: User, application_id: int, reason: str = "") -> Application:
    """The graduate withdraws a pending or accepted application; the company is told, with
    the graduate's ``reason`` if given."""
    reason = check_reason(reason)
    application = get_application_for_jobseeker(user, application_id)
    task = lock_task(application.task_id)
    application = _refresh(application)
    if not application.can_transition_to(ApplicationStatus.WITHDRAWN):
        db.session.rollback()
        raise Conflict(_l("This application can no longer be withdrawn."))
    was_accepted = application.status == ApplicationStatus.ACCEPTED
    application.status = ApplicationStatus.WITHDRAWN
    application.decided_at = utcnow()
    db.session.flush()
    notify(
        _task_owner(task),
        NotificationKind.WITHDRAWN,
        task=task,
        application=application,
        actor=user,
        reason=reason,
    )
    if was_accepted:
        placements.follow_application(application)
        settle_task(task)
    db.session.commit()
    return application


@retry_on_conflict
def accept_application(
    user: User, application_id: int, plan: placements.PlacementPlan | None = None
) -> Application:
    """Accept an applicant, never beyond the task's capacity, also under concurrent accepts.
    The application becomes a placement (``plan``: a praktik's purpose and start); a
    virksomhedspraktik then waits for the job centre's approval."""
    application = get_application_for_owner(user, application_id)
    task = lock_task(application.task_id)
    application = _refresh(application)
    if task.status not in DECIDING_STATUSES:
        db.session.rollback()
        raise Conflict(_l("The task is closed; no one can be accepted."))
    if not application.can_transition_to(ApplicationStatus.ACCEPTED):
        db.session.rollback()
        raise Conflict(_l("Only pending applications can be accepted."))
    if count_taken(task.id) >= task.capacity:
        db.session.rollback()
        raise Conflict(_l("The task is full: all %(n)d places are taken.", n=task.capacity))
    application.status = ApplicationStatus.ACCEPTED
    application.decided_at = application.accepted_at = utcnow()
    db.session.flush()
    try:
        placement = placements.open_placement(application, plan)
    except ValidationFailed:
        db.session.rollback()
        raise
    notify(
        application.jobseeker,
        NotificationKind.ACCEPTED,
        task=task,
        application=application,
        params={"approval": True} if placement.needs_approval else None,
    )
    settle_task(task)
    db.session.commit()
    return application


@retry_on_conflict
def reject_application(user: User, application_id: int, reason: str = "") -> Application:
    """Reject a pending applicant, who is told, with the owner's ``reason`` if given."""
    reason = check_reason(reason)
    application = get_application_for_owner(user, application_id)
    task = lock_task(application.task_id)
    application = _refresh(application)
    if application.status != ApplicationStatus.PENDING:
        db.session.rollback()
        raise Conflict(_l("Only pending applications can be rejected."))
    if task.status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
        db.session.rollback()
        raise Conflict(_l("The task is closed."))
    application.status = ApplicationStatus.REJECTED
    application.decided_at = utcnow()
    notify(
        application.jobseeker,
        NotificationKind.REJECTED,
        task=task,
        application=application,
        actor=user,
        reason=reason,
    )
    db.session.commit()
    return application


def _completion_setting(name: str, default: float) -> float:
    return float(current_app.config.get(name, default))


def completion_wait(hours: int) -> timedelta:
    """How long after acceptance a task of ``hours`` hours can at the earliest be completed.

    The rule: COMPLETION_MIN_SHARE (0.25) of the calendar time the task takes at
    COMPLETION_HOURS_PER_WEEK (37, full time), and never less than COMPLETION_MIN_DAYS (1).
    So 20 hours wait 1 day, 40 hours 1.9 days, 160 hours 7.6 days. Full time is the fastest
    honest pace; a quarter of it leaves room for work started before acceptance was clicked.
    """
    per_week = _completion_setting("COMPLETION_HOURS_PER_WEEK", COMPLETION_HOURS_PER_WEEK)
    share = _completion_setting("COMPLETION_MIN_SHARE", COMPLETION_MIN_SHARE)
    min_days = _completion_setting("COMPLETION_MIN_DAYS", COMPLETION_MIN_DAYS)
    return max(timedelta(days=min_days), timedelta(weeks=hours / per_week) * share)


def earliest_completion(application: Application) -> datetime:
    """When the accepted work can at the earliest be marked completed.

    Counted from acceptance; a row without an acceptance time (made before it was recorded)
    counts from the application, which is never later, so no row escapes the rule.
    """
    accepted = application.accepted_at or application.decided_at or application.created_at
    return accepted + completion_wait(application.task.hours)


def _too_early(application: Application, task: Task) -> CompletionTooEarly | None:
    earliest = earliest_completion(application)
    if utcnow() >= earliest:
        return None
    per_week = _completion_setting("COMPLETION_HOURS_PER_WEEK", COMPLETION_HOURS_PER_WEEK)
    share = _completion_setting("COMPLETION_MIN_SHARE", COMPLETION_MIN_SHARE)
    return CompletionTooEarly(
        _l(
            "It is too early to mark the work completed. A task of %(hours)d hours can be "
            "marked completed from %(when)s: at least %(percent)d%% of the time it takes at "
            "%(per_week)d hours a week must pass after acceptance.",
            hours=task.hours,
            when=moment_label(earliest),
            percent=round(share * 100),
            per_week=round(per_week),
        ),
        earliest=earliest,
    )


def task_skill_ids(task: Task, labels: Sequence[str]) -> tuple[int, ...]:
    """The ids of the task's skills named by ``labels`` (compared case-insensitively), in
    their order; a label the task does not have is a field error on ``skills_used``."""
    by_label = {s.label.casefold(): s.id for s in task.skills}
    if any(label.casefold() not in by_label for label in labels):
        raise ValidationFailed(_l("Choose skills from the task."), field="skills_used")
    return tuple(by_label[label.casefold()] for label in labels)


@retry_on_conflict
def complete_application(user: User, application_id: int, info: ReferenceInfo) -> Application:
    """Mark an accepted graduate's work completed with a reference and the skills used;
    refused (CompletionTooEarly) before ``completion_wait`` has passed since acceptance."""
    application = get_application_for_owner(user, application_id)
    skill_ids = info.skill_ids + task_skill_ids(application.task, info.skill_labels)
    if not 1 <= info.rating <= 5:
        raise ValidationFailed(_l("Give a rating from 1 to 5."), field="rating")
    text = (info.text or "").strip()
    if not text:
        raise ValidationFailed(_l("Write a reference."), field="reference")
    if len(text) > MAX_REFERENCE:
        raise ValidationFailed(
            _l("The reference can be at most %(n)d characters.", n=MAX_REFERENCE),
            field="reference",
        )
    task = lock_task(application.task_id)
    application = _refresh(application)
    if task.status not in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS):
        db.session.rollback()
        raise Conflict(_l("The task is closed."))
    if not application.can_transition_to(ApplicationStatus.COMPLETED) or (
        application.status != ApplicationStatus.ACCEPTED
    ):
        db.session.rollback()
        raise Conflict(_l("Only accepted graduates' work can be marked completed."))
    try:
        placements.check_may_complete(application)
    except Conflict:
        db.session.rollback()
        raise
    too_early = _too_early(application, task)
    if too_early is not None:
        db.session.rollback()
        raise too_early
    task_skills = {s.id: s for s in task.skills}
    unknown = [i for i in skill_ids if i not in task_skills]
    if unknown:
        db.session.rollback()
        raise ValidationFailed(_l("Choose skills from the task."), field="skills_used")
    reference = Reference(application_id=application.id, rating=info.rating, text=text)
    reference.endorsed_skills = [
        EndorsedSkill(skill_id=task_skills[i].skill_id, label=task_skills[i].label)
        for i in dict.fromkeys(skill_ids)
    ]
    db.session.add(reference)
    application.status = ApplicationStatus.COMPLETED
    application.completed_at = utcnow()
    placements.follow_application(application)
    db.session.flush()
    notify(application.jobseeker, NotificationKind.COMPLETED, task=task, application=application)
    settle_task(task)
    db.session.commit()
    return application


@retry_on_conflict
def invite_jobseeker(
    index: MatchingIndex, user: User, task_id: int, jobseeker_id: int, message: str = ""
) -> Invitation:
    """Invite a graduate the ranking suggests for the owner's open task; they get a
    notification. An optional personal ``message`` opens the conversation, which the
    graduate can answer before applying. Only suggested graduates can be invited, so an owner
    cannot reach (or learn the name of) every graduate by trying ids: others give 404."""
    from taskboerse.services.conversations import check_message
    from taskboerse.services.recommendations import is_suggested

    message = check_message(message, field="message") if (message or "").strip() else ""
    task = get_task_for_owner(user, task_id)
    if task.status != TaskStatus.OPEN:
        raise Conflict(_l("Only open tasks can have invitations."))
    jobseeker = db.session.get(User, jobseeker_id)
    if jobseeker is None or jobseeker.role != Role.JOBSEEKER or jobseeker.is_disabled:
        raise NotFound(_l("No such graduate."))
    existing = db.session.execute(
        select(Invitation).where(
            Invitation.task_id == task.id, Invitation.jobseeker_id == jobseeker.id
        )
    ).scalar_one_or_none()
    if existing is not None:
        raise Conflict(_l("This graduate has already been invited."))
    if not is_suggested(index, user, task.id, jobseeker.id):
        raise NotFound(_l("No such graduate."))
    invitation = Invitation(task_id=task.id, jobseeker_id=jobseeker.id, message=message or None)
    db.session.add(invitation)
    if message:  # the note opens the conversation (inbox, unread count, API, erasure)
        db.session.add(
            Message(task_id=task.id, jobseeker_id=jobseeker.id, sender_id=user.id, body=message)
        )
    notify(jobseeker, NotificationKind.INVITATION, task=task, actor=user)
    db.session.commit()
    return invitation


def applications_of_jobseeker(user: User) -> list[Application]:
    """The graduate's applications, newest first, with their tasks."""
    return list(
        db.session.execute(
            select(Application)
            .where(Application.jobseeker_id == user.id)
            .options(selectinload(Application.task).selectinload(Task.company))
            .order_by(Application.created_at.desc(), Application.id.desc())
        ).scalars()
    )


class Deadline(NamedTuple):
    """Accepted work and the days left to its task's deadline (negative: overdue)."""

    application: Application
    days_left: int


def upcoming_deadlines(applications: Sequence[Application], today: date) -> list[Deadline]:
    """The graduate's accepted, unfinished work, soonest (or most overdue) deadline first."""
    accepted = [a for a in applications if a.status == ApplicationStatus.ACCEPTED]
    return sorted(
        (Deadline(a, (a.task.deadline - today).days) for a in accepted),
        key=lambda d: (d.days_left, d.application.id),
    )


def applications_to_company(user: User) -> list[Application]:
    """Every application to the entrepreneur's tasks, oldest first."""
    if user.company is None:
        return []
    return list(
        db.session.execute(
            select(Application)
            .join(Task)
            .where(Task.company_id == user.company.id)
            .order_by(Application.id)
        ).scalars()
    )


def applications_for_task(user: User, task_id: int) -> tuple[Task, list[Application]]:
    """The owner's view of a task's applicants, with their profiles and skills."""
    task = get_task_for_owner(user, task_id)
    applications = list(
        db.session.execute(
            select(Application)
            .where(Application.task_id == task.id)
            .options(
                selectinload(Application.jobseeker)
                .selectinload(User.profile)
                .selectinload(JobseekerProfile.skills)
                .selectinload(ProfileSkill.skill),
                selectinload(Application.reference),
            )
            .order_by(Application.created_at.asc(), Application.id.asc())
        ).scalars()
    )
    return task, applications


def invitations_for_task(user: User, task_id: int) -> list[Invitation]:
    """The graduates the owner invited to the task who have not applied, oldest first (an
    expired invitation too, with its ``expired_at``, so the owner sees it went unanswered)."""
    task = get_task_for_owner(user, task_id)
    applied = select(Application.jobseeker_id).where(Application.task_id == task.id)
    return list(
        db.session.execute(
            select(Invitation)
            .where(Invitation.task_id == task.id, Invitation.jobseeker_id.not_in(applied))
            .options(selectinload(Invitation.jobseeker))
            .order_by(Invitation.created_at, Invitation.id)
        ).scalars()
    )


def invitation_for_task_page(user: User | None, task: Task) -> Invitation | None:
    """The reader's invitation to ``task``, if they are a graduate who was invited and it
    has not expired (services/reminders.py): an expired one no longer stands, though the
    graduate may still apply the usual way."""
    if user is None or user.role != Role.JOBSEEKER:
        return None
    return db.session.execute(
        select(Invitation).where(
            Invitation.task_id == task.id,
            Invitation.jobseeker_id == user.id,
            Invitation.expired_at.is_(None),
        )
    ).scalar_one_or_none()


def application_for_task_page(user: User | None, task: Task) -> Application | None:
    """The reader's own application to ``task``, if they are a graduate who applied."""
    if user is None or user.role != Role.JOBSEEKER:
        return None
    return db.session.execute(
        select(Application).where(
            Application.task_id == task.id, Application.jobseeker_id == user.id
        )
    ).scalar_one_or_none()
