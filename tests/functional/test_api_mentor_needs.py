"""The mentor-needs API: a need written, ranked mentors with reasons, a request, the mentor's
list, accept and decline; closed schemas, JSON errors and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    MentorNeed,
    MentorRequest,
    Mentorship,
    NeedStatus,
    Notification,
    NotificationKind,
    RequestStatus,
    Role,
)
from taskboerse.web.api.openapi import SCHEMAS
from tests.factories import (
    PASSWORD,
    BusinessStaffFactory,
    CompanyFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
    mentor_need,
)


def token_for(client, user) -> dict:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def conforms(instance, schema: str) -> None:
    Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}}
    ).validate(instance)


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


NEED = {
    "topic": "financing",
    "stage": "start",
    "description": "Vi skal rejse kapital til vores første år og vil gerne have sparring.",
    "frequency": "monthly",
    "skills": ["Forretningsplan"],
}


def test_round_trip(client) -> None:
    owner = CompanyFactory(postcode="8000").owner
    mentor = MentorFactory(name="Mona Mentor")
    as_owner, as_mentor = token_for(client, owner), token_for(client, mentor)

    created = client.post("/api/v1/mentor-needs", json=NEED, headers=as_owner)
    assert created.status_code == 201, created.get_json()
    need = created.get_json()
    conforms(need, "MentorNeed")
    assert need["postcode"] == "8000" and need["online"] is True and need["status"] == "open"

    listed = client.get("/api/v1/mentor-needs", headers=as_owner).get_json()
    assert [n["id"] for n in listed] == [need["id"]]
    one = client.get(f"/api/v1/mentor-needs/{need['id']}", headers=as_owner)
    assert one.status_code == 200

    ranked = client.get(f"/api/v1/mentor-needs/{need['id']}/mentors", headers=as_owner)
    assert ranked.status_code == 200
    body = ranked.get_json()
    conforms(body, "MentorCandidates")
    [first] = [m for m in body["items"] if m["mentor_id"] == mentor.id]
    assert first["name"] == "Mona Mentor" and first["reasons"] and first["capacity_left"] == 2
    assert 0 <= first["score"] <= 1

    sent = client.post(
        f"/api/v1/mentor-needs/{need['id']}/requests",
        json={"mentor_id": mentor.id, "message": "Vil du hjælpe os?"},
        headers=as_owner,
    )
    assert sent.status_code == 201, sent.get_json()
    request = sent.get_json()
    conforms(request, "MentorRequest")
    assert request["status"] == "pending"
    # While a request waits, no further candidates.
    waiting = client.get(f"/api/v1/mentor-needs/{need['id']}/mentors", headers=as_owner)
    assert waiting.get_json()["items"] == []

    mine = client.get("/api/v1/mentor-requests", headers=as_mentor).get_json()
    assert [r["id"] for r in mine] == [request["id"]]
    conforms(mine[0], "MentorRequestForMentor")
    assert mine[0]["days_left"] == 7 and mine[0]["company"] == owner.company.name

    start = (date.today() + timedelta(days=7)).isoformat()
    accepted = client.post(
        f"/api/v1/mentor-requests/{request['id']}/accept",
        json={"start_on": start, "weeks": 8},
        headers=as_mentor,
    )
    assert accepted.status_code == 200, accepted.get_json()
    result = accepted.get_json()
    conforms(result, "MentorRequestAccepted")
    assert result["mentorship"]["start_on"] == start
    assert result["request"]["status"] == "accepted"

    after = client.get(f"/api/v1/mentor-needs/{need['id']}", headers=as_owner).get_json()
    assert after["status"] == "matched"
    assert after["mentorship_id"] == result["mentorship"]["id"]
    assert after["requests"][0]["mentorship_id"] == result["mentorship"]["id"]


def test_accept_without_a_body_starts_today_for_twelve_weeks(client) -> None:
    owner = CompanyFactory().owner
    mentor = MentorFactory()
    need = mentor_need(owner)
    from taskboerse.services import mentor_needs

    request = mentor_needs.request_mentor(owner, need.id, mentor.id, "Hej")
    response = client.post(
        f"/api/v1/mentor-requests/{request.id}/accept", headers=token_for(client, mentor)
    )
    assert response.status_code == 200, response.get_json()
    mentorship = response.get_json()["mentorship"]
    assert mentorship["start_on"] == date.today().isoformat()
    assert mentorship["end_on"] == (date.today() + timedelta(weeks=12)).isoformat()


def test_decline_needs_a_reason(client) -> None:
    owner = CompanyFactory().owner
    mentor = MentorFactory()
    from taskboerse.services import mentor_needs

    request = mentor_needs.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    headers = token_for(client, mentor)
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}):
        r = client.post(f"/api/v1/mentor-requests/{request.id}/decline", json=body, headers=headers)
        assert r.status_code == 422, body
        assert "reason" in r.get_json()["error"]["fields"]
    ok = client.post(
        f"/api/v1/mentor-requests/{request.id}/decline",
        json={"reason": "Ikke mit felt."},
        headers=headers,
    )
    assert ok.status_code == 200
    conforms(ok.get_json(), "MentorRequestForMentor")
    assert ok.get_json()["decline_reason"] == "Ikke mit felt."
    note = db.session.execute(
        select(Notification).where(
            Notification.user_id == owner.id,
            Notification.kind == NotificationKind.MENTOR_REQUEST_DECLINED,
        )
    ).scalar_one()
    assert note.params["reason"] == "Ikke mit felt."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topic": "astrology"}, "topic"),
        ({"stage": None}, "stage"),
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"description": "CPR 010190-1234"}, "description"),
        ({"frequency": "hourly"}, "frequency"),
        ({"postcode": "12345"}, "postcode"),
        ({"postcode": "0000"}, "postcode"),
        ({"postcode": "", "online": False}, "postcode"),
        ({"online": "yes"}, "online"),
        ({"skills": ["x"] * 11}, "skills"),
        ({"status": "matched"}, "status"),
        ({"entrepreneur_id": 1}, "entrepreneur_id"),
    ],
)
def test_bad_need_bodies_are_422_and_save_nothing(client, change, field) -> None:
    headers = token_for(client, CompanyFactory().owner)
    r = client.post("/api/v1/mentor-needs", json={**NEED, **change}, headers=headers)
    assert r.status_code == 422, r.get_json()
    assert field in r.get_json()["error"]["fields"]
    assert count(MentorNeed) == 0


def test_malformed_json_is_400(client) -> None:
    headers = {**token_for(client, CompanyFactory().owner), "Content-Type": "application/json"}
    r = client.post("/api/v1/mentor-needs", data="{nope", headers=headers)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "malformed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mentor_id": 0, "message": "Hej"}, "mentor_id"),
        ({"mentor_id": "1", "message": "Hej"}, "mentor_id"),
        ({"message": "Hej"}, "mentor_id"),
        ({"mentor_id": 1}, "message"),
        ({"mentor_id": 1, "message": ""}, "message"),
        ({"mentor_id": 1, "message": "x" * 2001}, "message"),
        ({"mentor_id": 1, "message": "Hej", "status": "accepted"}, "status"),
    ],
)
def test_bad_request_bodies_are_422(client, body, field) -> None:
    owner = CompanyFactory().owner
    need = mentor_need(owner)
    r = client.post(
        f"/api/v1/mentor-needs/{need.id}/requests", json=body, headers=token_for(client, owner)
    )
    assert r.status_code == 422
    assert field in r.get_json()["error"]["fields"]
    assert count(MentorRequest) == 0


def test_request_rules_answer_409_and_404(client) -> None:
    owner = CompanyFactory().owner
    need = mentor_need(owner)
    headers = token_for(client, owner)
    url = f"/api/v1/mentor-needs/{need.id}/requests"
    waiting = MentorFactory(profile__approved=False)
    paused = MentorFactory(profile__paused=True)
    assert (
        client.post(
            url, json={"mentor_id": waiting.id, "message": "Hej"}, headers=headers
        ).status_code
        == 404
    )
    r = client.post(url, json={"mentor_id": paused.id, "message": "Hej"}, headers=headers)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
    first, second = MentorFactory(), MentorFactory()
    assert (
        client.post(
            url, json={"mentor_id": first.id, "message": "Hej"}, headers=headers
        ).status_code
        == 201
    )
    again = client.post(url, json={"mentor_id": second.id, "message": "Hej"}, headers=headers)
    assert again.status_code == 409
    assert first.name in again.get_json()["error"]["message"]
    assert count(MentorRequest) == 1


def test_accept_bodies_are_checked(client) -> None:
    owner = CompanyFactory().owner
    mentor = MentorFactory()
    from taskboerse.services import mentor_needs

    request = mentor_needs.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    headers = token_for(client, mentor)
    url = f"/api/v1/mentor-requests/{request.id}/accept"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    for body, field in (
        ({"weeks": 3}, "weeks"),
        ({"weeks": 25}, "weeks"),
        ({"start_on": "2027-02-30"}, "start_on"),
        ({"start_on": yesterday}, "start_on"),
        ({"start_on": "soon"}, "start_on"),
        ({"mentorship_id": 1}, "mentorship_id"),
    ):
        r = client.post(url, json=body, headers=headers)
        assert r.status_code == 422, (body, r.get_json())
        assert field in r.get_json()["error"]["fields"]
    assert count(Mentorship) == 0


def test_others_and_other_roles_are_refused(client) -> None:
    owner = CompanyFactory().owner
    mentor = MentorFactory()
    need = mentor_need(owner)
    from taskboerse.services import mentor_needs

    request = mentor_needs.request_mentor(owner, need.id, mentor.id, "Hej")
    stranger = token_for(client, CompanyFactory().owner)
    for method, url in (
        ("get", f"/api/v1/mentor-needs/{need.id}"),
        ("get", f"/api/v1/mentor-needs/{need.id}/mentors"),
        ("post", f"/api/v1/mentor-needs/{need.id}/close"),
        ("post", f"/api/v1/mentor-requests/{request.id}/withdraw"),
    ):
        assert getattr(client, method)(url, headers=stranger).status_code == 404, url
    r = client.post(
        f"/api/v1/mentor-needs/{need.id}/requests",
        json={"mentor_id": MentorFactory().id, "message": "Hej"},
        headers=stranger,
    )
    assert r.status_code == 404
    assert client.get("/api/v1/mentor-needs", headers=stranger).get_json() == []

    other_mentor = token_for(client, MentorFactory())
    assert client.get("/api/v1/mentor-requests", headers=other_mentor).get_json() == []
    assert (
        client.post(
            f"/api/v1/mentor-requests/{request.id}/accept", headers=other_mentor
        ).status_code
        == 404
    )
    r = client.post(
        f"/api/v1/mentor-requests/{request.id}/decline", json={"reason": "x"}, headers=other_mentor
    )
    assert r.status_code == 404

    for user in (
        JobseekerFactory(),
        BusinessStaffFactory(),
        UserFactory(role=Role.ADMIN),
        UserFactory(role=Role.CASEWORKER),
    ):
        headers = token_for(client, user)
        assert client.get("/api/v1/mentor-needs", headers=headers).status_code == 403
        assert client.post("/api/v1/mentor-needs", json=NEED, headers=headers).status_code == 403
        assert client.get("/api/v1/mentor-requests", headers=headers).status_code == 403
    as_mentor = token_for(client, mentor)
    assert client.get("/api/v1/mentor-needs", headers=as_mentor).status_code == 403
    assert (
        client.get("/api/v1/mentor-requests", headers=token_for(client, owner)).status_code == 403
    )
    assert client.get("/api/v1/mentor-needs").status_code == 401

    db.session.refresh(need)
    db.session.refresh(request)
    assert need.status == NeedStatus.OPEN and request.status == RequestStatus.PENDING


def test_withdraw_and_close(client) -> None:
    owner = CompanyFactory().owner
    mentor = MentorFactory()
    need = mentor_need(owner)
    headers = token_for(client, owner)
    sent = client.post(
        f"/api/v1/mentor-needs/{need.id}/requests",
        json={"mentor_id": mentor.id, "message": "Hej"},
        headers=headers,
    ).get_json()
    withdrawn = client.post(f"/api/v1/mentor-requests/{sent['id']}/withdraw", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/mentor-requests/{sent['id']}/withdraw", headers=headers)
    assert again.status_code == 409
    closed = client.post(f"/api/v1/mentor-needs/{need.id}/close", headers=headers)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    conforms(closed.get_json(), "MentorNeed")
    assert client.post(f"/api/v1/mentor-needs/{need.id}/close", headers=headers).status_code == 409


def test_the_document_has_the_paths_with_examples(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in (
        "/mentor-needs",
        "/mentor-needs/{need_id}/mentors",
        "/mentor-needs/{need_id}/requests",
        "/mentor-requests",
        "/mentor-requests/{request_id}/accept",
        "/mentor-requests/{request_id}/decline",
    ):
        assert path in doc["paths"]
    body = doc["paths"]["/mentor-needs"]["post"]["requestBody"]["content"]["application/json"]
    conforms(body["example"], "MentorNeedCreate")
    for name in ("MentorNeedCreate", "MentorRequestCreate", "MentorRequestDecline"):
        assert doc["components"]["schemas"][name]["additionalProperties"] is False


def test_a_fourth_open_need_is_409_and_saves_nothing(client) -> None:
    owner = CompanyFactory().owner
    headers = token_for(client, owner)
    for _ in range(3):
        assert client.post("/api/v1/mentor-needs", json=NEED, headers=headers).status_code == 201
    response = client.post("/api/v1/mentor-needs", json=NEED, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert count(MentorNeed, MentorNeed.entrepreneur_id == owner.id) == 3
