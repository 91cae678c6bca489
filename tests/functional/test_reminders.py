"""Reminders and invitation expiry (services/reminders.py): each rule fires once with a frozen
clock and never again on a rerun; deadlines count Copenhagen days; disabled users, tasks that
are over and applications not accepted are left alone; an expired invitation no longer stands
but the graduate can still apply."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Invitation,
    Notification,
    NotificationKind,
    SentReminder,
    TaskStatus,
)
from taskboerse.services import clock, notifications, reminders
from taskboerse.services.reminders import Reminders, run_reminders
from tests.factories import (
    ApplicationFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    TaskFactory,
)

# 09:00 in Copenhagen (winter time) on Monday 10 March 2025.
NOW = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
TODAY = date(2025, 3, 10)
NOTHING = Reminders(0, 0, 0, 0)


@pytest.fixture
def at(app, monkeypatch):
    """Freeze the clock at NOW; ``at(moment)`` moves it."""

    def move(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
        monkeypatch.setattr(clock, "today", lambda: moment.astimezone(reminders.LOCAL).date())

    move(NOW)
    return move


def notes(user, kind: NotificationKind | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.execute(query.order_by(Notification.id)).scalars())


def kinds(user) -> list[NotificationKind]:
    return [n.kind for n in notes(user)]


def accepted(deadline: date, **task_kwargs) -> Application:
    task = TaskFactory(deadline=deadline, **task_kwargs)
    return ApplicationFactory(task=task, status=ApplicationStatus.ACCEPTED)


def sent_to() -> list[str]:
    notifications.deliver_outbox()
    return [to for to, *_ in notifications.mail_backend().sent]


# --- deadlines --------------------------------------------------------------------------------


def test_deadline_soon_reaches_the_graduate_and_the_owner_once(at) -> None:
    application = accepted(TODAY + timedelta(days=3))
    graduate, owner = application.jobseeker, application.task.company.owner

    assert run_reminders() == Reminders(2, 0, 0, 0)

    [note] = notes(graduate)
    assert note.kind == NotificationKind.DEADLINE_SOON
    assert note.task_id == application.task_id and note.application_id == application.id
    assert note.params["days"] == 3 and note.params["date"] == "13. mar. 2025"
    assert kinds(owner) == [NotificationKind.DEADLINE_SOON]
    assert sorted(sent_to()) == sorted([graduate.email, owner.email])
    # A rerun, later the same day and the next day, sends nothing more.
    assert run_reminders() == NOTHING
    at(NOW + timedelta(hours=20))
    assert run_reminders() == NOTHING
    assert len(notes(graduate)) == len(notes(owner)) == 1


@pytest.mark.parametrize(
    ("days_ahead", "expected"),
    [
        (4, NOTHING),  # before the window
        (3, Reminders(2, 0, 0, 0)),  # its first day
        (1, Reminders(2, 0, 0, 0)),  # a missed window is made up the day before
        (0, Reminders(0, 2, 0, 0)),  # on the day: only "today", never both
        (-1, NOTHING),  # past
    ],
)
def test_both_sides_of_the_deadline_window(at, days_ahead: int, expected: Reminders) -> None:
    accepted(TODAY + timedelta(days=days_ahead))
    assert run_reminders() == expected


def test_the_reminder_before_and_the_one_on_the_day(at) -> None:
    deadline = TODAY + timedelta(days=2)
    application = accepted(deadline)
    graduate = application.jobseeker

    assert run_reminders().deadline_soon == 2
    at(NOW + timedelta(days=1))  # the day before: already reminded
    assert run_reminders() == NOTHING
    at(NOW + timedelta(days=2))  # the day itself
    assert run_reminders() == Reminders(0, 2, 0, 0)
    assert run_reminders() == NOTHING
    assert kinds(graduate) == [NotificationKind.DEADLINE_SOON, NotificationKind.DEADLINE_TODAY]
    at(NOW + timedelta(days=3))  # after the deadline: nothing
    assert run_reminders() == NOTHING


def test_the_day_is_the_copenhagen_date(at) -> None:
    """At 00:30 in Copenhagen the server's UTC date is still yesterday."""
    from taskboerse.services.reminders import remind_deadline_today

    accepted(TODAY)
    moment = datetime(2025, 3, 9, 23, 30, tzinfo=UTC)
    at(moment)
    assert remind_deadline_today(moment) == 2


def test_nothing_goes_out_at_night(at) -> None:
    accepted(TODAY)
    at(datetime(2025, 3, 9, 23, 30, tzinfo=UTC))  # 00:30 in Copenhagen
    assert run_reminders() == NOTHING
    at(datetime(2025, 3, 10, 5, 59, tzinfo=UTC))  # 06:59
    assert run_reminders() == NOTHING
    at(datetime(2025, 3, 10, 6, 0, tzinfo=UTC))  # 07:00: the first run of the day sends
    assert run_reminders() == Reminders(0, 2, 0, 0)


def test_a_changed_deadline_gets_a_new_reminder(at) -> None:
    application = accepted(TODAY + timedelta(days=3))
    assert run_reminders().deadline_soon == 2
    application.task.deadline = TODAY + timedelta(days=2)
    db.session.commit()

    assert run_reminders().deadline_soon == 2

    dates = [n.params["date"] for n in notes(application.jobseeker)]
    assert dates == ["13. mar. 2025", "12. mar. 2025"]
    assert run_reminders() == NOTHING


def test_the_owner_gets_one_reminder_per_task_however_many_graduates(at) -> None:
    task = TaskFactory(deadline=TODAY, capacity=3, status=TaskStatus.IN_PROGRESS)
    graduates = [
        ApplicationFactory(task=task, status=ApplicationStatus.ACCEPTED).jobseeker for _ in range(3)
    ]

    assert run_reminders().deadline_today == 4

    assert kinds(task.company.owner) == [NotificationKind.DEADLINE_TODAY]
    for graduate in graduates:
        assert kinds(graduate) == [NotificationKind.DEADLINE_TODAY]


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.PENDING,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.COMPLETED,
    ],
)
def test_no_deadline_reminder_for_work_not_accepted(at, status: ApplicationStatus) -> None:
    task = TaskFactory(deadline=TODAY + timedelta(days=1))
    ApplicationFactory(task=task, status=status, created_at=NOW)
    assert run_reminders() == NOTHING


@pytest.mark.parametrize("status", [TaskStatus.CANCELLED, TaskStatus.COMPLETED])
def test_no_deadline_reminder_on_a_task_that_is_over(at, status: TaskStatus) -> None:
    accepted(TODAY + timedelta(days=1), status=status)
    accepted(TODAY, status=status)
    assert run_reminders() == NOTHING


def test_disabled_users_get_no_deadline_reminder(at) -> None:
    one = accepted(TODAY + timedelta(days=1))
    one.jobseeker.is_disabled = True
    other = accepted(TODAY + timedelta(days=1))
    other.task.company.owner.is_disabled = True
    db.session.commit()

    assert run_reminders().deadline_soon == 2

    assert notes(one.jobseeker) == [] and len(notes(one.task.company.owner)) == 1
    assert notes(other.task.company.owner) == [] and len(notes(other.jobseeker)) == 1


def test_the_date_is_in_each_recipients_language(at) -> None:
    application = accepted(TODAY + timedelta(days=3))
    application.jobseeker.locale = "en"
    db.session.commit()
    run_reminders()
    [english] = notes(application.jobseeker)
    [danish] = notes(application.task.company.owner)
    assert english.params["date"] == "Mar 13, 2025"
    assert danish.params["date"] == "13. mar. 2025"
    notifications.deliver_outbox()
    bodies = {to: body for to, _subject, body in notifications.mail_backend().sent}
    assert "Mar 13, 2025" in bodies[application.jobseeker.email]
    assert "13. mar. 2025" in bodies[application.task.company.owner.email]


def test_a_reminder_another_worker_just_sent_is_skipped(at, monkeypatch) -> None:
    """Two workers read the same due reminder; the unique key stops the second at the flush,
    which rolls back and goes on with the rest."""
    application = accepted(TODAY + timedelta(days=3))
    db.session.add(SentReminder(key=f"deadline-soon:{application.id}:{application.task.deadline}"))
    db.session.commit()
    monkeypatch.setattr(reminders, "_sent_keys", lambda keys: set())  # read before that commit

    assert run_reminders().deadline_soon == 1  # the owner's only

    assert notes(application.jobseeker) == []
    assert len(notes(application.task.company.owner)) == 1


def test_reminders_set_to_in_app_give_a_notification_and_no_email(at) -> None:
    application = accepted(TODAY + timedelta(days=3))
    graduate, owner = application.jobseeker, application.task.company.owner
    notifications.set_preferences(graduate, {"reminders": "in_app"})

    run_reminders()

    assert kinds(graduate) == [NotificationKind.DEADLINE_SOON]
    assert sent_to() == [owner.email]


# --- applicants waiting -----------------------------------------------------------------------


def test_applicants_waiting_are_batched_per_task_and_reminded_once(at) -> None:
    owner = EntrepreneurFactory()
    first = TaskFactory(company__owner=owner)
    second = TaskFactory(company=first.company)
    old = NOW - timedelta(days=5, minutes=1)
    for _ in range(2):
        ApplicationFactory(task=first, created_at=old)
    ApplicationFactory(task=second, created_at=old)
    ApplicationFactory(task=first, created_at=NOW - timedelta(days=3))  # not yet

    assert run_reminders() == Reminders(0, 0, 2, 0)

    counts = {n.task_id: n.params["count"] for n in notes(owner)}
    assert counts == {first.id: 2, second.id: 1}
    assert {n.params["days"] for n in notes(owner)} == {5}
    assert run_reminders() == NOTHING
    at(NOW + timedelta(days=2))  # the younger one is now old: it alone is reminded
    assert run_reminders() == Reminders(0, 0, 1, 0)
    assert notes(owner)[-1].params["count"] == 1 and notes(owner)[-1].task_id == first.id
    at(NOW + timedelta(days=30))
    assert run_reminders() == NOTHING


def test_applicants_waiting_only_for_pending_applications_on_open_tasks(at) -> None:
    old = NOW - timedelta(days=6)
    for status in (ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED):
        ApplicationFactory(status=status, created_at=old)
    for task_status in (TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED, TaskStatus.COMPLETED):
        ApplicationFactory(task=TaskFactory(status=task_status), created_at=old)
    disabled_owner = ApplicationFactory(created_at=old)
    disabled_owner.task.company.owner.is_disabled = True
    disabled_graduate = ApplicationFactory(created_at=old)
    disabled_graduate.jobseeker.is_disabled = True
    db.session.commit()
    assert run_reminders() == NOTHING


# --- invitation expiry ------------------------------------------------------------------------


def invite(task=None, days_ago: int = 15, graduate=None) -> Invitation:
    task = task or TaskFactory()
    invitation = Invitation(
        task_id=task.id,
        jobseeker_id=(graduate or JobseekerFactory()).id,
        created_at=NOW - timedelta(days=days_ago),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def test_an_unanswered_invitation_expires_and_both_are_told(at) -> None:
    invitation = invite()
    graduate, owner = invitation.jobseeker, invitation.task.company.owner
    young = invite(days_ago=13)

    assert run_reminders() == Reminders(0, 0, 0, 1)

    db.session.refresh(invitation)
    assert invitation.expired_at == NOW
    [to_graduate] = notes(graduate)
    [to_owner] = notes(owner)
    assert to_graduate.kind == to_owner.kind == NotificationKind.INVITATION_EXPIRED
    assert to_owner.params["to"] == "owner" and to_owner.actor_id == graduate.id
    assert to_graduate.params["to"] != "owner"
    assert to_graduate.task_id == to_owner.task_id == invitation.task_id
    assert sorted(sent_to()) == sorted([graduate.email, owner.email])
    assert run_reminders() == NOTHING
    db.session.refresh(young)
    assert young.expired_at is None


@pytest.mark.parametrize("status", [ApplicationStatus.PENDING, ApplicationStatus.WITHDRAWN])
def test_an_invitation_answered_by_applying_does_not_expire(at, status) -> None:
    invitation = invite()
    ApplicationFactory(task=invitation.task, jobseeker=invitation.jobseeker, status=status)
    assert run_reminders().invitations_expired == 0
    db.session.refresh(invitation)
    assert invitation.expired_at is None


@pytest.mark.parametrize("status", [TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED])
def test_an_invitation_to_a_task_no_longer_open_does_not_expire(at, status) -> None:
    invitation = invite(TaskFactory(status=status))
    assert run_reminders() == NOTHING
    assert invitation.expired_at is None


def test_a_disabled_graduates_invitation_expires_without_telling_them(at) -> None:
    invitation = invite()
    invitation.jobseeker.is_disabled = True
    db.session.commit()
    assert run_reminders().invitations_expired == 1
    assert notes(invitation.jobseeker) == []
    assert kinds(invitation.task.company.owner) == [NotificationKind.INVITATION_EXPIRED]
    assert sent_to() == [invitation.task.company.owner.email]


def test_after_expiry_the_invitation_shows_as_expired_and_the_graduate_can_apply(
    at, login_as
) -> None:
    invitation = invite()
    task, graduate = invitation.task, invitation.jobseeker
    as_graduate = login_as(graduate)
    assert 'class="card invitation"' in as_graduate.get(f"/tasks/{task.id}").get_data(True)

    run_reminders()

    page = as_graduate.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'class="card invitation"' not in page and 'id="apply"' in page
    manage = login_as(task.company.owner).get(f"/entrepreneur/tasks/{task.id}")
    assert "badge-expired" in manage.get_data(as_text=True)
    response = as_graduate.post(f"/tasks/{task.id}/apply", data={"motivation": "Gerne."})
    assert response.status_code == 302
    application = db.session.execute(
        select(Application).where(Application.jobseeker_id == graduate.id)
    ).scalar_one()
    assert application.status == ApplicationStatus.PENDING


# --- the worker -------------------------------------------------------------------------------


def test_the_scheduled_job_runs_the_reminders(at) -> None:
    from taskboerse.worker import jobs

    application = accepted(TODAY)
    invite()

    done = jobs.scheduled_work.call_local()

    assert done["deadline_today"] == 2 and done["invitations_expired"] == 1
    assert done["deadline_soon"] == done["applicants_waiting"] == 0
    assert kinds(application.jobseeker) == [NotificationKind.DEADLINE_TODAY]
    assert jobs.scheduled_work.call_local()["deadline_today"] == 0
