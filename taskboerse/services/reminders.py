"""Reminders and invitation expiry, run by the worker every quarter-hour (``scheduled_work``).

Each rule asks the database what is due, so a missed run is made up by the next, and records
what it sent in the same transaction as the notification, so nothing goes twice:

* **Deadline soon**: when the task's deadline is 1 to REMINDER_DAYS_BEFORE days ahead, the
  accepted graduate(s) and, once per task, the owner are reminded, once per deadline (a
  ``SentReminder`` key names the application or task *and* the deadline, so a moved deadline
  is reminded again). The first run inside that window sends it, so a missed day is made up.
* **Deadline today**: on the deadline's day the same people are reminded once more. The two
  windows do not overlap (the "soon" one ends the day before), so nobody gets both on one
  day; if the worker was down for the whole "soon" window, only the "today" one goes.
* **Applicants waiting**: a pending application to an open task that is older than
  APPLICANT_REMINDER_DAYS is reminded to the owner once, ever; one run's applications are one
  notification per task (with their count).
* **Invitation expiry**: an invitation older than INVITATION_EXPIRY_DAYS to a task still open,
  which the graduate did not answer by applying, is marked expired and both sides are told.
  The graduate can still apply the usual way; the invitation just stops standing.

Days before a deadline count Copenhagen calendar days (a deadline is a date in Denmark; the
server may run in UTC). Ages (waiting applications, invitations) are the elapsed time since
the row was written, which needs no time zone. Disabled and erased accounts get nothing;
cancelled and completed tasks are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_date
from sqlalchemy import String, cast, exists, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Company,
    Invitation,
    NotificationKind,
    SentReminder,
    Task,
    TaskStatus,
    User,
)
from taskboerse.models.task import DECIDING_STATUSES
from taskboerse.services import clock
from taskboerse.services.notifications import notify

LOCAL = ZoneInfo("Europe/Copenhagen")


class Reminders(NamedTuple):
    """What one run did: notifications sent per rule, and invitations expired."""

    deadline_soon: int
    deadline_today: int
    applicants_waiting: int
    invitations_expired: int


def run_reminders() -> Reminders:
    """Every rule once, at one moment; idempotent, commits per reminder. Nothing goes out
    at night: before REMINDER_HOUR in Copenhagen the run does nothing, and the first run
    after it sends what became due."""
    now = clock.now()
    if now.astimezone(LOCAL).hour < current_app.config.get("REMINDER_HOUR", 7):
        return Reminders(0, 0, 0, 0)
    return Reminders(
        deadline_soon=remind_deadline_soon(now),
        deadline_today=remind_deadline_today(now),
        applicants_waiting=remind_waiting_applicants(now),
        invitations_expired=expire_invitations(now),
    )


def local_today(now: datetime) -> date:
    """The date in Copenhagen at ``now``."""
    return now.astimezone(LOCAL).date()


# --- recording what was sent ---------------------------------------------------------------------


def _sent_keys(keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are already recorded (one query: the common case, a rerun, skips
    without trying to insert)."""
    keys = list(keys)
    if not keys:
        return set()
    return set(
        db.session.execute(select(SentReminder.key).where(SentReminder.key.in_(keys))).scalars()
    )


def _send_once(keys: list[str], send: Callable[[], object]) -> bool:
    """Record ``keys`` and run ``send`` (which adds notifications) in one transaction.
    False, with nothing sent, when another run recorded one of them first (the unique key
    stops the second worker at the flush)."""
    db.session.add_all(SentReminder(key=key) for key in keys)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    send()
    db.session.commit()
    return True


def _active(user: User) -> bool:
    return not user.is_disabled and user.anonymised_at is None


def _active_sql(user: type[User]):
    return user.is_disabled.is_(False), user.anonymised_at.is_(None)


# --- deadlines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DeadlineReminder:
    key: str
    user: User
    task: Task
    deadline: date
    application: Application | None


def remind_deadline_soon(now: datetime) -> int:
    """Remind the accepted graduates and the owner of tasks whose deadline is 1 to
    REMINDER_DAYS_BEFORE Copenhagen days ahead, once per deadline; returns how many
    notifications went."""
    today = local_today(now)
    days = current_app.config["REMINDER_DAYS_BEFORE"]
    if days < 1:
        return 0
    due = _deadline_reminders(
        "deadline-soon", today + timedelta(days=1), today + timedelta(days=days)
    )
    sent = 0
    for item in due:
        with force_locale(item.user.locale or "da"):
            when = format_date(item.deadline, "medium")
        params = {"date": when, "days": (item.deadline - today).days}
        sent += _send_once(
            [item.key],
            partial(
                notify,
                item.user,
                NotificationKind.DEADLINE_SOON,
                task=item.task,
                application=item.application,
                params=params,
            ),
        )
    return sent


def remind_deadline_today(now: datetime) -> int:
    """Remind the accepted graduates and the owner of tasks whose deadline is today in
    Copenhagen, once per deadline; returns how many notifications went."""
    today = local_today(now)
    due = _deadline_reminders("deadline-today", today, today)
    return sum(
        _send_once(
            [item.key],
            partial(
                notify,
                item.user,
                NotificationKind.DEADLINE_TODAY,
                task=item.task,
                application=item.application,
            ),
        )
        for item in due
    )


def _deadline_reminders(prefix: str, first: date, last: date) -> list[_DeadlineReminder]:
    """The reminders not yet sent for accepted work on tasks (neither completed nor
    cancelled) whose deadline lies in ``first`` … ``last``: one per active graduate, one per
    task for its active owner. Two queries, however many rows."""
    graduate, owner = aliased(User), aliased(User)
    rows = db.session.execute(
        select(Application, Task, graduate, owner)
        .join(Task, Task.id == Application.task_id)
        .join(Company, Company.id == Task.company_id)
        .join(owner, owner.id == Company.owner_id)
        .join(graduate, graduate.id == Application.jobseeker_id)
        .where(
            Application.status == ApplicationStatus.ACCEPTED,
            Task.status.in_(DECIDING_STATUSES),
            Task.deadline >= first,
            Task.deadline <= last,
        )
        .order_by(Task.deadline, Task.id, Application.id)
    ).all()
    items: list[_DeadlineReminder] = []
    owners_done: set[int] = set()
    for application, task, graduate_user, owner_user in rows:
        deadline = task.deadline.isoformat()
        if _active(graduate_user):
            items.append(
                _DeadlineReminder(
                    f"{prefix}:{application.id}:{deadline}",
                    graduate_user,
                    task,
                    task.deadline,
                    application,
                )
            )
        if task.id not in owners_done and _active(owner_user):
            owners_done.add(task.id)
            items.append(
                _DeadlineReminder(
                    f"{prefix}:task:{task.id}:{deadline}", owner_user, task, task.deadline, None
                )
            )
    sent = _sent_keys(item.key for item in items)
    return [item for item in items if item.key not in sent]


# --- applicants waiting --------------------------------------------------------------------------

APPLICANTS_WAITING_PREFIX = "applicants-waiting:"


def remind_waiting_applicants(now: datetime) -> int:
    """Tell owners of open tasks about pending applications older than
    APPLICANT_REMINDER_DAYS: each application once, ever, one notification per task per run
    (with the count); returns how many notifications went."""
    days = current_app.config["APPLICANT_REMINDER_DAYS"]
    graduate, owner = aliased(User), aliased(User)
    # Already reminded applications stay pending and old; the anti-join keeps them out of
    # every later run, so the query returns only what is due.
    key = literal(APPLICANTS_WAITING_PREFIX, String) + cast(Application.id, String)
    reminded = exists().where(SentReminder.key == key)
    rows = db.session.execute(
        select(Application.id, Task, owner)
        .join(Task, Task.id == Application.task_id)
        .join(Company, Company.id == Task.company_id)
        .join(owner, owner.id == Company.owner_id)
        .join(graduate, graduate.id == Application.jobseeker_id)
        .where(
            Application.status == ApplicationStatus.PENDING,
            Task.status == TaskStatus.OPEN,
            Application.created_at <= now - timedelta(days=days),
            *_active_sql(owner),
            *_active_sql(graduate),
            ~reminded,
        )
        .order_by(Task.id, Application.id)
    ).all()
    by_task: dict[int, tuple[Task, User, list[int]]] = {}
    for application_id, task, owner_user in rows:
        by_task.setdefault(task.id, (task, owner_user, []))[2].append(application_id)
    sent = 0
    for task, owner_user, application_ids in by_task.values():
        sent += _send_once(
            [f"{APPLICANTS_WAITING_PREFIX}{i}" for i in application_ids],
            partial(
                notify,
                owner_user,
                NotificationKind.APPLICANTS_WAITING,
                task=task,
                params={"count": len(application_ids), "days": days},
            ),
        )
    return sent


# --- invitation expiry ---------------------------------------------------------------------------


def _not_applied():
    """The invited graduate has no application to the task (in any status)."""
    return ~exists().where(
        Application.task_id == Invitation.task_id,
        Application.jobseeker_id == Invitation.jobseeker_id,
    )


def expire_invitations(now: datetime) -> int:
    """Expire invitations to open tasks older than INVITATION_EXPIRY_DAYS that the graduate
    did not answer by applying, and tell both sides (an active account only); returns how many
    expired. ``expired_at`` is the record: it is claimed with one conditional UPDATE in the
    transaction that writes the notices, so a second worker finds nothing left to do."""
    cutoff = now - timedelta(days=current_app.config["INVITATION_EXPIRY_DAYS"])
    graduate, owner = aliased(User), aliased(User)
    rows = db.session.execute(
        select(Invitation.id, Task, graduate, owner)
        .join(Task, Task.id == Invitation.task_id)
        .join(Company, Company.id == Task.company_id)
        .join(owner, owner.id == Company.owner_id)
        .join(graduate, graduate.id == Invitation.jobseeker_id)
        .where(
            Invitation.expired_at.is_(None),
            Invitation.created_at <= cutoff,
            Task.status == TaskStatus.OPEN,
            _not_applied(),
        )
        .order_by(Invitation.id)
    ).all()
    expired = 0
    for invitation_id, task, graduate_user, owner_user in rows:
        claimed = db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.expired_at.is_(None), _not_applied())
            .values(expired_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:  # another worker expired it, or the graduate applied meanwhile
            db.session.rollback()
            continue
        if _active(graduate_user):
            notify(
                graduate_user,
                NotificationKind.INVITATION_EXPIRED,
                task=task,
                params={"to": "graduate"},
            )
        if _active(owner_user):
            notify(
                owner_user,
                NotificationKind.INVITATION_EXPIRED,
                task=task,
                actor=graduate_user,
                params={"to": "owner"},
            )
        db.session.commit()
        expired += 1
    return expired
