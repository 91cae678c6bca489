"""Migration 0009 links the rows made before it, so erasure finds them by reference."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from taskboerse.app import create_app
from taskboerse.config import TestingConfig
from taskboerse.extensions import db
from tests.conftest import PG_URL

ROWS = [
    "INSERT INTO users (id, email, name, password_hash, role, locale, is_disabled, created_at)"
    " VALUES (1, 'owner@example.com', 'Ejer', '!', 'entrepreneur', 'da', false, :t),"
    " (2, 'grad@example.com', 'Gro', '!', 'jobseeker', 'da', false, :t)",
    "INSERT INTO companies (id, owner_id, name, cvr) VALUES (1, 1, 'Firma', '30000013')",
    "INSERT INTO tasks (id, company_id, title, description, learning, hours, deadline, remote,"
    " capacity, status, created_at, updated_at) VALUES (1, 1, 'T', 'D', '', 10, '2027-01-01',"
    " false, 1, 'open', :t, :t)",
    "INSERT INTO applications (id, task_id, jobseeker_id, motivation, status, created_at)"
    " VALUES (1, 1, 2, 'M', 'pending', :t)",
    "INSERT INTO notifications (id, user_id, kind, application_id, params, created_at)"
    ' VALUES (1, 1, \'new_application\', 1, \'{"name": "Gro", "task": "T"}\', :t),'
    ' (2, 2, \'accepted\', 1, \'{"name": "", "task": "T"}\', :t)',
    "INSERT INTO outbox_messages (id, to_email, subject, body, created_at, attempts)"
    " VALUES (1, 'owner@example.com', 'Gro søgte', 'Gro søgte T', :t, 1),"
    " (2, 'grad@example.com', 'Accepteret', 'Du er accepteret', :t, 0),"
    " (3, 'grad@example.com', 'Gammel', 'x', :t, 5)",
]


@pytest.mark.skipif(bool(PG_URL), reason="builds its own SQLite database step by step")
def test_existing_rows_are_linked(tmp_path) -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite'}")
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement), {"t": "2026-11-01 10:00:00.000000"})
        upgrade(revision="0009")
        with db.engine.connect() as conn:
            actors = dict(conn.execute(text("SELECT id, actor_id FROM notifications")).all())
            links = dict(
                conn.execute(text("SELECT id, notification_id FROM outbox_messages")).all()
            )
            failed = conn.execute(
                text("SELECT id FROM outbox_messages WHERE failed_at IS NOT NULL")
            ).scalars()
            assert actors == {1: 2, 2: None}  # the applicant is who notification 1 is about
            assert links[1] == 1 and links[2] == 2
            assert list(failed) == [3]
        db.engine.dispose()
