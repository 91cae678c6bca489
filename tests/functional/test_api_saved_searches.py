"""The API's saved searches: GET/POST /me/saved-searches and DELETE /me/saved-searches/{id},
for graduates only, validated against the OpenAPI document, others' ids 404."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import AlertFrequency, SavedSearch
from taskboerse.services import saved_searches as service
from taskboerse.web.api.openapi import SCHEMAS
from tests.factories import PASSWORD, CompanyFactory, JobseekerFactory, UserFactory

URL = "/api/v1/me/saved-searches"


def token_for(client, user) -> dict:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def conforms(instance, schema: str) -> None:
    validator = Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}}
    )
    validator.validate(instance)


def count() -> int:
    return db.session.execute(select(func.count()).select_from(SavedSearch)).scalar_one()


@pytest.fixture
def graduate(app):
    return JobseekerFactory(locale="en")


@pytest.fixture
def headers(client, graduate) -> dict:
    return token_for(client, graduate)


def test_save_list_and_delete(client, headers) -> None:
    assert client.get(URL, headers=headers).get_json() == []
    body = {
        "name": "Excel i Aarhus",
        "q": "excel",
        "within_km": 25,
        "max_hours": 40,
        "remote": None,
        "frequency": "instant",
    }
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 201
    data = created.get_json()
    conforms(data, "SavedSearch")
    assert {k: data[k] for k in body} == body
    assert data["skill_id"] is None and data["sent_at"] is None

    # Only a name is required; the frequency is daily unless given.
    plain = client.post(URL, json={"name": "Alt"}, headers=headers).get_json()
    assert (plain["frequency"], plain["q"], plain["remote"]) == ("daily", "", None)

    listed = client.get(URL, headers=headers).get_json()
    assert [s["name"] for s in listed] == ["Excel i Aarhus", "Alt"]
    for item in listed:
        conforms(item, "SavedSearch")

    deleted = client.delete(f"{URL}/{data['id']}", headers=headers)
    assert deleted.status_code == 204
    assert client.delete(f"{URL}/{data['id']}", headers=headers).status_code == 404
    assert [s["name"] for s in client.get(URL, headers=headers).get_json()] == ["Alt"]


def test_the_fits_you_alert_is_not_listed(client, graduate, headers) -> None:
    fits = service.set_recommended_alert(graduate, "daily")
    assert client.get(URL, headers=headers).get_json() == []
    assert client.delete(f"{URL}/{fits.id}", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "A", "q": "x" * 201}, "q"),
        ({"name": "A", "within_km": 7}, "within_km"),
        ({"name": "A", "within_km": "25"}, "within_km"),
        ({"name": "A", "max_hours": 0}, "max_hours"),
        ({"name": "A", "max_hours": 1001}, "max_hours"),
        ({"name": "A", "remote": "yes"}, "remote"),
        ({"name": "A", "frequency": "hourly"}, "frequency"),
        ({"name": "A", "skill_id": 987654}, "skill_id"),
        ({"name": "A", "user_id": 1}, "user_id"),
        ({"name": "Min 010190-1234"}, "name"),
    ],
)
def test_bad_bodies_are_422_naming_the_field_and_change_nothing(client, headers, body, field):
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert field in error["fields"]
    conforms(response.get_json(), "Error")
    assert count() == 0


def test_the_eleventh_and_a_repeated_name_are_409(client, headers) -> None:
    for n in range(service.MAX_SAVED_SEARCHES):
        assert (
            client.post(URL, json={"name": f"S{n}", "q": f"q{n}"}, headers=headers).status_code
            == 201
        )
    response = client.post(URL, json={"name": "S11", "q": "elleve"}, headers=headers)
    assert response.status_code == 409
    assert "højst gemme 10 søgninger" in response.get_json()["error"]["message"]
    assert count() == 10
    client.delete(f"{URL}/{client.get(URL, headers=headers).get_json()[0]['id']}", headers=headers)
    again = client.post(URL, json={"name": "s1", "q": "andet"}, headers=headers)
    assert again.status_code == 409 and "name" in again.get_json()["error"]["fields"]


def test_others_ids_are_404_and_other_roles_403(client, headers) -> None:
    theirs = service.create_saved_search(JobseekerFactory(), service.SavedSearchInfo(name="Deres"))
    assert client.delete(f"{URL}/{theirs.id}", headers=headers).status_code == 404
    assert client.delete(f"{URL}/99999", headers=headers).status_code == 404
    assert count() == 1
    for user in (CompanyFactory().owner, UserFactory(role="caseworker")):
        other = token_for(client, user)
        assert client.get(URL, headers=other).status_code == 403
        assert client.post(URL, json={"name": "A"}, headers=other).status_code == 403
        assert client.delete(f"{URL}/{theirs.id}", headers=other).status_code == 403
    assert client.get(URL).status_code == 401
    assert client.post(URL, json={"name": "A"}).status_code == 401
    db.session.expire_all()
    assert theirs.frequency == AlertFrequency.DAILY


def test_the_openapi_document_describes_them(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    saved = doc["paths"]["/me/saved-searches"]
    assert set(saved) == {"get", "post"}
    assert saved["post"]["requestBody"]["content"]["application/json"]["example"]["name"]
    assert "delete" in doc["paths"]["/me/saved-searches/{saved_search_id}"]
    fields = doc["components"]["schemas"]["SavedSearchCreate"]["properties"]
    assert set(fields) == {
        "name",
        "q",
        "skill_id",
        "within_km",
        "max_hours",
        "remote",
        "form",
        "frequency",
    }
