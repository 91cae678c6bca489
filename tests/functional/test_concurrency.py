"""Capacity holds under concurrent accepts: threads race to accept applicants to one task;
and a company's praktik ratio holds when they race across its tasks."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import Application, ApplicationStatus, User
from taskboerse.services.applications import accept_application
from taskboerse.services.errors import DomainError
from tests.conftest import PG_URL
from tests.factories import ApplicationFactory, CompanyFactory, PraktikTaskFactory, TaskFactory


def _race(app, owner_id: int, application_ids: list[int]) -> tuple[int, list[BaseException]]:
    barrier = threading.Barrier(len(application_ids))
    refused = 0
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(application_id: int) -> None:
        nonlocal refused
        with app.app_context():
            owner = db.session.get(User, owner_id)
            barrier.wait()
            try:
                accept_application(owner, application_id)
            except DomainError:  # full task (Conflict) or the ratio rule (RuleBroken)
                with lock:
                    refused += 1
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in application_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return refused, errors


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TASKBOERSE_TEST_DATABASE_URL)")
@pytest.mark.parametrize("round_", range(5))
def test_concurrent_accepts_never_exceed_capacity_on_postgresql(app, round_) -> None:
    task = TaskFactory(capacity=3)
    application_ids = [ApplicationFactory(task=task).id for _ in range(12)]
    owner_id = task.company.owner.id
    refused, errors = _race(app, owner_id, application_ids)
    assert errors == []
    accepted = db.session.execute(
        select(func.count(Application.id)).where(
            Application.task_id == task.id, Application.status == ApplicationStatus.ACCEPTED
        )
    ).scalar_one()
    assert accepted == 3
    assert refused == 9


def test_concurrent_accepts_on_sqlite_never_exceed_capacity(app) -> None:
    if PG_URL:
        pytest.skip("covered by the PostgreSQL test")
    task = TaskFactory(capacity=2)
    application_ids = [ApplicationFactory(task=task).id for _ in range(6)]
    refused, errors = _race(app, task.company.owner.id, application_ids)
    accepted = db.session.execute(
        select(func.count(Application.id)).where(
            Application.task_id == task.id, Application.status == ApplicationStatus.ACCEPTED
        )
    ).scalar_one()
    # SQLite may also answer "database is locked" to a loser; never more than capacity wins.
    assert accepted <= 2
    assert all("locked" in str(e) for e in errors), errors


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TASKBOERSE_TEST_DATABASE_URL)")
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_praktik_accepts_never_exceed_the_ratio_on_postgresql(app, round_) -> None:
    company = CompanyFactory(employees=9)  # one praktik at a time
    application_ids = [
        ApplicationFactory(task=PraktikTaskFactory(company=company)).id for _ in range(6)
    ]
    refused, errors = _race(app, company.owner.id, application_ids)
    assert errors == []
    accepted = db.session.execute(
        select(func.count(Application.id)).where(
            Application.id.in_(application_ids), Application.status == ApplicationStatus.ACCEPTED
        )
    ).scalar_one()
    assert (accepted, refused) == (1, 5)
