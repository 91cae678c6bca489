"""The task list filters on the form of a task (a graduate on dagpenge may want only paid
work), in the web list, the API, and saved searches with their alerts."""

from __future__ import annotations

import pytest

from taskboerse.models import TaskForm
from taskboerse.services import clock
from taskboerse.services import saved_searches as service
from taskboerse.services.errors import ValidationFailed
from taskboerse.services.saved_searches import SavedSearchInfo
from tests.factories import JobseekerFactory, PraktikTaskFactory, TaskFactory
from tests.functional.test_api_placements import token_for
from tests.functional.test_saved_searches import (
    MONDAY,
    at,
    mails,
    remote_task,
    run,
)


@pytest.fixture
def two_forms(app):
    paid = TaskFactory(title="Betalt budget")
    praktik = PraktikTaskFactory(title="Praktik med budget")
    return paid, praktik


def test_the_list_shows_only_the_chosen_form(client, two_forms) -> None:
    page = client.get("/tasks?form=paid").get_data(as_text=True)
    assert "Betalt budget" in page and "Praktik med budget" not in page
    page = client.get("/tasks?form=praktik").get_data(as_text=True)
    assert "Praktik med budget" in page and "Betalt budget" not in page
    # A form that does not exist is an error beside the field (422, as for every filter),
    # and the list is not filtered by it.
    response = client.get("/tasks?form=slave")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Betalt budget" in page and "Praktik med budget" in page


def test_the_api_filters_on_form(client, two_forms) -> None:
    headers = token_for(client, JobseekerFactory())
    titles = [
        t["title"]
        for t in client.get("/api/v1/tasks?form=praktik", headers=headers).get_json()["items"]
    ]
    assert titles == ["Praktik med budget"]
    assert client.get("/api/v1/tasks?form=nope", headers=headers).status_code == 422


def test_a_saved_search_keeps_its_form_and_alerts_only_on_it(app, monkeypatch) -> None:
    def frozen(moment) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    graduate = JobseekerFactory()
    frozen(at(MONDAY, 10))
    search = service.create_saved_search(
        graduate, SavedSearchInfo(name="Lønnet", form="paid", remote=True, frequency="instant")
    )
    assert search.form == "paid"
    remote_task(at(MONDAY, 10, 5), title="Lønnet på afstand")
    remote_task(
        at(MONDAY, 10, 5),
        title="Praktik på afstand",
        form=TaskForm.PRAKTIK,
        hourly_wage=None,
        hours_per_week=20,
        weeks=2,
    )
    frozen(at(MONDAY, 10, 6))
    assert run() == 1
    (sent,) = mails()
    assert "Lønnet på afstand" in sent[2] and "Praktik på afstand" not in sent[2]
    with pytest.raises(ValidationFailed):
        service.create_saved_search(graduate, SavedSearchInfo(name="X", form="slave"))
    assert len(service.list_saved_searches(graduate)) == 1


def test_saving_from_the_list_keeps_the_form(app, login_as) -> None:
    graduate = JobseekerFactory()
    client = login_as(graduate)
    page = client.get("/tasks?form=voluntary").get_data(as_text=True)
    assert 'value="voluntary"' in page
    response = client.post(
        "/saved-searches",
        data={"save-name": "Frivilligt", "save-frequency": "weekly", "save-form": "voluntary"},
    )
    assert response.status_code == 302
    (search,) = service.list_saved_searches(graduate)
    assert search.form == "voluntary"
    listed = client.get("/saved-searches").get_data(as_text=True)
    assert "form=voluntary" in listed  # "Show results" keeps the filter
