"""Helpers shared by the functional tests."""

from __future__ import annotations

from sqlalchemy import event

from taskboerse.extensions import db


def count_queries(client, url: str, headers: dict | None = None) -> int:
    """How many SQL statements one GET of ``url`` runs (it must answer 200)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url, headers=headers or {})
        assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def backdate_acceptance(application, days: float = 60) -> None:
    """Move an application's acceptance ``days`` into the past, so the rule that work is
    completed no sooner than the task's hours allow (services/applications.py) lets it pass."""
    from datetime import timedelta

    from taskboerse.models.types import utcnow

    db.session.refresh(application)
    moment = utcnow() - timedelta(days=days)
    application.accepted_at = application.decided_at = moment
    if application.created_at > moment:
        application.created_at = moment
    db.session.commit()


def use_embedder(app, spec: str) -> None:
    """Switch the app to another embedder ("default": the real model), as its factory would
    have built it: a fresh matching index on the new setting."""
    from taskboerse.web import matching

    app.config["EMBEDDER"] = spec
    matching.register(app)
