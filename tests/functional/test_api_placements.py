"""The placements API: the caseworker's queue, approve and decline, hours logged and
confirmed; the task and application endpoints carry the form and the placement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessLogEntry,
    AccessPurpose,
    ApplicationStatus,
    Notification,
    NotificationKind,
    PlacementStatus,
    TaskForm,
)
from taskboerse.services import applications
from taskboerse.web.api.openapi import SCHEMAS
from tests.factories import (
    PASSWORD,
    CaseworkerFactory,
    CompanyFactory,
    JobseekerFactory,
    PraktikTaskFactory,
    follow,
)


def token_for(client, user) -> dict:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def conforms(instance, schema: str) -> None:
    Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}}
    ).validate(instance)


@pytest.fixture
def world(app):
    task = PraktikTaskFactory(capacity=3)
    company = task.company
    graduate = JobseekerFactory(locale="en")
    caseworker, other = CaseworkerFactory(), CaseworkerFactory()
    follow(caseworker, graduate)
    follow(other, JobseekerFactory())  # the other caseworker has someone else
    application = applications.apply_to_task(graduate, task.id, "Jeg vil gerne.")
    return company, task, graduate, caseworker, other, application


def test_accept_with_a_plan_then_the_queue_and_approval(client, world) -> None:
    company, task, graduate, caseworker, other, application = world
    start = (date.today() + timedelta(days=3)).isoformat()
    owner = token_for(client, company.owner)
    accepted = client.post(
        f"/api/v1/applications/{application.id}/accept",
        json={"purpose": "Lære markedsanalyse i praksis", "start_on": start},
        headers=owner,
    )
    assert accepted.status_code == 200, accepted.get_json()
    conforms(accepted.get_json(), "Application")
    assert accepted.get_json()["placement_status"] == "awaiting_approval"
    placement_id = accepted.get_json()["placement_id"]

    mine = token_for(client, caseworker)
    queue = client.get("/api/v1/placements", headers=mine).get_json()
    assert [p["id"] for p in queue] == [placement_id]
    conforms(queue[0], "Placement")
    assert queue[0]["start_on"] == start and queue[0]["purpose"].startswith("Lære")
    assert {c["rule"] for c in queue[0]["checks"]} >= {"praktik_ratio", "praktik_hours"}
    # A caseworker who follows someone else sees nothing of it.
    theirs = token_for(client, other)
    assert client.get("/api/v1/placements", headers=theirs).get_json() == []
    assert (
        client.post(f"/api/v1/placements/{placement_id}/approve", headers=theirs).status_code == 404
    )
    # The graduate cannot approve their own.
    grad = token_for(client, graduate)
    assert (
        client.post(f"/api/v1/placements/{placement_id}/approve", headers=grad).status_code == 403
    )

    approved = client.post(f"/api/v1/placements/{placement_id}/approve", headers=mine)
    assert approved.status_code == 200
    conforms(approved.get_json(), "Placement")
    assert approved.get_json()["status"] == "approved"
    again = client.post(f"/api/v1/placements/{placement_id}/approve", headers=mine)
    assert again.status_code == 409
    logged = db.session.execute(
        select(AccessLogEntry).where(AccessLogEntry.action == AccessAction.APPROVE_PLACEMENT)
    ).scalar_one()
    assert (logged.jobseeker_id, logged.purpose, logged.via) == (
        graduate.id,
        AccessPurpose.PLACEMENT_APPROVAL,
        "api",
    )
    told = db.session.execute(
        select(Notification.user_id).where(Notification.kind == NotificationKind.PLACEMENT_APPROVED)
    ).scalars()
    assert set(told) == {graduate.id, company.owner_id}


def test_decline_needs_a_reason_and_frees_the_place(client, world) -> None:
    company, task, graduate, caseworker, _other, application = world
    applications.accept_application(company.owner, application.id)
    placement_id = application.placement.id
    mine = token_for(client, caseworker)
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}):
        response = client.post(
            f"/api/v1/placements/{placement_id}/decline", json=body, headers=mine
        )
        assert response.status_code == 422, body
    response = client.post(
        f"/api/v1/placements/{placement_id}/decline",
        json={"reason": "Formålet skal beskrives nærmere."},
        headers=mine,
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "declined"
    db.session.expire_all()
    assert application.status == ApplicationStatus.REJECTED
    assert application.placement.decision_reason == "Formålet skal beskrives nærmere."


def test_hours_logged_and_confirmed(client, world) -> None:
    company, task, graduate, caseworker, _other, application = world
    task.form, task.hourly_wage = TaskForm.PAID, 150
    db.session.commit()
    applications.accept_application(company.owner, application.id)
    placement = application.placement
    assert placement.status == PlacementStatus.APPROVED
    placement.start_on = date.today() - timedelta(days=10)
    db.session.commit()
    grad = token_for(client, graduate)
    url = f"/api/v1/placements/{placement.id}/hours"
    day = (date.today() - timedelta(days=1)).isoformat()
    created = client.post(
        url, json={"date": day, "hours": "7,5", "note": "Interviews"}, headers=grad
    )
    assert created.status_code == 201, created.get_json()
    conforms(created.get_json(), "PlacementHours")
    assert created.get_json()["hours"] == 7.5
    for body in (
        {"date": day, "hours": 30},
        {"date": "2026-02-30", "hours": 2},
        {"date": (date.today() + timedelta(days=2)).isoformat(), "hours": 2},
        {"date": day},
        {"date": day, "hours": [1]},
    ):
        assert client.post(url, json=body, headers=grad).status_code == 422, body
    owner = token_for(client, company.owner)
    assert client.post(url, json={"date": day, "hours": 2}, headers=owner).status_code == 403
    confirm = f"/api/v1/placements/{placement.id}/hours/confirm"
    assert client.post(confirm, headers=grad).status_code == 403
    assert client.post(confirm, json={"hours_ids": [999999]}, headers=owner).status_code == 422
    stranger = token_for(client, CompanyFactory().owner)
    assert client.post(confirm, headers=stranger).status_code == 404
    done = client.post(confirm, headers=owner)
    assert done.status_code == 200 and done.get_json() == {"confirmed": 1}
    listed = client.get("/api/v1/placements", headers=grad).get_json()
    assert listed[0]["hours_confirmed"] == 7.5 and listed[0]["form"] == "paid"
    # The caseworker handles praktik only: a paid job is not theirs to see.
    mine = token_for(client, caseworker)
    assert client.get(f"/api/v1/placements/{placement.id}", headers=mine).status_code == 404


def test_tasks_carry_their_form(client, app) -> None:
    company = CompanyFactory(employees=3)
    owner = token_for(client, company.owner)
    body = {
        "title": "Budget",
        "description": "Et budget i Excel.",
        "hours": 20,
        "deadline": (date.today() + timedelta(days=30)).isoformat(),
        "remote": True,
    }
    missing = client.post("/api/v1/tasks", json=body, headers=owner)
    assert missing.status_code == 422 and "form" in missing.get_json()["error"]["fields"]
    too_long = client.post(
        "/api/v1/tasks",
        json={**body, "form": "praktik", "hours_per_week": 37, "weeks": 6},
        headers=owner,
    )
    assert too_long.status_code == 422
    assert too_long.get_json()["error"]["code"] == "rule_broken"
    created = client.post(
        "/api/v1/tasks",
        json={**body, "form": "praktik", "hours_per_week": 10, "weeks": 2},
        headers=owner,
    )
    assert created.status_code == 201, created.get_json()
    conforms(created.get_json(), "Task")
    assert created.get_json()["form"] == "praktik" and created.get_json()["weeks"] == 2
    voluntary = client.post("/api/v1/tasks", json={**body, "form": "voluntary"}, headers=owner)
    assert voluntary.status_code == 422 and voluntary.get_json()["error"]["code"] == "rule_broken"


def test_applying_with_the_former_employer_declaration(client, world) -> None:
    _company, task, *_rest = world
    graduate = JobseekerFactory()
    headers = token_for(client, graduate)
    response = client.post(
        f"/api/v1/tasks/{task.id}/applications",
        json={"motivation": "Jeg vil gerne.", "worked_for_company": True},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "rule_broken"
