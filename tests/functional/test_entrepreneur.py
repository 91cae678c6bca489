"""Entrepreneurs: company with CVR check, creating, editing and moving tasks through states."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import Company, Task, TaskStatus
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    EntrepreneurFactory,
    TaskFactory,
)
from tests.functional.test_marketplace_loop import task_form


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_register_company(login_as) -> None:
    client = login_as(EntrepreneurFactory())
    response = client.post(
        "/entrepreneur/company", data={"name": "Fjordlys ApS", "cvr": "DK 1015 0817"}
    )
    assert response.status_code == 302
    company = db.session.execute(select(Company)).scalar_one()
    assert company.cvr == "10150817"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Firma", "cvr": "12345678"}, "Et CVR-nummer består af 8 cifre"),
        ({"name": "Firma", "cvr": "1015081"}, "Et CVR-nummer består af 8 cifre"),
        ({"name": "Firma", "cvr": "abcdefgh"}, "Et CVR-nummer består af 8 cifre"),
        ({"name": "", "cvr": "10150817"}, "Feltet skal udfyldes."),
        ({"name": "Firma", "cvr": ""}, "Feltet skal udfyldes."),
    ],
)
def test_company_validation(login_as, data, message) -> None:
    client = login_as(EntrepreneurFactory())
    response = client.post("/entrepreneur/company", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Company) == 0


def test_cvr_is_unique(login_as) -> None:
    CompanyFactory(cvr="10150817")
    client = login_as(EntrepreneurFactory())
    response = client.post("/entrepreneur/company", data={"name": "Kopi", "cvr": "10150817"})
    assert response.status_code == 422
    assert "CVR-nummeret er allerede registreret." in response.get_data(as_text=True)


def test_posting_a_task_needs_a_company(login_as) -> None:
    client = login_as(EntrepreneurFactory())
    response = client.post("/entrepreneur/tasks/new", data=task_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/entrepreneur/company")
    assert count(Task) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Feltet skal udfyldes."),
        ({"description": ""}, "description", "Feltet skal udfyldes."),
        ({"hours": "0"}, "hours", "Skriv 1 til 160 timer."),
        ({"hours": "mange"}, "hours", "Skriv et helt tal."),
        ({"capacity": "21"}, "capacity", "Skriv 1 til 20 dimittender."),
        ({"deadline": "2020-01-01"}, "deadline", "Fristen kan ikke ligge i fortiden."),
        ({"deadline": "i morgen"}, "deadline", "Skriv en gyldig dato."),
        ({"postcode": "80000"}, "postcode", "Et dansk postnummer består af 4 cifre."),
        ({"postcode": "", "remote": ""}, "postcode", "Angiv et postnummer, eller markér"),
        (
            {"required_skills": ", ".join(f"skill {i}" for i in range(30))},
            "required_skills",
            "Højst 25 kompetencer.",
        ),
    ],
)
def test_task_validation_shows_message_next_to_field(login_as, overrides, field, message) -> None:
    company = CompanyFactory()
    client = login_as(company.owner)
    data = task_form(**overrides)
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post("/entrepreneur/tasks/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert count(Task) == 0


def test_edit_task(login_as) -> None:
    task = TaskFactory(status=TaskStatus.DRAFT)
    client = login_as(task.company.owner)
    form = client.get(f"/entrepreneur/tasks/{task.id}/edit").get_data(as_text=True)
    assert task.title in form
    response = client.post(f"/entrepreneur/tasks/{task.id}/edit", data=task_form(title="Ny titel"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, task.id).title == "Ny titel"


def test_capacity_cannot_drop_below_accepted(login_as) -> None:
    task = TaskFactory(capacity=2)
    ApplicationFactory(task=task, status="accepted")
    ApplicationFactory(task=task, status="accepted")
    client = login_as(task.company.owner)
    response = client.post(f"/entrepreneur/tasks/{task.id}/edit", data=task_form(capacity="1"))
    assert response.status_code == 422
    assert "2 dimittender er allerede accepteret" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        (TaskStatus.DRAFT, "publish", True),
        (TaskStatus.OPEN, "publish", False),
        (TaskStatus.DRAFT, "close", False),
        (TaskStatus.OPEN, "cancel", True),
        (TaskStatus.DRAFT, "cancel", True),
        (TaskStatus.CANCELLED, "publish", False),
        (TaskStatus.CANCELLED, "cancel", False),
        (TaskStatus.COMPLETED, "cancel", False),
        (TaskStatus.COMPLETED, "close", False),
        (TaskStatus.CANCELLED, "complete", False),
    ],
)
def test_task_transitions(login_as, status, action, allowed) -> None:
    task = TaskFactory(status=status)
    client = login_as(task.company.owner)
    response = client.post(f"/entrepreneur/tasks/{task.id}/{action}", follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    after = db.session.get(Task, task.id).status
    if allowed:
        assert after != status
    else:
        assert after == status
        assert "Det kan ikke lade sig gøre, mens opgaven er" in response.get_data(as_text=True)


def test_close_needs_an_accepted_graduate(login_as) -> None:
    task = TaskFactory()
    client = login_as(task.company.owner)
    page = client.post(f"/entrepreneur/tasks/{task.id}/close", follow_redirects=True)
    assert "Ingen dimittend er accepteret endnu" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.OPEN


def test_close_rejects_pending_and_starts_the_work(login_as) -> None:
    task = TaskFactory(capacity=3)
    accepted = ApplicationFactory(task=task, status="accepted")
    pending = ApplicationFactory(task=task)
    client = login_as(task.company.owner)
    client.post(f"/entrepreneur/tasks/{task.id}/close")
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.IN_PROGRESS
    assert pending.status.value == "rejected"
    assert accepted.status.value == "accepted"


def test_cancel_informs_applicants(login_as) -> None:
    task = TaskFactory(capacity=2)
    accepted = ApplicationFactory(task=task, status="accepted")
    client = login_as(task.company.owner)
    client.post(f"/entrepreneur/tasks/{task.id}/cancel")
    graduate = login_as(accepted.jobseeker)
    page = graduate.get("/notifications").get_data(as_text=True)
    assert f"Opgaven “{task.title}” er aflyst." in page


def test_editing_a_task_in_progress_is_refused(login_as) -> None:
    task = TaskFactory(status=TaskStatus.IN_PROGRESS)
    client = login_as(task.company.owner)
    response = client.post(
        f"/entrepreneur/tasks/{task.id}/edit", data=task_form(title="X"), follow_redirects=True
    )
    assert "Kun kladder og åbne opgaver kan redigeres." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Task, task.id).title != "X"


def test_publish_with_passed_deadline_is_refused(login_as) -> None:
    task = TaskFactory(status=TaskStatus.DRAFT, deadline=date.today() - timedelta(days=1))
    client = login_as(task.company.owner)
    page = client.post(f"/entrepreneur/tasks/{task.id}/publish", follow_redirects=True)
    assert "Fristen er overskredet" in page.get_data(as_text=True)


def test_unknown_action_is_404(login_as) -> None:
    task = TaskFactory()
    client = login_as(task.company.owner)
    assert client.post(f"/entrepreneur/tasks/{task.id}/explode").status_code == 404


def test_skill_suggestions(client) -> None:
    data = client.get("/skills/suggest?q=marked").get_json()
    assert data[0]["label"] == "Markedsanalyse"
    assert client.get("/skills/suggest?q=" + "x" * 500).get_json() == []


def test_esco_is_the_fallback_vocabulary(client, app) -> None:
    from taskboerse.services.skills import resolve_skills

    resolved = resolve_skills("manage musical staf, strikning af sokker")
    assert [(r.skill_id, r.label) for r in resolved] == [
        (None, "manage musical staff"),  # ESCO's spelling of a skill outside the curated list
        (None, "strikning af sokker"),  # kept as typed
    ]
    labels = [d["label"] for d in client.get("/skills/suggest?q=musical staff").get_json()]
    assert "manage musical staff" in labels
