"""Input a user can type never produces a 500."""

from __future__ import annotations

import pytest

from tests.factories import CompanyFactory, JobseekerFactory

HUGE = "9" * 20


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", f"/tasks/{HUGE}"),
        ("GET", "/tasks/0"),
        ("GET", "/tasks/-1"),
        ("GET", "/tasks/abc"),
        ("POST", f"/tasks/{HUGE}/apply"),
        ("POST", f"/jobseeker/applications/{HUGE}/withdraw"),
        ("GET", f"/entrepreneur/tasks/{HUGE}"),
        ("POST", f"/entrepreneur/applications/{HUGE}/accept"),
        ("GET", "/no/such/page"),
    ],
)
def test_impossible_ids_are_404(login_as, method, url) -> None:
    for user in (JobseekerFactory(), CompanyFactory().owner):
        response = login_as(user).open(url, method=method, data={"motivation": "x"})
        # 403 where the role may not use the route at all; otherwise the id is simply unknown.
        assert response.status_code in (403, 404), (url, response.status_code)
        assert "Siden findes ikke" in response.get_data(as_text=True) or (
            response.status_code == 403
        )


def test_huge_skill_filter_is_ignored(client) -> None:
    assert client.get(f"/tasks?skill={HUGE}").status_code == 200


def test_wrong_method_is_405(client) -> None:
    response = client.get("/auth/logout")
    assert response.status_code == 405


def test_nul_characters_are_refused_everywhere(client, login_as) -> None:
    """PostgreSQL cannot store NUL in text; the guard answers 400 before anything is written."""
    assert client.get("/tasks?q=a%00b").status_code == 400
    user = JobseekerFactory()
    browser = login_as(user)
    assert browser.post("/jobseeker/profile", data={"about": "a\x00b"}).status_code == 400
    api = client.post(
        "/api/v1/users",
        json={
            "email": "x@example.com",
            "password": "lang-kode",
            "name": "A\x00",
            "role": "jobseeker",
        },
    )
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "malformed"
