"""A mentor's capacity holds when several requests are accepted at once (PostgreSQL: the
profile row is locked; SQLite: the write lock)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import Mentorship, MentorshipStatus, User
from taskboerse.services import mentor_needs
from taskboerse.services.errors import DomainError
from tests.conftest import PG_URL
from tests.factories import CompanyFactory, MentorFactory, mentor_need


def _requests(mentor, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        owner = CompanyFactory().owner
        ids.append(mentor_needs.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej").id)
    return ids


def _race(app, mentor_id: int, request_ids: list[int]) -> tuple[int, list[BaseException]]:
    barrier = threading.Barrier(len(request_ids))
    refused = 0
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(request_id: int) -> None:
        nonlocal refused
        with app.app_context():
            mentor = db.session.get(User, mentor_id)
            barrier.wait()
            try:
                mentor_needs.accept_request(mentor, request_id)
            except DomainError:
                with lock:
                    refused += 1
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in request_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return refused, errors


def _active(mentor_id: int) -> int:
    return db.session.execute(
        select(func.count(Mentorship.id)).where(
            Mentorship.mentor_id == mentor_id, Mentorship.status == MentorshipStatus.ACTIVE
        )
    ).scalar_one()


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TASKBOERSE_TEST_DATABASE_URL)")
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_accepts_never_exceed_the_mentors_capacity_on_postgresql(app, round_) -> None:
    mentor = MentorFactory(profile__capacity=2)
    request_ids = _requests(mentor, 8)
    refused, errors = _race(app, mentor.id, request_ids)
    assert errors == []
    assert _active(mentor.id) == 2
    assert refused == 6


def test_concurrent_accepts_on_sqlite_never_exceed_the_capacity(app) -> None:
    if PG_URL:
        pytest.skip("covered by the PostgreSQL test")
    mentor = MentorFactory(profile__capacity=1)
    request_ids = _requests(mentor, 4)
    refused, errors = _race(app, mentor.id, request_ids)
    # SQLite may also answer "database is locked" to a loser; never more than capacity wins.
    assert _active(mentor.id) <= 1
    assert all("locked" in str(e) for e in errors), errors
