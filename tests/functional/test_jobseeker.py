"""Graduates: profile, browsing and searching open tasks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import JobseekerProfile, Skill, TaskStatus
from tests.factories import JobseekerFactory, TaskFactory, UserFactory


def profile_form(**overrides) -> dict:
    data = {
        "degree_level": "master",
        "field": "Cand.merc. i marketing",
        "institution": "CBS",
        "graduation_year": "2025",
        "skills": "excel, markedsanalyser, Strikning",
        "languages": "Dansk, Engelsk",
        "hours_per_week": "20",
        "postcode": "2200",
        "remote_ok": "y",
        "about": "Nysgerrig og grundig.",
    }
    data.update(overrides)
    return data


def test_save_profile_normalises_skills(login_as) -> None:
    user = UserFactory()
    client = login_as(user)
    response = client.post("/jobseeker/profile", data=profile_form())
    assert response.status_code == 302
    profile = db.session.execute(select(JobseekerProfile)).scalar_one()
    assert [(s.label, s.skill_id is not None) for s in profile.skills] == [
        ("Excel", True),
        ("Markedsanalyse", True),
        ("Strikning", False),
    ]
    assert profile.languages == ["Dansk", "Engelsk"]
    assert profile.degree_level.value == "master"
    page = client.get("/jobseeker/profile").get_data(as_text=True)
    assert "Markedsanalyse" in page and "Nysgerrig og grundig." in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"graduation_year": "1800"}, "Skriv et årstal."),
        ({"graduation_year": "sidste år"}, "Skriv et helt tal."),
        ({"hours_per_week": "100"}, "Skriv 1 til 60 timer."),
        ({"postcode": "abcd"}, "Et dansk postnummer består af 4 cifre."),
        ({"degree_level": "professor"}, "Ikke et gyldigt valg."),
        ({"languages": ", ".join(f"sprog{i}" for i in range(12))}, "Angiv højst 10 sprog"),
    ],
)
def test_profile_validation(login_as, overrides, message) -> None:
    client = login_as(UserFactory())
    response = client.post("/jobseeker/profile", data=profile_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.execute(select(JobseekerProfile)).first() is None


def test_entrepreneur_has_no_profile_page(login_as) -> None:
    client = login_as(UserFactory(role="entrepreneur"))
    assert client.get("/jobseeker/profile").status_code == 403


@pytest.fixture
def catalogue():
    """A handful of tasks to search in."""
    soon = date.today() + timedelta(days=5)
    later = date.today() + timedelta(days=40)
    excel = db.session.execute(select(Skill).where(Skill.slug == "excel")).scalar_one()
    tasks = {
        "budget": TaskFactory(
            title="Budget i Excel", hours=10, remote=True, deadline=later, skills=["Excel"]
        ),
        "seo": TaskFactory(
            title="SEO-gennemgang",
            hours=30,
            remote=False,
            deadline=soon,
            description="Søgemaskineoptimering af webshop",
            skills=["SEO"],
        ),
        "draft": TaskFactory(title="Hemmelig kladde", status=TaskStatus.DRAFT),
        "expired": TaskFactory(title="Udløbet", deadline=date.today() - timedelta(days=1)),
        "cancelled": TaskFactory(title="Aflyst", status=TaskStatus.CANCELLED),
    }
    tasks["budget"].skills[0].skill_id = excel.id
    db.session.commit()
    return tasks


def titles(response) -> set[str]:
    page = response.get_data(as_text=True)
    return {
        t
        for t in ("Budget i Excel", "SEO-gennemgang", "Hemmelig kladde", "Udløbet", "Aflyst")
        if t in page
    }


def test_browse_shows_only_open_tasks(client, catalogue) -> None:
    assert titles(client.get("/tasks")) == {"Budget i Excel", "SEO-gennemgang"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "excel"}, {"Budget i Excel"}),
        ({"q": "søgemaskine"}, {"SEO-gennemgang"}),
        ({"q": "100%_"}, set()),
        ({"q": "firma"}, {"Budget i Excel", "SEO-gennemgang"}),  # the company's name
        ({"remote": "yes"}, {"Budget i Excel"}),
        ({"remote": "no"}, {"SEO-gennemgang"}),
        ({"max_hours": "15"}, {"Budget i Excel"}),
        ({"deadline_before": (date.today() + timedelta(days=10)).isoformat()}, {"SEO-gennemgang"}),
    ],
)
def test_search_and_filters(client, catalogue, query, expected) -> None:
    assert titles(client.get("/tasks", query_string=query)) == expected


def test_search_matches_a_skill_label_alone(client, catalogue) -> None:
    TaskFactory(title="Uden nøgleord", description="Intet her", skills=["Kvantefysik"])
    page = client.get("/tasks", query_string={"q": "kvantefys"}).get_data(as_text=True)
    assert "Uden nøgleord" in page and "Budget i Excel" not in page


def test_filter_by_skill(client, catalogue) -> None:
    excel = db.session.execute(select(Skill).where(Skill.slug == "excel")).scalar_one()
    assert titles(client.get("/tasks", query_string={"skill": excel.id})) == {"Budget i Excel"}


def test_sort_by_deadline(client, catalogue) -> None:
    page = client.get("/tasks", query_string={"sort": "deadline"}).get_data(as_text=True)
    assert page.index("SEO-gennemgang") < page.index("Budget i Excel")


@pytest.mark.parametrize(
    "query",
    [
        {"max_hours": "mange"},
        {"deadline_before": "snart"},
        {"sort": "random"},
        {"page": "x"},
        {"page": "-4"},
        {"skill": "999999"},
        {"q": "x" * 500},
    ],
)
def test_bad_filters_never_500(client, catalogue, query) -> None:
    response = client.get("/tasks", query_string=query)
    assert response.status_code in (200, 422)


def test_pagination(client) -> None:
    for i in range(23):
        TaskFactory(title=f"Side-opgave {i:02d}")
    first = client.get("/tasks").get_data(as_text=True)
    assert "Side 1 af 3" in first and "23 opgaver fundet" in first
    third = client.get("/tasks?page=3").get_data(as_text=True)
    assert third.count('class="card task-card"') == 3
    assert client.get("/tasks?page=99").status_code == 200


def test_draft_task_page_is_hidden_from_others(client, catalogue) -> None:
    assert client.get(f"/tasks/{catalogue['draft'].id}").status_code == 404
    assert client.get("/tasks/987654").status_code == 404


def test_jobseeker_dashboard_lists_applications(login_as) -> None:
    user = JobseekerFactory()
    client = login_as(user)
    page = client.get("/jobseeker/").get_data(as_text=True)
    assert "Du har ikke søgt nogen opgaver endnu." in page


def test_pages_keep_the_filters(client) -> None:
    for i in range(12):
        TaskFactory(title=f"Analyse nr. {i}")
    first = client.get("/tasks?q=analyse").get_data(as_text=True)
    assert "Side 1 af 2" in first
    assert 'href="/tasks?page=2&amp;q=analyse" rel="next"' in first
    second = client.get("/tasks?q=analyse&page=2").get_data(as_text=True)
    assert second.count("Analyse nr.") == 2 and 'rel="prev"' in second
