"""The background worker: jobs enqueued after the use case commits, delivery that never sends
twice (also with two workers on Redis), failures recorded after retries, the periodic
schedule, the daily digest and the notification settings."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from huey import RedisHuey
from sqlalchemy import func, select

from taskboerse import worker
from taskboerse.extensions import db
from taskboerse.models import (
    Channel,
    JobFailure,
    Notification,
    NotificationCategory,
    OutboxMessage,
)
from taskboerse.services import clock, notifications
from taskboerse.worker import jobs
from tests.factories import EntrepreneurFactory, JobseekerFactory, TaskFactory

REDIS_URL = os.environ.get("TASKBOERSE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def apply(login_as, graduate, task) -> None:
    response = login_as(graduate).post(f"/tasks/{task.id}/apply", data={"motivation": "Gerne."})
    assert response.status_code == 302


def sent_to() -> list[str]:
    return [to for to, *_ in notifications.mail_backend().sent]


# --- enqueued after commit ----------------------------------------------------------------------


def test_a_use_case_that_writes_mail_enqueues_delivery_and_the_worker_sends_it(
    app, login_as
) -> None:
    task = TaskFactory()
    apply(login_as, JobseekerFactory(), task)
    assert worker.huey.pending_count() >= 1  # deliver_outbox, enqueued after the commit
    assert sent_to() == []

    worker.run_pending()

    assert sent_to() == [task.company.owner.email]
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert message.sent_at is not None and message.attempts == 1


def test_a_rolled_back_transaction_enqueues_nothing(app) -> None:
    db.session.add(OutboxMessage(to_email="x@example.com", subject="S", body="B"))
    db.session.flush()
    db.session.rollback()
    assert worker.huey.pending_count() == 0
    db.session.add(OutboxMessage(to_email="y@example.com", subject="S", body="B"))
    db.session.commit()
    assert worker.huey.pending_count() == 1


def test_a_message_whose_headers_cannot_be_built_is_failed_and_the_rest_go_out(app) -> None:
    for to in ("first@example.com", "<", "last@example.com"):
        db.session.add(OutboxMessage(to_email=to, subject="Hej", body="B"))
    db.session.commit()

    worker.run_pending()

    assert sorted(sent_to()) == ["first@example.com", "last@example.com"]
    bad = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_email == "<")
    ).scalar_one()
    assert bad.failed_at is not None and bad.sent_at is None and bad.last_error
    # A second run (the periodic one) sends nothing again.
    jobs.deliver_outbox.call_local()
    assert len(sent_to()) == 2


def test_delivery_run_twice_sends_each_mail_once(app) -> None:
    for n in range(5):
        db.session.add(OutboxMessage(to_email=f"p{n}@example.com", subject="S", body="B"))
    db.session.commit()
    for _ in range(3):
        jobs.deliver_outbox()  # three jobs queued for the same messages
    worker.run_pending()
    jobs.deliver_outbox.call_local()
    assert sorted(sent_to()) == [f"p{n}@example.com" for n in range(5)]


def test_a_claimed_message_is_left_to_the_worker_holding_it(app, monkeypatch) -> None:
    db.session.add(OutboxMessage(to_email="p@example.com", subject="S", body="B"))
    db.session.commit()
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert notifications.claim_batch(10, clock.now()) == [message.id]  # another worker's
    assert jobs.deliver_outbox.call_local() == (0, 0)
    # When that worker died, the lease runs out and the message goes.
    later = clock.now() + notifications.OUTBOX_LEASE + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert jobs.deliver_outbox.call_local() == (1, 0)


# --- two workers on Redis -----------------------------------------------------------------------


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis at TASKBOERSE_TEST_REDIS_URL")
def test_two_workers_on_redis_never_send_one_email_twice(app, monkeypatch) -> None:
    """Two consumers on one Redis queue, each with its own threads, work through a pile of
    delivery jobs for the same 40 messages: every message goes out exactly once."""
    name = f"taskboerse-test-{uuid.uuid4().hex}"
    queues = [RedisHuey(name, url=REDIS_URL, utc=True) for _ in range(2)]
    # The same job, as each worker process registers it.
    delivers = [q.task(name="deliver_outbox")(jobs.deliver_outbox.func) for q in queues]
    backend = notifications.mail_backend()
    real_send = backend.send

    def slow_send(message) -> None:
        time.sleep(0.005)  # an SMTP round trip, so the workers overlap
        real_send(message)

    monkeypatch.setattr(backend, "send", slow_send)
    for n in range(40):
        db.session.add(OutboxMessage(to_email=f"p{n}@example.com", subject="S", body="B"))
    db.session.commit()
    for _ in range(12):
        delivers[0]()

    errors: list[BaseException] = []

    def consume(queue) -> None:
        try:
            while (task := queue.dequeue()) is not None:
                queue.execute(task)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=consume, args=(q,)) for q in queues for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        queues[0].storage.flush_all()

    assert not errors
    addresses = sent_to()
    assert len(addresses) == len(set(addresses)) == 40
    db.session.expire_all()
    unsent = db.session.execute(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
    ).scalar_one()
    assert unsent == 0


# --- failures, retries and the schedule ---------------------------------------------------------

_calls: list[str] = []


@worker.job(retries=2, retry_delay=10, retry_backoff=2)
def always_fails(label: str) -> None:
    _calls.append(label)
    raise RuntimeError(f"broken {label}")


@worker.job()
def works(label: str) -> None:
    _calls.append(label)


def in_seconds(seconds: float) -> datetime:
    """A moment ahead, as huey counts time (naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=seconds)


def test_a_failing_job_is_retried_with_back_off_then_recorded_and_blocks_nothing(app) -> None:
    _calls.clear()
    always_fails("a")
    works("b")
    worker.run_pending()
    assert _calls == ["a", "b"]  # the failure did not stop the next job
    assert db.session.execute(select(func.count(JobFailure.id))).scalar_one() == 0

    worker.run_pending(now=in_seconds(5))
    assert _calls == ["a", "b"]  # the first retry waits 10 s
    worker.run_pending(now=in_seconds(11))
    assert _calls == ["a", "b", "a"]
    worker.run_pending(now=in_seconds(15))
    assert _calls == ["a", "b", "a"]  # the second waits 20 s
    worker.run_pending(now=in_seconds(21))
    assert _calls == ["a", "b", "a", "a"]

    failure = db.session.execute(select(JobFailure)).scalar_one()
    assert failure.job.endswith("always_fails") and "broken a" in failure.error
    assert failure.attempts == 3 and "'a'" in failure.args


def test_the_periodic_jobs_run_on_their_schedule() -> None:
    def runs(job, when: str) -> bool:
        return job.task_class().validate_datetime(datetime.fromisoformat(when))

    assert runs(jobs.deliver_outbox_periodically, "2026-11-23 10:01")
    assert runs(jobs.instant_alerts_periodically, "2026-11-23 10:02")
    assert runs(jobs.scheduled_work, "2026-11-23 10:15")
    assert not runs(jobs.scheduled_work, "2026-11-23 10:16")
    assert runs(jobs.housekeeping, "2026-11-23 10:07")
    assert not runs(jobs.housekeeping, "2026-11-23 10:08")
    assert runs(jobs.retention, "2026-11-23 02:30")
    assert not runs(jobs.retention, "2026-11-23 03:30")


def test_the_queue_follows_the_environment(tmp_path) -> None:
    from huey import MemoryHuey, SqliteHuey

    assert isinstance(worker.make_huey({"TASKBOERSE_QUEUE": "memory"}), MemoryHuey)
    path = tmp_path / "q.sqlite"
    queue = worker.make_huey({"TASKBOERSE_QUEUE_PATH": str(path)})
    assert isinstance(queue, SqliteHuey) and path.exists()
    redis_queue = worker.make_huey({"TASKBOERSE_REDIS_URL": "redis://127.0.0.1:6379/15"})
    assert isinstance(redis_queue, RedisHuey)
    with pytest.raises(RuntimeError, match="unknown"):
        worker.make_huey({"TASKBOERSE_QUEUE": "carrier-pigeon"})
    with pytest.raises(RuntimeError, match="TASKBOERSE_REDIS_URL"):
        worker.make_huey({"TASKBOERSE_QUEUE": "redis"})


def test_the_embedded_queue_carries_a_job_between_processes(tmp_path, app) -> None:
    """The `make run` set-up: the web process enqueues on the SQLite file, the worker (here a
    second Huey on the same file) finds the job there."""
    path = str(tmp_path / "queue.sqlite")
    web = worker.make_huey({"TASKBOERSE_QUEUE_PATH": path})
    other = worker.make_huey({"TASKBOERSE_QUEUE_PATH": path})
    deliver = web.task(name="deliver_outbox")(jobs.deliver_outbox.func)
    other.task(name="deliver_outbox")(jobs.deliver_outbox.func)
    db.session.add(OutboxMessage(to_email="p@example.com", subject="S", body="B"))
    db.session.commit()
    deliver()
    task = other.dequeue()
    assert task is not None
    assert other.execute(task) == (1, 0)
    assert sent_to() == ["p@example.com"]


# --- housekeeping -------------------------------------------------------------------------------


def test_housekeeping_clears_expired_sessions_and_tokens(app, client) -> None:
    from taskboerse.models import ApiToken, LoginSession
    from taskboerse.services.housekeeping import clear_expired

    user = JobseekerFactory()
    now = clock.now()
    db.session.add_all(
        [
            LoginSession(user_id=user.id, token_hash="a" * 64, last_seen_at=now),
            LoginSession(
                user_id=user.id, token_hash="b" * 64, last_seen_at=now - timedelta(hours=2)
            ),
            ApiToken(user_id=user.id, token_hash="c" * 64, expires_at=now + timedelta(hours=1)),
            ApiToken(user_id=user.id, token_hash="d" * 64, expires_at=now - timedelta(hours=1)),
        ]
    )
    db.session.commit()
    assert clear_expired()[:2] == (1, 1)
    assert clear_expired()[:2] == (0, 0)
    assert db.session.execute(select(LoginSession.token_hash)).scalars().all() == ["a" * 64]
    assert db.session.execute(select(ApiToken.token_hash)).scalars().all() == ["c" * 64]


# --- notification settings and the digest -------------------------------------------------------


def test_defaults_send_email_at_once(app) -> None:
    user = JobseekerFactory()
    assert set(notifications.preferences(user).values()) == {Channel.EMAIL}


def test_in_app_only_writes_no_email(app, login_as) -> None:
    task = TaskFactory()
    notifications.set_preferences(task.company.owner, {"applications": "in_app"})
    apply(login_as, JobseekerFactory(), task)
    assert db.session.execute(select(func.count(OutboxMessage.id))).scalar_one() == 0
    assert db.session.execute(select(func.count(Notification.id))).scalar_one() == 1


def _at_copenhagen(monkeypatch, when: str) -> None:
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Europe/Copenhagen"))
    monkeypatch.setattr(clock, "now", lambda: moment.astimezone(UTC))


def test_the_digest_is_one_email_a_day_from_seven(app, login_as, monkeypatch) -> None:
    task = TaskFactory()
    other = TaskFactory(company=task.company)
    owner = task.company.owner
    notifications.set_preferences(owner, {"applications": "digest"})
    apply(login_as, JobseekerFactory(name="Ane Alfa"), task)
    apply(login_as, JobseekerFactory(name="Bo Beta"), other)
    assert db.session.execute(select(func.count(OutboxMessage.id))).scalar_one() == 0

    _at_copenhagen(monkeypatch, "2026-11-24 06:59")
    assert notifications.send_digests() == 0
    _at_copenhagen(monkeypatch, "2026-11-24 07:05")
    assert notifications.send_digests() == 1
    assert notifications.send_digests() == 0  # once a day
    notifications.deliver_outbox()
    ((to, subject, body),) = notifications.mail_backend().sent
    assert to == owner.email and "2" in subject
    assert "Ane Alfa" in body and "Bo Beta" in body and "/notifications/" in body
    assert "/auth/account/notifications" in body

    # The next day: only what is new, and nothing read in the app meanwhile.
    apply(login_as, JobseekerFactory(name="Cy Gamma"), TaskFactory(company=task.company))
    apply(login_as, JobseekerFactory(name="Di Delta"), TaskFactory(company=task.company))
    read = db.session.execute(
        select(Notification).where(Notification.params["name"].as_string() == "Di Delta")
    ).scalar_one()
    read.read_at = clock.now()
    db.session.commit()
    _at_copenhagen(monkeypatch, "2026-11-24 23:00")
    assert notifications.send_digests() == 0
    _at_copenhagen(monkeypatch, "2026-11-25 08:00")
    assert notifications.send_digests() == 1
    notifications.deliver_outbox()
    body = notifications.mail_backend().sent[-1][2]
    assert "Cy Gamma" in body and "Di Delta" not in body and "Ane Alfa" not in body


def test_the_digest_is_in_the_readers_language(app, login_as, monkeypatch) -> None:
    task = TaskFactory()
    owner = task.company.owner
    owner.locale = "en"
    db.session.commit()
    notifications.set_preferences(owner, {"applications": "digest"})
    apply(login_as, JobseekerFactory(name="Ane Alfa"), task)
    _at_copenhagen(monkeypatch, "2026-11-24 09:00")
    notifications.send_digests()
    notifications.deliver_outbox()
    _, subject, body = notifications.mail_backend().sent[0]
    assert subject == "Taskbørs: 1 new notification"
    assert "Ane Alfa applied for" in body


def test_the_settings_page_saves_channels(app, login_as) -> None:
    graduate = JobseekerFactory()
    client = login_as(graduate)
    page = client.get("/auth/account/notifications").get_data(as_text=True)
    assert "Én samlet e-mail om dagen" in page and "Kun her på Taskbørs" in page
    assert page.count("checked") == 5  # every category on its default, email at once
    response = client.post(
        "/auth/account/notifications",
        data={
            "applications": "digest",
            "messages": "email",
            "invitations": "in_app",
            "alerts": "email",
            "reminders": "email",
        },
    )
    assert response.status_code == 302
    chosen = notifications.preferences(graduate)
    assert chosen[NotificationCategory.APPLICATIONS] == Channel.DIGEST
    assert chosen[NotificationCategory.INVITATIONS] == Channel.IN_APP


def test_a_bad_channel_is_refused_and_changes_nothing(app, login_as) -> None:
    graduate = JobseekerFactory()
    client = login_as(graduate)
    response = client.post(
        "/auth/account/notifications",
        data={
            "applications": "pigeon",
            "messages": "in_app",
            "invitations": "email",
            "alerts": "email",
            "reminders": "email",
        },
    )
    assert response.status_code == 422
    assert set(notifications.preferences(graduate).values()) == {Channel.EMAIL}


def test_an_entrepreneur_is_not_offered_task_alerts(app, login_as) -> None:
    client = login_as(EntrepreneurFactory())
    page = client.get("/auth/account/notifications").get_data(as_text=True)
    assert 'name="alerts"' not in page and 'name="reminders"' in page


def test_every_notification_email_links_to_the_settings(app, login_as) -> None:
    apply(login_as, JobseekerFactory(), TaskFactory())
    body = db.session.execute(select(OutboxMessage.body)).scalar_one()
    assert "https://taskboerse.test/auth/account/notifications" in body


# --- the admin's view ---------------------------------------------------------------------------


def test_the_admin_sees_failures_and_can_send_a_failed_email_again(app, login_as) -> None:
    from tests.factories import UserFactory

    db.session.add(OutboxMessage(to_email="<", subject="Broken", body="B"))
    db.session.add(OutboxMessage(to_email="ok@example.com", subject="Fine", body="B"))
    db.session.add(JobFailure(job="taskboerse.worker.jobs.housekeeping", error="Boom: x"))
    db.session.commit()
    worker.run_pending()
    admin = login_as(UserFactory(role="admin"))
    page = admin.get("/admin/worker").get_data(as_text=True)
    assert "Broken" in page and "IndexError" in page and "Boom: x" in page
    bad = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_email == "<")
    ).scalar_one()

    response = admin.post(f"/admin/worker/messages/{bad.id}/resend")
    assert response.status_code == 302
    db.session.expire_all()
    assert bad.failed_at is None and bad.attempts == 0
    # Not a failed message, or no such message: 404, nothing changes.
    fine = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_email == "ok@example.com")
    ).scalar_one()
    assert admin.post(f"/admin/worker/messages/{fine.id}/resend").status_code == 404
    assert admin.post("/admin/worker/messages/99999/resend").status_code == 404
    # Only admins.
    assert login_as(JobseekerFactory()).get("/admin/worker").status_code in (302, 403)


def test_one_failing_part_of_the_scheduled_work_does_not_stop_the_others(
    app, login_as, monkeypatch
) -> None:
    from taskboerse.services import reminders

    def broken():
        raise RuntimeError("reminders broke")

    monkeypatch.setattr(reminders, "run_reminders", broken)
    task = TaskFactory()
    notifications.set_preferences(task.company.owner, {"applications": "digest"})
    apply(login_as, JobseekerFactory(), task)
    _at_copenhagen(monkeypatch, "2026-11-24 09:00")
    jobs.scheduled_work()
    worker.run_pending()
    # The digest after the broken part still went out, and the failure is recorded.
    assert sent_to() == [task.company.owner.email]
    failure = db.session.execute(select(JobFailure)).scalar_one()
    assert "reminders" in failure.error


def test_make_runs_log_backend_gets_the_mail_from_the_worker(app, login_as, caplog) -> None:
    """`make run` uses the log backend: the worker writes each email to the log."""
    import logging

    app.config["MAIL_BACKEND"] = "log"
    app.extensions.pop("taskboerse_mail", None)
    task = TaskFactory(title="Markedsanalyse for café")
    apply(login_as, JobseekerFactory(), task)
    with caplog.at_level(logging.INFO, logger="taskboerse.services.notifications"):
        worker.run_pending()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"mail to={task.company.owner.email}" in logged and "Markedsanalyse for café" in logged
    app.extensions.pop("taskboerse_mail", None)


def test_flask_worker_once_runs_what_is_queued_and_the_periodic_jobs(app) -> None:
    db.session.add(OutboxMessage(to_email="p@example.com", subject="S", body="B"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Ran 1 queued job(s) and 4 periodic job(s)." in result.output
    assert sent_to() == ["p@example.com"]
    bad = app.test_cli_runner().invoke(args=["worker", "--workers", "0"])
    assert bad.exit_code == 2 and "--workers" in bad.output
