"""seed-demo: realistic amounts, every state present, and no duplicates on a second run."""

from __future__ import annotations

from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import Application, Company, Reference, Role, Task, User


def counts() -> dict:
    def n(stmt):
        return db.session.execute(stmt).scalar_one()

    return {
        "companies": n(select(func.count(Company.id))),
        "tasks": n(select(func.count(Task.id))),
        "applications": n(select(func.count(Application.id))),
        **{role.value: n(select(func.count(User.id)).where(User.role == role)) for role in Role},
    }


def test_seed_demo_is_realistic_and_idempotent(runner) -> None:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    first = counts()
    assert first["companies"] >= 10
    assert first["tasks"] >= 40
    assert first["jobseeker"] >= 60
    assert first["caseworker"] == 2 and first["admin"] == 1
    task_states = set(db.session.execute(select(Task.status).distinct()).scalars())
    assert {s.value for s in task_states} == {
        "draft",
        "open",
        "in_progress",
        "completed",
        "cancelled",
    }
    app_states = set(db.session.execute(select(Application.status).distinct()).scalars())
    assert {s.value for s in app_states} == {
        "pending",
        "accepted",
        "rejected",
        "withdrawn",
        "completed",
    }
    assert db.session.execute(select(func.count(Reference.id))).scalar_one() > 0

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert counts() == first


def test_demo_login_works(runner, client) -> None:
    runner.invoke(args=["seed-demo"])
    response = client.post(
        "/auth/login",
        data={"email": "dimittend1@demo.example.com", "password": "taskboerse-demo"},
    )
    assert response.status_code == 302


def test_demo_caseloads_have_consent_flags_and_history(runner, app) -> None:
    from taskboerse.models import CaseAssignment, CaseNote, CaseOutcome, Consent
    from taskboerse.services import caseload

    runner.invoke(args=["seed-demo"])
    n = lambda model: db.session.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
    assert n(Consent) == 45 and n(CaseAssignment) == 58 and n(CaseNote) == 3 and n(CaseOutcome) == 3
    caseworker = db.session.execute(
        select(User).where(User.email == "sagsbehandler1@demo.example.com")
    ).scalar_one()
    rows = caseload.caseload_rows(caseworker)
    assert 15 <= len(rows) < 30
    codes = {f.code.value for r in rows for f in r.flags}
    assert {"inactive", "no_application"} <= codes
    every = caseload.caseload_rows(caseworker) + caseload.caseload_rows(
        db.session.execute(
            select(User).where(User.email == "sagsbehandler2@demo.example.com")
        ).scalar_one()
    )
    assert "overdue" in {f.code.value for r in every for f in r.flags}
    # History spread over months: registrations are not all from today.
    assert len({r.registered_at.date() for r in rows}) > 10


def test_demo_people_already_talk_to_each_other(runner) -> None:
    """The first day shows the conversations: questions, a welcome after acceptance, reasons
    for a rejection and a withdrawal, an invitation with a note, and phone numbers."""
    from taskboerse.models import Invitation, Message, Notification

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.execute(select(func.count(Message.id))).scalar_one() >= 10
    notes = db.session.execute(select(Invitation.message)).scalars().all()
    assert any(notes)
    reasons = [n.params.get("reason") for n in db.session.execute(select(Notification)).scalars()]
    assert sum(1 for r in reasons if r) >= 2
    assert all(c.phone for c in db.session.execute(select(Company)).scalars())
