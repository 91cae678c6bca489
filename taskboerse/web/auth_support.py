"""Flask-Login wiring: users are loaded from the server-side login session, and role checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from taskboerse.extensions import login_manager
from taskboerse.models import Role, User
from taskboerse.services.accounts import resolve_login_session

SESSION_TOKEN_KEY = "sid"

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log in to see this page.")
login_manager.login_message_category = "info"
# No "remember me" cookie: it would outlive logout.
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of the live login session named by the cookie; None once it has ended."""
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    return resolve_login_session(uid, session.get(SESSION_TOKEN_KEY))


def role_required(*roles: Role) -> Callable:
    """Let only logged-in users with one of ``roles`` through; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
