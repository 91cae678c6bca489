"""Faults: the database goes away, a transaction breaks half-way, many users race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from taskboerse.app import create_app
from taskboerse.config import TestingConfig
from taskboerse.extensions import db
from taskboerse.models import Application, ApplicationStatus, Notification, Role, User
from taskboerse.services import tokens
from taskboerse.services.transactions import retry_on_conflict
from tests.conftest import PG_URL
from tests.factories import PASSWORD, JobseekerFactory, TaskFactory, UserFactory
from tests.functional.test_access import CASES, ROLES, world  # noqa: F401

# Nothing listens here: connecting fails at once, as with a stopped database server.
DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:9/taskboerse"

GET_ROUTES = [
    (endpoint, i)
    for endpoint, cases in CASES.items()
    for i, case in enumerate(cases)
    if case[0] == "GET" and endpoint != "static"
]


@pytest.fixture
def dead_app():
    """The same app, with the same secret key, whose database cannot be reached."""
    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=DEAD_DATABASE)


@pytest.mark.parametrize(("endpoint", "index"), GET_ROUTES)
def test_every_page_answers_503_while_the_database_is_down(
    app,
    world,  # noqa: F811
    login_as,
    dead_app,
    endpoint,
    index,
) -> None:
    _method, make_url, _data, expected = CASES[endpoint][index]
    role = next((r for r in ROLES[1:] if expected[r] == 200), "admin")
    live = login_as(world.users[role])
    url = make_url(world)
    client = dead_app.test_client()
    client.set_cookie("session", live.get_cookie("session").value)
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == 503, (url, response.status_code)
    assert response.headers["Retry-After"]
    assert "Traceback" not in body and "OperationalError" not in body and "psycopg" not in body
    if not url.startswith("/api/"):
        assert "Taskbørs er ikke tilgængelig lige nu" in body


def test_the_503_page_speaks_the_visitors_language(dead_app) -> None:
    client = dead_app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = client.get("/tasks")
    assert response.status_code == 503
    assert "Taskbørs is unavailable right now" in response.get_data(as_text=True)


def test_api_answers_503_in_json(dead_app) -> None:
    response = dead_app.test_client().get("/api/v1/tasks", headers={"Authorization": "Bearer x"})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"


def test_a_transaction_broken_half_way_leaves_nothing(app, login_as) -> None:
    """The database fails while the application's notification is written: the application
    itself must not remain, and the user gets the 503 page."""
    graduate = JobseekerFactory()
    task = TaskFactory()
    client = login_as(graduate)

    def fail_on_notification(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS"):
            raise OperationalError(statement, None, ConnectionError("server closed the connection"))

    event.listen(db.engine, "before_cursor_execute", fail_on_notification)
    try:
        response = client.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg vil gerne."})
    finally:
        event.remove(db.engine, "before_cursor_execute", fail_on_notification)
    assert response.status_code == 503
    assert db.session.execute(select(func.count(Application.id))).scalar_one() == 0
    assert db.session.execute(select(func.count(Notification.id))).scalar_one() == 0
    # And once the database is back, the same request works.
    response = client.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg vil gerne."})
    assert response.status_code == 302
    assert db.session.execute(select(func.count(Application.id))).scalar_one() == 1


class _SerializationFailure(Exception):
    sqlstate = "40001"


def test_serialization_failures_are_retried(app) -> None:
    calls = []

    @retry_on_conflict
    def use_case() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE tasks", None, _SerializationFailure())
        return "done"

    assert use_case() == "done" and len(calls) == 3

    @retry_on_conflict
    def other_error() -> None:
        raise OperationalError("SELECT", None, ConnectionError("down"))

    with pytest.raises(OperationalError):
        other_error()


def _round(app, task, owner_token: str, graduate_tokens: list[str]) -> list[int]:
    """30 graduates apply at once, and the owner accepts each application as it arrives."""
    barrier = threading.Barrier(len(graduate_tokens))
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(token: str) -> None:
        client = app.test_client()
        barrier.wait()
        applied = client.post(
            f"/api/v1/tasks/{task}/applications",
            json={"motivation": "Jeg kan starte i dag."},
            headers={"Authorization": f"Bearer {token}"},
        )
        codes = [applied.status_code]
        if applied.status_code == 201:
            accepted = client.post(
                f"/api/v1/applications/{applied.get_json()['id']}/accept",
                headers={"Authorization": f"Bearer {owner_token}"},
            )
            codes.append(accepted.status_code)
        with lock:
            statuses.extend(codes)

    threads = [threading.Thread(target=worker, args=(t,)) for t in graduate_tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TASKBOERSE_TEST_DATABASE_URL)")
def test_thirty_concurrent_applies_and_accepts_fifty_times(app) -> None:
    graduates = [JobseekerFactory() for _ in range(30)]
    graduate_tokens = [tokens.issue_token(g.email, PASSWORD)[0] for g in graduates]
    for round_ in range(50):
        task = TaskFactory(capacity=3)
        owner = task.company.owner
        owner_token = tokens.issue_token(owner.email, PASSWORD)[0]
        statuses = _round(app, task.id, owner_token, graduate_tokens)
        assert 500 not in statuses and all(s < 500 for s in statuses), (round_, statuses)
        assert set(statuses) <= {200, 201, 409}, (round_, statuses)
        accepted = db.session.execute(
            select(func.count(Application.id)).where(
                Application.task_id == task.id,
                Application.status == ApplicationStatus.ACCEPTED,
            )
        ).scalar_one()
        assert accepted == 3, (round_, accepted)
        db.session.remove()


def test_issuing_a_token_counts_as_activity(app) -> None:
    user = UserFactory(role=Role.JOBSEEKER)
    assert tokens.issue_token(user.email, PASSWORD) is not None
    assert db.session.get(User, user.id).last_active_at is not None
