"""Fixtures: an app on a migrated database (SQLite by default, PostgreSQL when
TASKBOERSE_TEST_DATABASE_URL is set), a client, a CLI runner and a login helper."""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from pathlib import Path

# The background queue lives in the test process; tests drive it with worker.run_pending().
os.environ["TASKBOERSE_QUEUE"] = "memory"

import pytest  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, inspect, make_url, text  # noqa: E402

from taskboerse.app import create_app  # noqa: E402
from taskboerse.config import TestingConfig  # noqa: E402
from taskboerse.extensions import db  # noqa: E402
from taskboerse.services.skills import sync_vocabulary  # noqa: E402

PG_URL = os.environ.get("TASKBOERSE_TEST_DATABASE_URL")
KEEP_TABLES = {"skills", "alembic_version"}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test database: the PostgreSQL one CI provides, or a fresh SQLite file (one per
    worker, as tmp_path_factory is). Under pytest-xdist each worker gets its own PostgreSQL
    database beside the given one, named after it and the worker, dropped at the end."""
    if not PG_URL:
        yield f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'test.sqlite'}"
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield PG_URL
        return
    url = make_url(PG_URL)
    name = f"{url.database}_{worker}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _migrated(database_url: str) -> str:
    """Build the schema once per run with the Alembic migrations, as production does."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        if PG_URL:  # a reused PostgreSQL database may hold an older run's tables
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        sync_vocabulary()
        db.session.remove()
        db.engine.dispose()
    return database_url


def _clean(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t for t in db.metadata.sorted_tables if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests run outside the test's app context.

    Flask reuses an app context that is already pushed, so without this every request would
    share the test's ``g`` (and Flask-Login's cached user) and its database session, which
    hides real bugs. An empty contextvars context gives each request its own, as in production.
    """

    def open(self, *args, **kwargs):  # noqa: D102
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(_migrated: str) -> Iterator[Flask]:
    """A test app on the migrated database; every table but the vocabulary is emptied after."""
    from taskboerse import worker

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=_migrated)
    app.test_client_class = IsolatedClient
    worker.huey.flush()
    worker.bind(app)
    with app.app_context():
        yield app
    worker.huey.flush()
    _clean(app)


@pytest.fixture
def limited(app: Flask, _migrated: str):
    """Build second apps on the test database with the rate limits on (memory storage):
    ``limited(**overrides)`` returns one; each is disposed of after the test."""
    from taskboerse.app import create_app
    from taskboerse.config import TestingConfig

    def make(**overrides):
        made = create_app(
            TestingConfig,
            SQLALCHEMY_DATABASE_URI=_migrated,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            **overrides,
        )
        apps.append(made)
        return made

    apps: list = []
    yield make
    for made in apps:
        with made.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner."""
    return app.test_cli_runner()


class AuthActions:
    """Log a client in and out through the real form."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, user, password: str = "correct horse battery"):
        """Log in as ``user`` (made by the factories, so the password is the default)."""
        return self._client.post("/auth/login", data={"email": user.email, "password": password})

    def logout(self):
        """Log out."""
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Login helper for ``client``."""
    return AuthActions(client)


@pytest.fixture
def login_as(app: Flask):
    """Return a fresh client logged in as a given user."""

    def _login(user) -> FlaskClient:
        c = app.test_client()
        response = AuthActions(c).login(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return c

    return _login


def table_names() -> list[str]:
    """Tables in the connected database (for schema tests)."""
    return inspect(db.engine).get_table_names()
