"""Hardening: email that no user text can stop, and erasure that touches only the person."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Notification,
    NotificationKind,
    OutboxMessage,
    TaskStatus,
)
from taskboerse.services import clock, notifications, privacy
from tests.factories import PASSWORD, ApplicationFactory, JobseekerFactory, TaskFactory


class FakeSmtp:
    """Stands in for smtplib.SMTP: keeps what would have gone over the wire."""

    delivered: list = []

    def __init__(self, host, port, timeout=None) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send_message(self, mail) -> None:
        FakeSmtp.delivered.append(mail)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSmtp.delivered = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    app.config["MAIL_BACKEND"] = "smtp"
    app.extensions.pop("taskboerse_mail", None)
    yield FakeSmtp.delivered
    app.extensions.pop("taskboerse_mail", None)


def apply(login_as, graduate, task) -> None:
    response = login_as(graduate).post(f"/tasks/{task.id}/apply", data={"motivation": "Gerne."})
    assert response.status_code == 302


def test_a_line_feed_in_a_name_never_stops_email(app, login_as, smtp) -> None:
    tasks = [TaskFactory(), TaskFactory(), TaskFactory()]
    apply(login_as, JobseekerFactory(name="Before Person"), tasks[0])
    apply(login_as, JobseekerFactory(name="New\n=1+1 line\r\nBcc: x@example.com"), tasks[1])
    apply(login_as, JobseekerFactory(name="After Person"), tasks[2])

    sent, failed = notifications.deliver_outbox()

    assert (sent, failed) == (3, 0)
    subjects = [mail["Subject"] for mail in smtp]
    assert len(subjects) == 3
    assert any("New =1+1 line Bcc: x@example.com" in subject for subject in subjects)
    assert all("\n" not in subject and "\r" not in subject for subject in subjects)
    assert all(mail["Bcc"] is None for mail in smtp)
    # Nothing is sent twice.
    assert notifications.deliver_outbox() == (0, 0)
    assert len(smtp) == 3


def test_a_message_that_cannot_be_sent_is_marked_failed_and_skipped(app, monkeypatch) -> None:
    for n in range(3):
        db.session.add(OutboxMessage(to_email=f"p{n}@example.com", subject=f"S{n}", body="B"))
    db.session.commit()
    backend = notifications.mail_backend()
    real_send = backend.send

    def send(message):
        if message.subject == "S1":
            raise ValueError("Header values may not contain linefeed or carriage return")
        real_send(message)

    monkeypatch.setattr(backend, "send", send)
    assert notifications.deliver_outbox() == (2, 1)
    assert notifications.deliver_outbox() == (0, 0)  # the bad one is skipped, the good not resent
    assert [to for to, *_ in backend.sent] == ["p0@example.com", "p2@example.com"]
    bad = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.subject == "S1")
    ).scalar_one()
    assert bad.failed_at is not None and bad.sent_at is None
    assert "linefeed" in bad.last_error and bad.attempts == 1


def test_a_relay_error_is_retried_then_marked_failed(app, monkeypatch) -> None:
    db.session.add(OutboxMessage(to_email="p@example.com", subject="S", body="B"))
    db.session.commit()
    backend = notifications.mail_backend()

    def send(message):
        raise smtplib.SMTPServerDisconnected("relay went away")

    monkeypatch.setattr(backend, "send", send)
    start = clock.now()
    moment = {"now": start}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    for attempt in range(3):
        assert notifications.deliver_outbox(max_attempts=3) == (0, 1)
        # Backing off: not tried again at once, and the wait doubles (1, 2 … minutes).
        assert notifications.deliver_outbox(max_attempts=3) == (0, 0)
        moment["now"] += timedelta(minutes=2**attempt, seconds=1)
    assert notifications.deliver_outbox(max_attempts=3) == (0, 0)
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert message.attempts == 3 and message.failed_at is not None


def test_erasure_scrubs_by_reference_never_by_substring(app, login_as) -> None:
    """A user named "Taskbørs" must not turn everyone's "Se det på Taskbørs" into the
    placeholder; the notifications naming that user do get it."""
    bystander_task, task = TaskFactory(), TaskFactory()
    apply(login_as, JobseekerFactory(name="Other Person"), bystander_task)
    erased = JobseekerFactory(name="Taskbørs")
    apply(login_as, erased, task)
    others_before = {
        m.id: (m.subject, m.body)
        for m in db.session.execute(
            select(OutboxMessage).where(
                OutboxMessage.to_email == bystander_task.company.owner.email
            )
        ).scalars()
    }
    assert others_before and all("Taskbørs" in body for _, body in others_before.values())
    assert notifications.deliver_outbox()[0] >= 2  # sent copies are scrubbed as well

    privacy.delete_own_account(erased, PASSWORD)

    for message_id, before in others_before.items():
        message = db.session.get(OutboxMessage, message_id)
        assert (message.subject, message.body) == before
    about_erased = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_email == task.company.owner.email)
    ).scalar_one()
    assert "Slettet bruger" in about_erased.subject
    assert "Se det på Taskbørs" in about_erased.body  # the product's name stays
    note = db.session.execute(
        select(Notification).where(Notification.user_id == task.company.owner_id)
    ).scalar_one()
    assert note.params["name"] == privacy.ERASED_NAME and note.actor_id is None


def test_erasing_an_entrepreneur_closes_the_company(app, login_as, client) -> None:
    open_task = TaskFactory(title="Åben opgave hos firmaet")
    company = open_task.company
    owner = company.owner
    pending = ApplicationFactory(task=open_task)
    done_task = TaskFactory(company=company, status=TaskStatus.COMPLETED)
    done = ApplicationFactory(task=done_task, status=ApplicationStatus.COMPLETED)
    company_name = company.name

    privacy.delete_own_account(owner, PASSWORD)
    db.session.expire_all()

    assert open_task.status == TaskStatus.CANCELLED
    assert db.session.get(Application, pending.id).status == ApplicationStatus.REJECTED
    told = db.session.execute(
        select(Notification).where(Notification.user_id == pending.jobseeker_id)
    ).scalar_one()
    assert told.kind == NotificationKind.COMPANY_CLOSED
    # The completed work stays on the graduate's record.
    assert db.session.get(Application, done.id).status == ApplicationStatus.COMPLETED
    assert done_task.status == TaskStatus.COMPLETED
    # The company leaves the listings, and the open task takes no applications.
    assert company.name == privacy.CLOSED_COMPANY_NAME
    listing = client.get("/tasks")
    assert listing.status_code == 200
    assert company_name not in listing.get_data(as_text=True)
    assert "Åben opgave hos firmaet" not in listing.get_data(as_text=True)
    latecomer = JobseekerFactory()
    late = login_as(latecomer).post(f"/tasks/{open_task.id}/apply", data={"motivation": "Gerne."})
    assert late.status_code in (404, 409, 422)
    assert (
        db.session.execute(
            select(Application).where(Application.jobseeker_id == latecomer.id)
        ).first()
        is None
    )
    # Nothing is queued for the erased address, and nothing would be sent there.
    assert (
        db.session.execute(
            select(OutboxMessage).where(OutboxMessage.to_email.endswith("@invalid.example"))
        ).first()
        is None
    )
    assert (
        notifications.notify(db.session.get(type(owner), owner.id), NotificationKind.ACCEPTED)
        is None
    )
