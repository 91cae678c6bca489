"""Tasks: create, edit, publish, close, cancel, and browse open ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.labels import status_label
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Company,
    NotificationKind,
    Role,
    Task,
    TaskForm,
    TaskSkill,
    TaskStatus,
    User,
)
from taskboerse.models.task import TASK_TRANSITIONS
from taskboerse.models.types import utcnow
from taskboerse.services import clock, placement_rules
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.notifications import check_reason, notify
from taskboerse.services.places import check_postcode
from taskboerse.services.skills import resolve_skills
from taskboerse.services.transactions import retry_on_conflict

# A task's field limits: this service checks them, and the form and the OpenAPI document
# read the same constants, so no edge can drift from the rule.
MAX_TITLE = 160
MAX_DESCRIPTION = 10_000
MAX_LEARNING = 3000
MAX_HOURS = 160
MAX_CAPACITY = 20


@dataclass(frozen=True)
class TaskInfo:
    """What an entrepreneur fills in for a task."""

    title: str
    description: str
    required_skills: str
    nice_skills: str
    hours: int
    deadline: date
    postcode: str | None
    remote: bool
    capacity: int
    learning: str
    # What the task is for a graduate on dagpenge (services/placement_rules.py checks it).
    form: TaskForm | None = None
    hourly_wage: int | None = None  # paid small job, DKK an hour
    hours_per_week: int | None = None  # praktik
    weeks: int | None = None  # praktik
    uses_degree: bool = False  # praktik: the work uses a higher education


@dataclass(frozen=True)
class TaskQuery:
    """Filters for browsing open tasks."""

    q: str = ""
    skill_id: int | None = None
    remote: bool | None = None
    max_hours: int | None = None
    deadline_before: date | None = None
    sort: str = "relevance"  # relevance (newest without a query), best, deadline, newest, distance
    within_km: int | None = None  # only tasks this near the viewing graduate's postcode
    form: TaskForm | None = None  # only tasks of this form (praktik, paid, voluntary)
    page: int = 1
    per_page: int = 10


def today() -> date:
    """Today's date, from the one clock."""
    return clock.today()


def _validate(info: TaskInfo, company: Company, capacity_floor: int = 0) -> None:
    if not info.title.strip() or len(info.title) > MAX_TITLE:
        raise ValidationFailed(
            _l("Enter a title (at most %(n)d characters).", n=MAX_TITLE), field="title"
        )
    if not info.description.strip():
        raise ValidationFailed(_l("Describe the task."), field="description")
    if len(info.description) > MAX_DESCRIPTION:
        raise ValidationFailed(_l("The description is too long."), field="description")
    if len(info.learning or "") > MAX_LEARNING:
        raise ValidationFailed(
            _l("At most %(max)d characters.", max=MAX_LEARNING), field="learning"
        )
    if not 1 <= info.hours <= MAX_HOURS:
        raise ValidationFailed(_l("Enter between 1 and %(n)d hours.", n=MAX_HOURS), field="hours")
    if not 1 <= info.capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            _l("Capacity must be between 1 and %(n)d graduates.", n=MAX_CAPACITY),
            field="capacity",
        )
    if info.capacity < capacity_floor:
        raise ValidationFailed(
            _l("%(n)d graduates are already accepted; capacity cannot be lower.", n=capacity_floor),
            field="capacity",
        )
    if info.deadline < today():
        raise ValidationFailed(_l("The deadline cannot be in the past."), field="deadline")
    check_postcode(info.postcode)
    if not info.postcode and not info.remote:
        raise ValidationFailed(_l("Give a postcode, or mark the task as remote."), field="postcode")
    placement_rules.check_task_form(
        info.form,
        company,
        info.hours,
        info.hours_per_week,
        info.weeks,
        info.uses_degree,
        info.hourly_wage,
        info.capacity,
    )


def _company_of(user: User) -> Company:
    if user.role != Role.ENTREPRENEUR:
        raise Forbidden(_l("Only entrepreneurs can post tasks."))
    if user.company is None:
        raise Conflict(_l("Register your company before you post a task."))
    return user.company


def _apply_info(task: Task, info: TaskInfo) -> None:
    required = resolve_skills(info.required_skills, field="required_skills")
    nice = resolve_skills(info.nice_skills, field="nice_skills")
    required_keys = {(r.skill_id, r.label) for r in required}
    task.title = info.title.strip()
    task.description = info.description.strip()
    task.learning = info.learning.strip()
    task.hours = info.hours
    task.deadline = info.deadline
    task.postcode = info.postcode or None
    task.remote = info.remote
    task.capacity = info.capacity
    task.form = info.form
    praktik = info.form == TaskForm.PRAKTIK
    task.hourly_wage = info.hourly_wage if info.form == TaskForm.PAID else None
    task.hours_per_week = info.hours_per_week if praktik else None
    task.weeks = info.weeks if praktik else None
    task.uses_degree = bool(info.uses_degree) if praktik else False
    task.skills = [TaskSkill(skill_id=r.skill_id, label=r.label, required=True) for r in required]
    task.skills += [
        TaskSkill(skill_id=r.skill_id, label=r.label, required=False)
        for r in nice
        if (r.skill_id, r.label) not in required_keys
    ]


def create_task(user: User, info: TaskInfo) -> Task:
    """Save a new task as a draft."""
    company = _company_of(user)
    _validate(info, company)
    task = Task(company_id=company.id, status=TaskStatus.DRAFT)
    _apply_info(task, info)
    db.session.add(task)
    index_search_document(task)
    db.session.commit()
    return task


def owns_task(user: User | None, task: Task) -> bool:
    """The one owner check: ``user`` is the entrepreneur whose company posted ``task``."""
    return (
        user is not None
        and user.role == Role.ENTREPRENEUR
        and user.company is not None
        and task.company_id == user.company.id
    )


def get_task_for_owner(user: User, task_id: int) -> Task:
    """The task if ``user`` owns it; others get 404 for drafts and 403 for public tasks."""
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound(_l("No such task."))
    if not owns_task(user, task):
        if task.status == TaskStatus.DRAFT:
            raise NotFound(_l("No such task."))
        raise Forbidden(_l("Only the company that posted the task can do this."))
    return task


def get_visible_task(user: User | None, task_id: int) -> Task:
    """A task anyone may read: not a draft, unless the reader owns it (admins see all)."""
    task = db.session.execute(
        select(Task)
        .where(Task.id == task_id)
        .options(
            selectinload(Task.skills).selectinload(TaskSkill.skill), selectinload(Task.company)
        )
    ).scalar_one_or_none()
    if task is None:
        raise NotFound(_l("No such task."))
    if task.status == TaskStatus.DRAFT:
        if not owns_task(user, task) and not (user is not None and user.role == Role.ADMIN):
            raise NotFound(_l("No such task."))
    return task


# The statuses of an application that hold one of the task's places.
TAKING_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED)


def takes_a_place(status: ApplicationStatus) -> bool:
    """True when an application in ``status`` holds one of the task's places."""
    return status in TAKING_STATUSES


def places_left(capacity: int, taken: int) -> int:
    """Places still open on a task of ``capacity`` with ``taken`` places held."""
    return max(0, capacity - taken)


# The statuses of an application whose graduate counts as an applicant on a task card: in
# the running or holding a place (a withdrawn or rejected graduate is no longer one).
APPLICANT_STATUSES = (ApplicationStatus.PENDING, *TAKING_STATUSES)


def count_taken(task_id: int) -> int:
    """Places taken on a task: accepted plus completed applications."""
    return count_taken_many([task_id]).get(task_id, 0)


def count_taken_many(task_ids: list[int]) -> dict[int, int]:
    """Places taken per task, for many tasks in one query (tasks with none are absent)."""
    return {
        task_id: taken
        for task_id, (_applicants, taken) in _count_applications(task_ids).items()
        if taken
    }


def _count_applications(task_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Per task: (applicants, places taken), in one grouped query; tasks with no
    application at all are absent."""
    task_ids = set(task_ids)
    if not task_ids:
        return {}
    rows = db.session.execute(
        select(
            Application.task_id,
            func.count(case((Application.status.in_(APPLICANT_STATUSES), Application.id))),
            func.count(case((Application.status.in_(TAKING_STATUSES), Application.id))),
        )
        .where(Application.task_id.in_(task_ids))
        .group_by(Application.task_id)
    ).all()
    return {task_id: (applicants, taken) for task_id, applicants, taken in rows}


@dataclass(frozen=True)
class CardCounts:
    """What a task card says about its applications."""

    applicants: int
    places_left: int


def card_counts(tasks: Iterable[Task]) -> dict[int, CardCounts]:
    """Applicants and places left for every task of a page, in one grouped query."""
    tasks = list(tasks)
    found = _count_applications(t.id for t in tasks)
    counts = {}
    for task in tasks:
        applicants, taken = found.get(task.id, (0, 0))
        counts[task.id] = CardCounts(applicants, places_left(task.capacity, taken))
    return counts


def lock_task(task_id: int) -> Task:
    """Lock the task row for the rest of the transaction and return it fresh.

    An UPDATE takes the row lock on PostgreSQL and the write lock on SQLite alike, so checks
    made after it (capacity, status) cannot race another transaction doing the same.
    """
    result = db.session.execute(update(Task).where(Task.id == task_id).values(updated_at=utcnow()))
    if result.rowcount == 0:
        raise NotFound(_l("No such task."))
    return db.session.execute(
        select(Task).where(Task.id == task_id).execution_options(populate_existing=True)
    ).scalar_one()


@retry_on_conflict
def update_task(user: User, task_id: int, info: TaskInfo) -> Task:
    """Edit a draft or open task."""
    task = get_task_for_owner(user, task_id)
    task = lock_task(task.id)
    if not task.is_editable:
        db.session.rollback()
        raise Conflict(_l("Only draft and open tasks can be edited."))
    taken = count_taken(task.id)
    try:
        _validate(info, task.company, capacity_floor=taken)
        if taken and info.form != task.form:
            raise ValidationFailed(
                _l("Graduates are already accepted, so the form of the task cannot change."),
                field="form",
            )
    except ValidationFailed:
        db.session.rollback()
        raise
    _apply_info(task, info)
    index_search_document(task)
    db.session.commit()
    return task


def _reject_pending(task: Task, kind: NotificationKind, actor: User | None = None) -> None:
    pending = db.session.execute(
        select(Application).where(
            Application.task_id == task.id, Application.status == ApplicationStatus.PENDING
        )
    ).scalars()
    for application in pending:
        application.status = ApplicationStatus.REJECTED
        application.decided_at = utcnow()
        notify(application.jobseeker, kind, task=task, application=application, actor=actor)


def offered_actions(task: Task, taken: int) -> frozenset[str]:
    """The status actions worth offering the owner now: allowed from the task's status, and
    closing or completing only once a graduate holds a place (``change_task_status`` refuses
    them before, with the reason)."""
    needs_a_place = {"close", "complete"}
    return frozenset(
        action
        for action in TASK_TRANSITIONS
        if task.can(action) and (taken > 0 or action not in needs_a_place)
    )


@retry_on_conflict
def change_task_status(user: User, task_id: int, action: str, reason: str = "") -> Task:
    """Publish, close (stop taking applications), complete or cancel a task. Where each
    action may start and where it leads is TASK_TRANSITIONS (models/task.py), nowhere else.
    A cancellation's ``reason`` goes to the graduates it affects."""
    reason = check_reason(reason)
    task = get_task_for_owner(user, task_id)
    task = lock_task(task.id)
    if not task.can(action):
        db.session.rollback()
        raise Conflict(
            _l(
                "This action is not possible while the task is %(status)s.",
                status=status_label(task.status),
            )
        )
    if action == "publish":
        if task.deadline < today():
            db.session.rollback()
            raise Conflict(_l("The deadline has passed; edit the task before publishing it."))
        task.published_at = task.published_at or utcnow()
        from taskboerse.worker import after_commit, jobs  # instant saved-search alerts

        after_commit(db.session, jobs.instant_alerts)
    elif action == "close":
        if count_taken(task.id) == 0:
            db.session.rollback()
            raise Conflict(
                _l("No graduate has been accepted yet. Cancel the task instead, or accept one.")
            )
        _reject_pending(task, NotificationKind.REJECTED, actor=user)
    elif action == "complete":
        active = db.session.execute(
            select(func.count(Application.id)).where(
                Application.task_id == task.id, Application.status == ApplicationStatus.ACCEPTED
            )
        ).scalar_one()
        if active or count_taken(task.id) == 0:
            db.session.rollback()
            raise Conflict(_l("Mark each accepted graduate's work completed first."))
        _reject_pending(task, NotificationKind.REJECTED, actor=user)
    elif action == "cancel":
        _cancel(task, NotificationKind.TASK_CANCELLED, actor=user, reason=reason)
    task.status = TASK_TRANSITIONS[action][1]
    if action == "close":
        settle_task(task)  # every place may already be done: then it is completed at once
    db.session.commit()
    return task


def _cancel(
    task: Task, kind: NotificationKind, actor: User | None = None, reason: str = ""
) -> None:
    """Cancel ``task``: pending and accepted graduates are told with a ``kind`` notification
    and the owner's ``reason`` (in the caller's transaction)."""
    active = db.session.execute(
        select(Application).where(
            Application.task_id == task.id,
            Application.status.in_([ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED]),
        )
    ).scalars()
    for application in active:
        application.status = ApplicationStatus.REJECTED
        application.decided_at = utcnow()
        follow_application(application)
        notify(
            application.jobseeker,
            kind,
            task=task,
            application=application,
            actor=actor,
            reason=reason,
        )
    task.status = TASK_TRANSITIONS["cancel"][1]


def close_company_tasks(company: Company) -> int:
    """The company leaves Taskbørs (its owner's account is erased): every task not yet
    completed or cancelled is cancelled, and graduates waiting on one are told why. Completed
    work and its references stay. In the caller's transaction; returns how many tasks."""
    tasks = db.session.execute(
        select(Task).where(
            Task.company_id == company.id,
            Task.status.in_([TaskStatus.DRAFT, TaskStatus.OPEN, TaskStatus.IN_PROGRESS]),
        )
    ).scalars()
    closed = 0
    for task in tasks:
        _cancel(task, NotificationKind.COMPANY_CLOSED)
        closed += 1
    return closed


def follow_application(application: Application) -> None:
    """Keep an accepted application's placement in step (services/placements.py)."""
    from taskboerse.services.placements import follow_application as follow

    follow(application)


def settle_task(task: Task) -> None:
    """Move a task whose places changed to the status that follows (in the caller's transaction).

    Full → in progress; in progress with every accepted graduate done → completed; in progress
    with nobody left → open again (if the deadline allows).
    """
    taken = count_taken(task.id)
    active = db.session.execute(
        select(func.count(Application.id)).where(
            Application.task_id == task.id, Application.status == ApplicationStatus.ACCEPTED
        )
    ).scalar_one()
    if task.status == TaskStatus.OPEN and taken >= task.capacity:
        task.status = TaskStatus.IN_PROGRESS
    if task.status == TaskStatus.IN_PROGRESS:
        if active == 0 and taken > 0:
            _reject_pending(task, NotificationKind.REJECTED)
            task.status = TaskStatus.COMPLETED
        elif taken == 0 and task.deadline >= today():
            task.status = TaskStatus.OPEN


def index_search_document(task: Task) -> None:
    """Write the task's full-text search document in the current transaction."""
    # Imported here: the search module imports this one (TaskQuery, today).
    from taskboerse.services.search import index_tasks

    index_tasks([task])


def tasks_of_company(user: User) -> list[Task]:
    """The entrepreneur's tasks, newest first."""
    if user.company is None:
        return []
    return list(
        db.session.execute(
            select(Task).where(Task.company_id == user.company.id).order_by(Task.created_at.desc())
        ).scalars()
    )
