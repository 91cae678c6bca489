"""The app's matching index: built once by the factory from config, handed by the views to
the services that rank (FlaskBB's pattern: the edge wires, the service receives)."""

from __future__ import annotations

from flask import Flask, current_app

from taskboerse.services.matching_index import MatchingIndex

EXTENSION_KEY = "taskboerse_matching_index"


def register(app: Flask) -> None:
    """Build the index from the app's settings; nothing loads until the first sync."""
    app.extensions[EXTENSION_KEY] = MatchingIndex.from_config(app.config)


def matching_index() -> MatchingIndex:
    """The current app's matching index."""
    return current_app.extensions[EXTENSION_KEY]
