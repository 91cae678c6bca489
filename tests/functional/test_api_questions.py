"""The questions API (Spørg en mentor): ask, list and search, read, answer, mark helpful;
closed schemas and JSON errors."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import Answer, Notification, NotificationKind, Question, Role
from taskboerse.services import questions
from taskboerse.services.mentoring import MAX_ANSWER, MAX_QUESTION_TITLE
from taskboerse.web.api.openapi import SCHEMAS
from tests.factories import (
    PASSWORD,
    BusinessStaffFactory,
    CaseworkerFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
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
def people(app, client):
    users = {
        "asker": EntrepreneurFactory(locale="en"),
        "other": EntrepreneurFactory(locale="en"),
        "mentor": MentorFactory(locale="en", profile__headline="Tidligere bankdirektør"),
        "unapproved": MentorFactory(locale="en", profile__approved=False),
        "staff": BusinessStaffFactory(locale="en"),
        "admin": UserFactory(role=Role.ADMIN, locale="en"),
        "graduate": JobseekerFactory(locale="en"),
        "caseworker": CaseworkerFactory(locale="en"),
    }
    return {name: (user, token_for(client, user)) for name, user in users.items()}


QUESTION = {
    "title": "Hvornår skal jeg momsregistreres?",
    "body": "Jeg sælger lidt.",
    "public": True,
}


def test_ask_answer_and_mark_helpful(client, people) -> None:
    asker, asker_h = people["asker"]
    mentor, mentor_h = people["mentor"]
    response = client.post("/api/v1/questions", json=QUESTION, headers=asker_h)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    conforms(body, "Question")
    assert body["mine"] and body["public"] and body["asker"] == asker.name
    assert body["answers"] == [] and body["hidden"] is None
    question_id = body["id"]

    # The mentor reads it without the asker's name, and answers.
    read = client.get(f"/api/v1/questions/{question_id}", headers=mentor_h).get_json()
    conforms(read, "Question")
    assert read["asker"] is None and not read["mine"]
    response = client.post(
        f"/api/v1/questions/{question_id}/answers",
        json={"body": "Når du sælger for over 50.000 kr. på 12 måneder."},
        headers=mentor_h,
    )
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    conforms(answer, "Answer")
    assert answer["mine"] and answer["mentor"] == {
        "name": mentor.name,
        "headline": "Tidligere bankdirektør",
    }
    told = db.session.execute(
        select(Notification).where(
            Notification.user_id == asker.id,
            Notification.kind == NotificationKind.QUESTION_ANSWERED,
        )
    ).scalar_one()
    assert told.params["question_id"] == question_id

    response = client.post(f"/api/v1/answers/{answer['id']}/helpful", headers=asker_h)
    assert response.status_code == 200
    conforms(response.get_json(), "Answer")
    assert response.get_json()["helpful"] is True

    # Others find the answered public question, searched by the answer's words.
    found = client.get("/api/v1/questions?q=50.000", headers=people["other"][1]).get_json()
    conforms(found, "QuestionPage")
    assert [q["id"] for q in found["items"]] == [question_id]
    assert found["items"][0]["asker"] is None
    assert found["items"][0]["answers"][0]["helpful"] is True


def test_roles_and_visibility(client, people) -> None:
    asker, asker_h = people["asker"]
    private = questions.ask_question(asker, "Privat", "Hemmeligt", False)
    open_public = questions.ask_question(asker, "Uden svar", "Venter", True)
    for name in ("graduate", "caseworker", "mentor", "staff"):
        response = client.post("/api/v1/questions", json=QUESTION, headers=people[name][1])
        assert response.status_code == 403, name
        assert response.get_json()["error"]["code"] == "forbidden"
    for name in ("graduate", "caseworker"):
        assert client.get("/api/v1/questions", headers=people[name][1]).status_code == 403
    expected = {
        "asker": 200,
        "other": 404,
        "mentor": 200,
        "unapproved": 404,
        "staff": 200,
        "admin": 200,
        "graduate": 403,
        "caseworker": 403,
    }
    for name, status in expected.items():
        for question in (private, open_public):
            response = client.get(f"/api/v1/questions/{question.id}", headers=people[name][1])
            assert response.status_code == status, (name, question.title)
    listed = client.get("/api/v1/questions", headers=people["other"][1]).get_json()
    assert listed["items"] == [] and listed["total"] == 0
    assert client.get("/api/v1/questions", headers=people["unapproved"][1]).get_json()["total"] == 0
    assert client.get("/api/v1/questions", headers=people["mentor"][1]).get_json()["total"] == 2
    assert client.get("/api/v1/questions").status_code == 401


def test_refused_answers_and_marks_change_nothing(client, people) -> None:
    asker, _ = people["asker"]
    question = questions.ask_question(asker, "Spørgsmål", "Detaljer", True)
    response = client.post(
        f"/api/v1/questions/{question.id}/answers",
        json={"body": "Svar"},
        headers=people["unapproved"][1],
    )
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/questions/{question.id}/answers",
        json={"body": "Svar"},
        headers=people["other"][1],
    )
    assert response.status_code == 403
    assert db.session.execute(select(Answer)).first() is None
    answer = questions.answer_question(people["mentor"][0], question.id, "Svar")
    again = client.post(
        f"/api/v1/questions/{question.id}/answers",
        json={"body": "Igen"},
        headers=people["mentor"][1],
    )
    assert again.status_code == 409
    response = client.post(f"/api/v1/answers/{answer.id}/helpful", headers=people["other"][1])
    assert response.status_code == 403
    assert (
        client.post("/api/v1/answers/999999/helpful", headers=people["asker"][1]).status_code == 404
    )
    assert (
        client.post(
            "/api/v1/questions/999999/answers", json={"body": "x"}, headers=people["mentor"][1]
        ).status_code
        == 404
    )
    db.session.expire_all()
    assert answer.helpful_at is None
    assert len(db.session.execute(select(Answer)).all()) == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "B", "public": True}, "title"),
        ({"title": "T", "public": True}, "body"),
        ({"title": "T", "body": "B"}, "public"),
        ({**QUESTION, "title": ""}, "title"),
        ({**QUESTION, "title": "   "}, "title"),
        ({**QUESTION, "title": "x" * (MAX_QUESTION_TITLE + 1)}, "title"),
        ({**QUESTION, "body": "Mit CPR er 010190-1234"}, "body"),
        ({**QUESTION, "public": "yes"}, "public"),
        ({**QUESTION, "author_id": 1}, "author_id"),
        ({**QUESTION, "hidden": False}, "hidden"),
    ],
)
def test_bad_questions_are_422(client, people, payload, field) -> None:
    response = client.post("/api/v1/questions", json=payload, headers=people["asker"][1])
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    conforms(response.get_json(), "Error")
    assert field in error["fields"]
    assert db.session.execute(select(Question)).first() is None


@pytest.mark.parametrize(
    "payload",
    [{}, {"body": ""}, {"body": "x" * (MAX_ANSWER + 1)}, {"body": "ok", "helpful": True}, []],
)
def test_bad_answers_are_422(client, people, payload) -> None:
    question = questions.ask_question(people["asker"][0], "T", "B", True)
    response = client.post(
        f"/api/v1/questions/{question.id}/answers", json=payload, headers=people["mentor"][1]
    )
    assert response.status_code == 422
    assert db.session.execute(select(Answer)).first() is None


def test_not_json_is_400(client, people) -> None:
    response = client.post(
        "/api/v1/questions",
        data="title=x",
        headers={**people["asker"][1], "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed"


@pytest.mark.parametrize(
    "query",
    ["q=" + "x" * 201, "page=0", "page=abc", "per_page=1000", "unknown=1"],
)
def test_bad_list_parameters_are_422(client, people, query) -> None:
    response = client.get(f"/api/v1/questions?{query}", headers=people["asker"][1])
    assert response.status_code == 422


def test_search_escapes_wildcards_and_pages(client, people) -> None:
    asker, mentor = people["asker"][0], people["mentor"][0]
    for n in range(3):
        question = questions.ask_question(
            asker, f"Rabat {n}", "Hvad med 10% rabat?" if n else "Nej", True
        )
        questions.answer_question(mentor, question.id, "Svar")
    headers = people["other"][1]
    found = client.get("/api/v1/questions?q=%25", headers=headers).get_json()
    assert found["total"] == 2
    page = client.get("/api/v1/questions?per_page=2&page=2", headers=headers).get_json()
    assert page["total"] == 3 and len(page["items"]) == 1 and page["page"] == 2


def test_the_document_describes_the_routes(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "post" in doc["paths"]["/questions"] and "get" in doc["paths"]["/questions"]
    assert "post" in doc["paths"]["/questions/{question_id}/answers"]
    assert "post" in doc["paths"]["/answers/{answer_id}/helpful"]
    assert doc["components"]["schemas"]["QuestionCreate"]["additionalProperties"] is False
