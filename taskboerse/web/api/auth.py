"""Bearer-token authentication for the API's views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask_babel import gettext as _

from taskboerse.models import Role
from taskboerse.services import accounts, tokens
from taskboerse.web.errors import api_error


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def forbidden():
    """The answer when the user's role cannot do this."""
    return api_error(403, "forbidden", _("Your role cannot do this."))


def auth(*roles: Role) -> Callable:
    """Require a valid token (401) and, when given, one of ``roles`` (403); the user and the
    token are then ``g.api_user`` and ``g.api_token``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            token = _bearer()
            user = tokens.user_for_token(token) if token else None
            if user is None:
                return api_error(401, "unauthorized", _("A valid bearer token is required."))
            if roles and user.role not in roles:
                return forbidden()
            g.api_user, g.api_token = user, token
            accounts.record_activity(
                user, timedelta(minutes=current_app.config["ACTIVITY_RESOLUTION_MINUTES"])
            )
            return view(*args, **kwargs)

        return wrapped

    return decorator
