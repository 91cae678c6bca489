"""Invitations (the service behind the candidate list's Invite button): a notification, once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import Notification, NotificationKind, TaskStatus
from taskboerse.services.applications import invite_jobseeker
from taskboerse.services.errors import Conflict, Forbidden, NotFound
from taskboerse.web.matching import matching_index
from tests.factories import CompanyFactory, JobseekerFactory, TaskFactory, nearby_graduate

pytestmark = pytest.mark.usefixtures("app")


def test_invite_notifies_the_graduate_once() -> None:
    task = TaskFactory()
    graduate = nearby_graduate(task)
    invite_jobseeker(matching_index(), task.company.owner, task.id, graduate.id)
    notes = (
        db.session.execute(select(Notification).where(Notification.user_id == graduate.id))
        .scalars()
        .all()
    )
    assert [n.kind for n in notes] == [NotificationKind.INVITATION]
    with pytest.raises(Conflict):
        invite_jobseeker(matching_index(), task.company.owner, task.id, graduate.id)


def test_invite_rules() -> None:
    task = TaskFactory()
    graduate = nearby_graduate(task)
    with pytest.raises(NotFound):
        invite_jobseeker(
            matching_index(), task.company.owner, task.id, task.company.owner.id
        )  # not a graduate
    with pytest.raises(Forbidden):
        invite_jobseeker(
            matching_index(), CompanyFactory().owner, task.id, graduate.id
        )  # not the owner
    draft = TaskFactory(company=task.company, status=TaskStatus.DRAFT)
    with pytest.raises(Conflict):
        invite_jobseeker(matching_index(), task.company.owner, draft.id, graduate.id)


def test_invitation_text_in_danish(login_as) -> None:
    task = TaskFactory()
    graduate = nearby_graduate(task)
    invite_jobseeker(matching_index(), task.company.owner, task.id, graduate.id)
    page = login_as(graduate).get("/notifications").get_data(as_text=True)
    assert f"Du er inviteret til at søge “{task.title}”." in page


def test_only_a_suggested_graduate_can_be_invited(client) -> None:
    """Trying ids cannot reach (or name) a graduate the ranking does not suggest."""
    task = TaskFactory()
    far = JobseekerFactory()  # Copenhagen, the task is on site in Aarhus
    with pytest.raises(NotFound):
        invite_jobseeker(matching_index(), task.company.owner, task.id, far.id, "Hej")
    from tests.functional.test_api import token_for

    headers = token_for(client, task.company.owner)
    response = client.post(
        f"/api/v1/tasks/{task.id}/invitations", json={"jobseeker_id": far.id}, headers=headers
    )
    assert response.status_code == 404
    assert db.session.execute(select(Notification)).first() is None
