"""A rejection, a withdrawal or a cancellation through the API may say why, as on the web;
the reason reaches the other side, is checked like the web's, and the body stays optional."""

from __future__ import annotations

from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import Application, ApplicationStatus, Notification, Task, TaskStatus
from tests.factories import ApplicationFactory
from tests.functional.test_api import token_for


def reasons_to(user) -> list[str]:
    notes = db.session.execute(select(Notification).where(Notification.user_id == user.id))
    return [n.params.get("reason") for n in notes.scalars()]


def test_a_rejection_carries_its_reason_to_the_graduate(client) -> None:
    application = ApplicationFactory()
    owner = token_for(client, application.task.company.owner)
    r = client.post(
        f"/api/v1/applications/{application.id}/reject",
        json={"reason": "Vi valgte en med erfaring i Shopify."},
        headers=owner,
    )
    assert r.status_code == 200 and r.get_json()["status"] == "rejected"
    assert "Vi valgte en med erfaring i Shopify." in reasons_to(application.jobseeker)


def test_a_withdrawal_carries_its_reason_and_the_body_stays_optional(client) -> None:
    first, second = ApplicationFactory(), ApplicationFactory()
    for application, body in ((first, {"reason": "Jeg har fået job."}), (second, None)):
        graduate = token_for(client, application.jobseeker)
        kwargs = {"json": body} if body is not None else {}
        r = client.post(
            f"/api/v1/applications/{application.id}/withdraw", headers=graduate, **kwargs
        )
        assert r.status_code == 200, r.get_json()
    assert "Jeg har fået job." in reasons_to(first.task.company.owner)
    db.session.expire_all()
    assert db.session.get(Application, second.id).status == ApplicationStatus.WITHDRAWN


def test_a_cancellation_tells_the_graduates_why(client) -> None:
    application = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    owner = token_for(client, application.task.company.owner)
    r = client.post(
        f"/api/v1/tasks/{application.task_id}/cancel",
        json={"reason": "Projektet er udskudt til foråret."},
        headers=owner,
    )
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert "Projektet er udskudt til foråret." in reasons_to(application.jobseeker)


def test_a_bad_reason_is_refused_and_changes_nothing(client) -> None:
    application = ApplicationFactory()
    owner = token_for(client, application.task.company.owner)
    url = f"/api/v1/applications/{application.id}/reject"
    too_long = client.post(url, json={"reason": "x" * 501}, headers=owner)
    assert too_long.status_code == 422 and "reason" in too_long.get_json()["error"]["fields"]
    unknown = client.post(url, json={"why": "no"}, headers=owner)
    assert unknown.status_code == 422
    not_json = client.post(url, data="reason", headers=owner, content_type="application/json")
    assert not_json.status_code == 400
    cpr = client.post(url, json={"reason": "Mit cpr er 010190-1234"}, headers=owner)
    assert cpr.status_code == 422
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == ApplicationStatus.PENDING
    task = db.session.get(Task, application.task_id)
    assert task.status == TaskStatus.OPEN
