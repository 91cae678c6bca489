"""The JSON API v1: a whole session, the error shape, token rules, other people's objects."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import ApiToken, Application, Role, User
from taskboerse.services import companies
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    CompanyFactory,
    JobseekerFactory,
    UserFactory,
)
from tests.helpers import backdate_acceptance, count_queries


def token_for(client, user) -> dict:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def task_body(**kw) -> dict:
    data = {
        "title": "Markedsanalyse for ny café",
        "description": "Analyser konkurrenter og målgrupper.",
        "required_skills": ["Markedsanalyse", "Excel"],
        "hours": 20,
        "deadline": (date.today() + timedelta(days=30)).isoformat(),
        "postcode": "8000",
        "remote": True,
        "capacity": 1,
        "form": "paid",
        "hourly_wage": 150,
    }
    data.update(kw)
    return data


def test_full_session(client) -> None:
    r = client.post(
        "/api/v1/users",
        json={
            "email": "ent@example.com",
            "password": "lang-kode-1",
            "name": "Ida Iværksætter",
            "role": "entrepreneur",
        },
    )
    assert r.status_code == 201 and r.get_json()["role"] == "entrepreneur"
    r = client.post("/api/v1/tokens", json={"email": "ent@example.com", "password": "lang-kode-1"})
    assert r.status_code == 201 and "expires_at" in r.get_json()
    ent = {"Authorization": f"Bearer {r.get_json()['token']}"}
    assert (
        client.put(
            "/api/v1/me/company", json={"name": "Fjordlys ApS", "cvr": "10150817"}, headers=ent
        ).status_code
        == 200
    )
    r = client.post("/api/v1/tasks", json=task_body(), headers=ent)
    assert r.status_code == 201 and r.get_json()["status"] == "draft"
    task_id = r.get_json()["id"]
    assert (
        client.post(f"/api/v1/tasks/{task_id}/publish", headers=ent).get_json()["status"] == "open"
    )

    client.post(
        "/api/v1/users",
        json={
            "email": "js@example.com",
            "password": "lang-kode-2",
            "name": "Freja",
            "role": "jobseeker",
        },
    )
    r = client.post("/api/v1/tokens", json={"email": "js@example.com", "password": "lang-kode-2"})
    js = {"Authorization": f"Bearer {r.get_json()['token']}"}
    r = client.patch(
        "/api/v1/me/profile",
        json={"skills": ["excel", "markedsanalyser"], "postcode": "8200"},
        headers=js,
    )
    assert r.status_code == 200 and r.get_json()["skills"] == ["Excel", "Markedsanalyse"]
    r = client.get("/api/v1/recommendations", headers=js)
    assert r.status_code == 200
    [rec] = r.get_json()
    assert rec["task"]["id"] == task_id
    assert rec["explanation"]["sentence"].startswith("Du har 2 af 2")
    r = client.post(
        f"/api/v1/tasks/{task_id}/applications", json={"motivation": "Jeg vil"}, headers=js
    )
    assert r.status_code == 201
    app_id = r.get_json()["id"]
    again = client.post(
        f"/api/v1/tasks/{task_id}/applications", json={"motivation": "x"}, headers=js
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    assert client.post(f"/api/v1/applications/{app_id}/accept", headers=ent).status_code == 200
    backdate_acceptance(db.session.get(Application, app_id))
    r = client.post(
        f"/api/v1/applications/{app_id}/complete",
        json={"rating": 5, "reference": "Flot", "skills_used": ["Excel"]},
        headers=ent,
    )
    assert r.status_code == 200 and r.get_json()["status"] == "completed"
    me = client.get("/api/v1/me", headers=js).get_json()
    assert me["profile"]["endorsed_skills"] == []  # the company is not verified yet
    company = db.session.get(Application, app_id).task.company
    companies.verify_company(UserFactory(role=Role.ADMIN), company.id)
    me = client.get("/api/v1/me", headers=js).get_json()
    assert me["profile"]["endorsed_skills"] == ["Excel"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "a@example.com", "password": "lang-kode", "name": "A", "role": "admin"}, "role"),
        (
            {"email": "a@example.com", "password": "kort", "name": "A", "role": "jobseeker"},
            "password",
        ),
        (
            {
                "email": "a@example.com",
                "password": "lang-kode",
                "name": "A",
                "role": "jobseeker",
                "is_admin": True,
            },
            "is_admin",
        ),
        ({"email": "a@example.com", "password": "lang-kode", "role": "jobseeker"}, "name"),
    ],
)
def test_signup_validation(client, payload, field) -> None:
    r = client.post("/api/v1/users", json=payload)
    assert r.status_code == 422
    assert field in r.get_json()["error"]["fields"]
    assert db.session.execute(select(User)).first() is None


def test_malformed_json_is_400(client) -> None:
    r = client.post("/api/v1/users", data="{nope", content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "malformed"


def test_missing_and_bad_tokens_are_401(client) -> None:
    assert client.get("/api/v1/me").status_code == 401
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"


def test_deleted_token_stops_working(client) -> None:
    headers = token_for(client, JobseekerFactory())
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_disabling_a_user_kills_tokens(client, login_as) -> None:
    user = JobseekerFactory()
    headers = token_for(client, user)
    admin = login_as(UserFactory(role=Role.ADMIN))
    admin.post(f"/admin/users/{user.id}/disable")
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert db.session.execute(select(ApiToken)).first() is None


def test_tokens_are_stored_hashed(client) -> None:
    headers = token_for(client, JobseekerFactory())
    raw = headers["Authorization"].split()[1]
    row = db.session.execute(select(ApiToken)).scalar_one()
    assert raw not in row.token_hash and len(row.token_hash) == 64


def test_unknown_route_is_json_404(client) -> None:
    r = client.get("/api/v1/nothing")
    assert r.status_code == 404 and "error" in r.get_json()


def test_other_peoples_objects_are_refused(client) -> None:
    application = ApplicationFactory()
    task = application.task
    other_js = token_for(client, JobseekerFactory())
    other_ent_company = CompanyFactory()
    other_ent = token_for(client, other_ent_company.owner)
    assert (
        client.patch(f"/api/v1/tasks/{task.id}", json={"hours": 5}, headers=other_ent).status_code
        == 403
    )
    for action in ("publish", "close", "cancel"):
        assert client.post(f"/api/v1/tasks/{task.id}/{action}", headers=other_ent).status_code in (
            403,
            404,
        )
    assert client.get(f"/api/v1/tasks/{task.id}/candidates", headers=other_ent).status_code == 403
    assert (
        client.post(
            f"/api/v1/tasks/{task.id}/invitations", json={"jobseeker_id": 1}, headers=other_ent
        ).status_code
        == 403
    )
    for action in ("accept", "reject"):
        assert (
            client.post(
                f"/api/v1/applications/{application.id}/{action}", headers=other_ent
            ).status_code
            == 404
        )
    assert (
        client.post(
            f"/api/v1/applications/{application.id}/complete",
            json={"rating": 5, "reference": "x"},
            headers=other_ent,
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/applications/{application.id}/withdraw", headers=other_js).status_code
        == 404
    )
    assert client.get("/api/v1/applications", headers=other_js).get_json() == []
    assert client.get("/api/v1/applications", headers=other_ent).get_json() == []
    db.session.expire_all()
    assert application.status.value == "pending"


def test_openapi_document(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert "/tasks/{task_id}/applications" in doc["paths"]
    body = doc["paths"]["/tasks"]["post"]["requestBody"]["content"]["application/json"]
    assert body["example"]["title"]


def test_a_body_cannot_set_status_owner_or_ids(client) -> None:
    headers = token_for(client, CompanyFactory().owner)
    for extra in ({"status": "open"}, {"company_id": 1}, {"id": 5}, {"owner": 2}):
        r = client.post("/api/v1/tasks", json=task_body(**extra), headers=headers)
        assert r.status_code == 422
        assert list(extra)[0] in r.get_json()["error"]["fields"]


def test_drafts_of_others_are_404_and_roles_are_403(client) -> None:
    from tests.factories import TaskFactory

    draft = TaskFactory(status="draft")
    other = token_for(client, CompanyFactory().owner)
    assert client.get(f"/api/v1/tasks/{draft.id}", headers=other).status_code == 404
    owner = token_for(client, draft.company.owner)
    assert client.get(f"/api/v1/tasks/{draft.id}", headers=owner).status_code == 200
    assert client.patch("/api/v1/me/profile", json={}, headers=owner).status_code == 403
    graduate = token_for(client, JobseekerFactory())
    r = client.post("/api/v1/tasks", json=task_body(), headers=graduate)
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"


def test_token_endpoint_is_rate_limited(_migrated) -> None:
    from taskboerse.app import create_app
    from taskboerse.config import TestingConfig

    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=_migrated,
        RATELIMIT_ENABLED=True,
        API_TOKEN_RATE_LIMIT="2 per minute",
    )
    client = app.test_client()
    try:
        codes = [
            client.post(
                "/api/v1/tokens", json={"email": "x@example.com", "password": "y" * 9}
            ).status_code
            for _ in range(3)
        ]
        last = client.post("/api/v1/tokens", json={"email": "x@example.com", "password": "y"})
        assert last.get_json()["error"]["code"] == "rate_limited"
    finally:
        with app.app_context():
            db.engine.dispose()
    assert codes == [401, 401, 429]


def test_task_list_costs_the_same_queries_for_any_page_size(client) -> None:

    from tests.factories import TaskFactory

    headers = token_for(client, JobseekerFactory())

    def queries_for(n: int) -> int:
        for _ in range(n):
            TaskFactory()
        return count_queries(client, "/api/v1/tasks?per_page=50", headers)

    assert queries_for(2) == queries_for(10)


def test_text_patterns_refuse_nul_even_as_the_only_non_blank_character() -> None:
    # Found by the fuzzer: "^[^\0]*\S[^\0]*$" let one NUL through as the \S.
    import re

    from taskboerse.web.api.openapi import NO_NUL, NOT_BLANK

    for pattern in (NO_NUL, NOT_BLANK):
        assert re.search(pattern, "ab\x00c") is None
    assert re.search(NOT_BLANK, "  \t") is None
    assert re.search(NOT_BLANK, " ok ") is not None
