"""Danish by default, English on request; dates formatted for the chosen language."""

from __future__ import annotations

from datetime import date

from taskboerse.extensions import db
from tests.factories import JobseekerFactory, TaskFactory


def test_danish_is_the_default(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="da">' in page
    assert "Små opgaver, rigtig erfaring" in page


def test_accept_language_does_not_override_danish_default(client) -> None:
    page = client.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "Find opgaver" in page


def test_language_switch_to_english_and_back(client) -> None:
    response = client.post("/language", data={"lang": "en", "next": "/tasks"})
    assert response.headers["Location"] == "/tasks"
    page = client.get("/tasks").get_data(as_text=True)
    assert '<html lang="en">' in page and "Find tasks" in page
    client.post("/language", data={"lang": "da"})
    assert "Find opgaver" in client.get("/tasks").get_data(as_text=True)


def test_language_switch_refuses_unknown_language_and_foreign_next(client) -> None:
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example.com"})
    assert response.headers["Location"] == "/"
    assert "Find opgaver" in client.get("/").get_data(as_text=True)


def test_dates_follow_the_language(client) -> None:
    task = TaskFactory(deadline=date(2030, 3, 5))
    danish = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "5. marts 2030" in danish
    client.post("/language", data={"lang": "en"})
    english = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "March 5, 2030" in english


def test_choice_is_remembered_on_the_account(app, login_as) -> None:
    user = JobseekerFactory()
    client = login_as(user)
    client.post("/language", data={"lang": "en"})
    db.session.expire_all()
    assert user.locale == "en"
    fresh = login_as(user)
    assert "My page" in fresh.get("/jobseeker/").get_data(as_text=True)


def test_validation_messages_in_english(client) -> None:
    client.post("/language", data={"lang": "en"})
    response = client.post("/auth/signup", data={"role": "jobseeker"})
    page = response.get_data(as_text=True)
    assert "This field is required." in page
