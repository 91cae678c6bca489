"""The whole marketplace loop through the web UI: post, apply, accept, complete, endorse, CV."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Notification,
    OutboxMessage,
    Task,
    TaskStatus,
)
from tests.factories import CompanyFactory, JobseekerFactory
from tests.helpers import backdate_acceptance


def task_form(**overrides) -> dict:
    data = {
        "title": "Markedsanalyse for ny café",
        "description": "Analyser konkurrenter og målgrupper i Aarhus C.",
        "required_skills": "markedsanalyser, Excel",
        "nice_skills": "strikning af sokker",
        "hours": "25",
        "deadline": (date.today() + timedelta(days=20)).isoformat(),
        "postcode": "8000",
        "remote": "y",
        "capacity": "1",
        "learning": "Konkurrentanalyse i praksis",
        "form": "paid",
        "hourly_wage": "160",
    }
    data.update(overrides)
    return data


def test_full_loop(app, login_as) -> None:
    company = CompanyFactory()
    owner = login_as(company.owner)
    response = owner.post("/entrepreneur/tasks/new", data=task_form())
    assert response.status_code == 302
    task = db.session.execute(select(Task)).scalar_one()
    assert task.status == TaskStatus.DRAFT
    # Typed skills were normalised onto the vocabulary; an unknown one kept as free text.
    assert {(s.label, s.skill_id is not None) for s in task.skills} == {
        ("Markedsanalyse", True),
        ("Excel", True),
        ("strikning af sokker", False),
    }

    graduate_user = JobseekerFactory()
    graduate = login_as(graduate_user)
    assert graduate.get(f"/tasks/{task.id}").status_code == 404  # drafts are private

    assert owner.post(f"/entrepreneur/tasks/{task.id}/publish").status_code == 302
    page = graduate.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Markedsanalyse for ny café" in page and "Send ansøgning" in page

    response = graduate.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg kan det her."})
    assert response.status_code == 302
    application = db.session.execute(select(Application)).scalar_one()
    assert application.status == ApplicationStatus.PENDING

    # The entrepreneur is notified and sees the applicant.
    assert "1" in owner.get("/notifications").get_data(as_text=True)
    page = owner.get(f"/entrepreneur/tasks/{task.id}").get_data(as_text=True)
    assert graduate_user.name in page and "Jeg kan det her." in page

    assert owner.post(f"/entrepreneur/applications/{application.id}/accept").status_code == 302
    db.session.expire_all()
    assert application.status == ApplicationStatus.ACCEPTED
    assert task.status == TaskStatus.IN_PROGRESS  # capacity 1 is now full
    assert "accepteret" in graduate.get("/jobseeker/").get_data(as_text=True)

    used = [s.id for s in task.skills if s.label == "Markedsanalyse"]
    backdate_acceptance(application)
    response = owner.post(
        f"/entrepreneur/applications/{application.id}/complete",
        data={"rating": "5", "reference": "Fremragende analyse.", "skills_used": used},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert application.status == ApplicationStatus.COMPLETED
    assert task.status == TaskStatus.COMPLETED
    assert [s.label for s in application.reference.endorsed_skills] == ["Markedsanalyse"]

    dashboard = graduate.get("/jobseeker/").get_data(as_text=True)
    assert "Fremragende analyse." in dashboard and "Markedsanalyse" in dashboard

    pdf = graduate.get("/jobseeker/cv.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")

    kinds = {n.kind.value for n in db.session.execute(select(Notification)).scalars()}
    assert kinds == {"new_application", "accepted", "completed"}
    assert db.session.execute(select(OutboxMessage)).scalars().first() is not None
