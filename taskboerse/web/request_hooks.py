"""Per-request work that is not a view: the user's last activity, the model's warm-up."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from taskboerse.web.errors import wants_json


def register_activity(app: Flask) -> None:
    """Keep each signed-in user's last activity current (the follow-up flags read it)."""
    from datetime import timedelta

    from taskboerse.services.accounts import record_activity

    resolution = timedelta(minutes=app.config["ACTIVITY_RESOLUTION_MINUTES"])

    @app.before_request
    def note_activity() -> None:
        if request.endpoint in (None, "static") or wants_json():
            return
        if current_user.is_authenticated:
            record_activity(current_user._get_current_object(), resolution)


def register_warm_up(app: Flask) -> None:
    """Load the embedding model in the background when the process serves its first request."""
    if not app.config["MATCHING_WARM_UP"]:
        return

    @app.before_request
    def start_warm_up() -> None:
        if "taskboerse_warm_up" in app.extensions:
            return
        import threading

        from taskboerse.web.matching import matching_index

        thread = threading.Thread(
            target=matching_index().warm_up, name="model-warm-up", daemon=True
        )
        app.extensions["taskboerse_warm_up"] = thread
        thread.start()
