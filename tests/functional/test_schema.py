"""The migrated schema matches the models, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from taskboerse.extensions import db
from taskboerse.models.search import include_object


def test_migrations_match_models(app) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_object": include_object,
            },
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"the models and migrations differ; add a revision: {diff}"


def test_upgrade_reaches_head(app) -> None:
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
