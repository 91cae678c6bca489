"""GDPR: access (art. 15), erasure (art. 17) and retention."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    CaseNote,
    Embedding,
    JobseekerProfile,
    OutboxMessage,
    Role,
    Task,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services import privacy
from taskboerse.web.matching import matching_index
from tests.factories import (
    PASSWORD,
    CaseworkerFactory,
    JobseekerFactory,
    TaskFactory,
    UserFactory,
    follow,
)
from tests.functional.test_api import token_for
from tests.helpers import backdate_acceptance

NAME = "Xenia Quistgaard-Ørum"
EMAIL = "xenia.quistgaard@example.com"
ABOUT = "Zebrafinkeentusiast med speciale i bølgeanalyse"
MOTIVATION = "Motivationstekst-unik-ord qwxz"
NOTE = "Samtale om zebrafinker og fremtid"
REFERENCE = "Referencetekst-unik-ord vbnm"


@pytest.fixture
def graduate(app, login_as):
    """A graduate with a profile, applications (one completed with a reference), an
    invitation, notifications and emails, consent, a caseworker's note and access log rows,
    and a profile vector."""
    user = JobseekerFactory(name=NAME, email=EMAIL)
    client = login_as(user)
    client.post(
        "/jobseeker/profile",
        data={"about": ABOUT, "skills": "Excel, markedsanalyse", "field": "Cand.merc."},
    )
    task, done = TaskFactory(), TaskFactory()
    client.post(f"/tasks/{task.id}/apply", data={"motivation": MOTIVATION})
    client.post(f"/tasks/{done.id}/apply", data={"motivation": MOTIVATION})
    owner = login_as(done.company.owner)
    finished = db.session.execute(
        select(Application).where(Application.task_id == done.id)
    ).scalar_one()
    owner.post(f"/entrepreneur/applications/{finished.id}/accept")
    backdate_acceptance(finished)
    owner.post(
        f"/entrepreneur/applications/{finished.id}/complete",
        data={"rating": "5", "reference": REFERENCE, "skills_used": [done.skills[0].id]},
    )
    caseworker = CaseworkerFactory()
    follow(caseworker, user)
    cw = login_as(caseworker)
    cw.post(f"/caseworker/people/{user.id}/notes", data={"text": NOTE})
    cw.post(
        f"/caseworker/people/{user.id}/outcome", data={"status": "employed", "date": "2026-12-01"}
    )
    cw.get(f"/caseworker/people/{user.id}")
    matching_index().sync(force=True)
    return user, client, task, done


def test_export_holds_everything(app, graduate) -> None:
    user, client, _task, done = graduate
    response = client.get("/auth/account/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == EMAIL and data["account"]["name"] == NAME
    assert data["profile"]["about"] == ABOUT
    assert {a["motivation"] for a in data["applications"]} == {MOTIVATION}
    completed = next(a for a in data["applications"] if a["status"] == "completed")
    assert completed["reference"]["text"] == REFERENCE
    job_centre = data["job_centre"]
    assert job_centre["shares_activity"] is True
    assert [n["text"] for n in job_centre["notes"]] == [NOTE]
    assert job_centre["outcome"] == {"status": "employed", "date": "2026-12-01"}
    assert isinstance(job_centre["flags"], list)
    assert job_centre["access_log"] and "Karen" not in json.dumps(job_centre["access_log"])
    vectors = data["embedding_vectors"]
    assert len(vectors) == 1 and len(vectors[0]["vector"]) == vectors[0]["dimensions"]
    assert data["notifications"] and data["emails"]
    # The same through the API.
    api = client.get("/api/v1/me/export", headers=token_for(app.test_client(), user))
    assert api.status_code == 200
    assert api.get_json()["profile"]["about"] == ABOUT


def all_text_in_database() -> str:
    """Every value of every column of every table, as one string."""
    chunks = []
    for table in inspect(db.engine).get_table_names():
        for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
            for value in row:
                chunks.append(str(value))
                if isinstance(value, (dict, list)) or (
                    isinstance(value, str) and value[:1] in "{["
                ):
                    # JSON columns may hold "\u00d8" for "Ø": compare the decoded text too.
                    try:
                        decoded = json.loads(value) if isinstance(value, str) else value
                        chunks.append(json.dumps(decoded, ensure_ascii=False))
                    except ValueError:
                        pass
    return "\n".join(chunks)


def test_deleting_the_account_erases_the_person_everywhere(app, graduate) -> None:
    user, client, task, done = graduate
    profile_id = user.profile.id
    before = all_text_in_database()
    for needle in (NAME, EMAIL, ABOUT, MOTIVATION, NOTE, REFERENCE):
        assert needle in before, needle
    assert profile_id in matching_index().catalogs.profiles.docs

    wrong = client.post("/auth/account/delete", data={"password": "not the password"})
    assert wrong.status_code == 422
    response = client.post("/auth/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302

    after = all_text_in_database()
    for needle in (NAME, EMAIL, ABOUT, MOTIVATION, NOTE, REFERENCE, "Zebrafinke", "zebrafinker"):
        assert needle not in after, needle
    db.session.expire_all()
    assert (
        db.session.execute(
            select(Embedding).where(Embedding.kind == "profile", Embedding.owner_id == profile_id)
        ).first()
        is None
    )
    # The entrepreneurs' history still adds up: the completed place is still counted.
    statuses = (
        db.session.execute(select(Application.status).where(Application.task_id == done.id))
        .scalars()
        .all()
    )
    assert statuses == [ApplicationStatus.COMPLETED]
    # The search index forgets the person at the next sync, also in another process.
    matching_index().sync(force=True)
    catalog = matching_index().catalogs.profiles
    assert profile_id not in catalog.docs and catalog.index.row_of(profile_id) is None
    # The old login is dead.
    assert client.get("/jobseeker/").status_code == 302
    login = app.test_client().post("/auth/login", data={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 422


def test_delete_through_the_api(app, graduate) -> None:
    user, *_ = graduate
    api = app.test_client()
    headers = token_for(api, user)
    assert api.delete("/api/v1/me", json={"password": "wrong"}, headers=headers).status_code == 422
    assert api.delete("/api/v1/me", json={}, headers=headers).status_code == 422
    assert api.delete("/api/v1/me", json={"password": PASSWORD}, headers=headers).status_code == 204
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert NAME not in all_text_in_database()


def test_staff_cannot_delete_themselves(app, login_as) -> None:
    caseworker = CaseworkerFactory()
    response = login_as(caseworker).post("/auth/account/delete", data={"password": PASSWORD})
    assert response.status_code == 403
    assert db.session.get(User, caseworker.id).anonymised_at is None


# --- retention ---------------------------------------------------------------------------------


def test_retention_warns_then_anonymises_and_is_idempotent(app) -> None:
    now = utcnow()
    idle = JobseekerFactory(name="Gammel Inaktiv", email="gammel@example.com")
    recent = JobseekerFactory()
    staff = UserFactory(role=Role.CASEWORKER)
    for user in (idle, staff):
        user.created_at = user.last_active_at = now - timedelta(days=30 * 24)
    recent.created_at = recent.last_active_at = now - timedelta(days=30)
    db.session.commit()

    first = privacy.retention_run(now=now)
    assert (first.warned, first.anonymised) == (1, 0)
    warning = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_email == "gammel@example.com")
    ).scalar_one()
    assert "slettet" in warning.subject
    assert privacy.retention_run(now=now) == privacy.RetentionResult(0, 0)

    later = now + timedelta(days=29)
    assert privacy.retention_run(now=later) == privacy.RetentionResult(0, 0)
    done = privacy.retention_run(now=now + timedelta(days=30))
    assert (done.warned, done.anonymised) == (0, 1)
    db.session.expire_all()
    assert db.session.get(User, idle.id).name == privacy.ERASED_NAME
    assert "Gammel Inaktiv" not in all_text_in_database()
    assert db.session.get(User, recent.id).anonymised_at is None
    assert db.session.get(User, staff.id).anonymised_at is None  # staff accounts are not purged
    assert privacy.retention_run(now=now + timedelta(days=31)) == privacy.RetentionResult(0, 0)


def test_logging_in_after_the_warning_keeps_the_account(app, client) -> None:
    now = utcnow()
    user = JobseekerFactory()
    user.created_at = user.last_active_at = now - timedelta(days=30 * 24)
    db.session.commit()
    privacy.retention_run(now=now)
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    db.session.commit()  # end the test's read transaction, as a new CLI process would
    result = privacy.retention_run(now=now + timedelta(days=31))
    assert result.anonymised == 0
    db.session.expire_all()
    assert db.session.get(User, user.id).anonymised_at is None


def test_retention_command(runner) -> None:
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0
    assert "Warned 0" in result.output


def test_erased_profile_is_never_re_encoded(app, graduate) -> None:
    user, *_ = graduate
    profile_id = user.profile.id
    privacy.anonymise_user(db.session.get(User, user.id))
    matching_index().refresh_vectors()
    assert (
        db.session.execute(
            select(Embedding).where(Embedding.kind == "profile", Embedding.owner_id == profile_id)
        ).first()
        is None
    )
    assert db.session.get(JobseekerProfile, profile_id).about == ""
    assert db.session.execute(select(CaseNote)).first() is None
    assert db.session.execute(select(Task)).first() is not None
