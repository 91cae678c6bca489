"""Applications: apply once, withdraw, accept within capacity, reject, complete, notifications."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Notification,
    OutboxMessage,
    Task,
    TaskStatus,
)
from taskboerse.services.notifications import deliver_outbox, mail_backend
from tests.factories import ApplicationFactory, JobseekerFactory, TaskFactory
from tests.helpers import backdate_acceptance


def apps(task_id: int) -> list[Application]:
    db.session.expire_all()
    return list(
        db.session.execute(select(Application).where(Application.task_id == task_id)).scalars()
    )


def test_apply_once(login_as) -> None:
    task = TaskFactory()
    client = login_as(JobseekerFactory())
    assert client.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg vil"}).status_code == 302
    second = client.post(f"/tasks/{task.id}/apply", data={"motivation": "Igen"})
    assert second.status_code == 422
    assert "Du har allerede søgt denne opgave." in second.get_data(as_text=True)
    assert len(apps(task.id)) == 1


@pytest.mark.parametrize(
    ("motivation", "message"),
    [("", "Feltet skal udfyldes."), ("x" * 2001, "Højst 2000 tegn.")],
)
def test_motivation_is_validated(login_as, motivation, message) -> None:
    task = TaskFactory()
    client = login_as(JobseekerFactory())
    response = client.post(f"/tasks/{task.id}/apply", data={"motivation": motivation})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert apps(task.id) == []


@pytest.mark.parametrize(
    "status", [TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.CANCELLED]
)
def test_cannot_apply_to_closed_task(login_as, status) -> None:
    task = TaskFactory(status=status)
    client = login_as(JobseekerFactory())
    response = client.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg vil"})
    assert response.status_code == 422
    assert "Opgaven er ikke åben for ansøgninger." in response.get_data(as_text=True)
    assert apps(task.id) == []


def test_cannot_apply_to_draft(login_as) -> None:
    task = TaskFactory(status=TaskStatus.DRAFT)
    client = login_as(JobseekerFactory())
    assert client.post(f"/tasks/{task.id}/apply", data={"motivation": "x"}).status_code == 404


def test_withdraw_and_no_second_application(login_as) -> None:
    application = ApplicationFactory()
    client = login_as(application.jobseeker)
    assert client.post(f"/jobseeker/applications/{application.id}/withdraw").status_code == 302
    assert apps(application.task_id)[0].status == ApplicationStatus.WITHDRAWN
    again = client.post(f"/jobseeker/applications/{application.id}/withdraw", follow_redirects=True)
    assert "Ansøgningen kan ikke længere trækkes tilbage." in again.get_data(as_text=True)


def test_withdrawing_accepted_frees_the_place(login_as) -> None:
    task = TaskFactory(capacity=1, status=TaskStatus.IN_PROGRESS)
    application = ApplicationFactory(task=task, status=ApplicationStatus.ACCEPTED)
    client = login_as(application.jobseeker)
    client.post(f"/jobseeker/applications/{application.id}/withdraw")
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.OPEN


def test_accept_until_full_then_refuse(login_as) -> None:
    task = TaskFactory(capacity=2)
    applications = [ApplicationFactory(task=task) for _ in range(3)]
    owner = login_as(task.company.owner)
    for a in applications[:2]:
        owner.post(f"/entrepreneur/applications/{a.id}/accept")
    response = owner.post(
        f"/entrepreneur/applications/{applications[2].id}/accept", follow_redirects=True
    )
    assert "Opgaven er fuld: alle 2 pladser er besat." in response.get_data(as_text=True)
    statuses = sorted(a.status.value for a in apps(task.id))
    assert statuses == ["accepted", "accepted", "pending"]
    assert db.session.get(Task, task.id).status == TaskStatus.IN_PROGRESS


def test_accepting_a_withdrawn_application_is_refused(login_as) -> None:
    application = ApplicationFactory(status=ApplicationStatus.WITHDRAWN)
    owner = login_as(application.task.company.owner)
    page = owner.post(f"/entrepreneur/applications/{application.id}/accept", follow_redirects=True)
    assert "Kun ansøgninger, der venter på svar, kan accepteres." in page.get_data(as_text=True)
    assert apps(application.task_id)[0].status == ApplicationStatus.WITHDRAWN


def test_reject_notifies_graduate(login_as) -> None:
    application = ApplicationFactory()
    owner = login_as(application.task.company.owner)
    owner.post(f"/entrepreneur/applications/{application.id}/reject")
    assert apps(application.task_id)[0].status == ApplicationStatus.REJECTED
    graduate = login_as(application.jobseeker)
    page = graduate.get("/notifications").get_data(as_text=True)
    assert "blev ikke accepteret" in page


def test_complete_requires_accepted(login_as) -> None:
    application = ApplicationFactory()
    owner = login_as(application.task.company.owner)
    page = owner.post(
        f"/entrepreneur/applications/{application.id}/complete",
        data={"rating": "5", "reference": "Godt"},
        follow_redirects=True,
    )
    assert "Kun accepterede dimittenders arbejde" in page.get_data(as_text=True)
    assert apps(application.task_id)[0].status == ApplicationStatus.PENDING


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "6", "reference": "Godt"}, "Ikke et gyldigt valg."),
        ({"reference": "Godt"}, "Giv en vurdering fra 1 til 5."),
        ({"rating": "4", "reference": ""}, "Feltet skal udfyldes."),
        ({"rating": "4", "reference": "Godt", "skills_used": "99999"}, "er ikke et gyldigt valg."),
    ],
)
def test_reference_validation(login_as, data, message) -> None:
    application = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    owner = login_as(application.task.company.owner)
    response = owner.post(f"/entrepreneur/applications/{application.id}/complete", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert apps(application.task_id)[0].status == ApplicationStatus.ACCEPTED


def test_notifications_unread_count_and_mark_read(login_as) -> None:
    task = TaskFactory()
    graduate = login_as(JobseekerFactory())
    graduate.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg vil"})
    owner = login_as(task.company.owner)
    page = owner.get("/entrepreneur/").get_data(as_text=True)
    assert '<span class="count" aria-label="1 ulæste">1</span>' in page
    owner.post("/notifications/read")
    page = owner.get("/entrepreneur/").get_data(as_text=True)
    assert 'class="count"' not in page
    unread = db.session.execute(
        select(func.count(Notification.id)).where(Notification.read_at.is_(None))
    ).scalar_one()
    assert unread == 0


def test_outbox_is_sent_by_the_backend_in_the_recipients_language(app, login_as) -> None:
    task = TaskFactory()
    task.company.owner.locale = "en"
    db.session.commit()
    graduate = login_as(JobseekerFactory())
    graduate.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg vil"})
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert message.to_email == task.company.owner.email
    assert "applied for" in message.body
    assert deliver_outbox() == (1, 0)
    assert mail_backend().sent[0][0] == task.company.owner.email
    assert deliver_outbox() == (0, 0)  # sent mails are not sent again


def test_outbox_send_cli(runner) -> None:
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "Sent 0, failed 0." in result.output


def test_cv_pdf_lists_verified_experience(login_as) -> None:
    from pypdf import PdfReader

    application = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    backdate_acceptance(application)
    owner = login_as(application.task.company.owner)
    skill_id = application.task.skills[0].id
    owner.post(
        f"/entrepreneur/applications/{application.id}/complete",
        data={"rating": "4", "reference": "Leverede – til tiden “flot”.", "skills_used": skill_id},
    )
    graduate = login_as(application.jobseeker)
    response = graduate.get("/jobseeker/cv.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert application.task.title in text
    assert "Leverede - til tiden" in text
    assert "Excel" in text
