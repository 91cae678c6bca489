"""Flask-Login wiring: users are loaded from the server-side login session, and role checks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from taskboerse.extensions import login_manager
from taskboerse.models import Role, User
from taskboerse.services.accounts import resolve_login_session
from taskboerse.services.security import security_event

SESSION_TOKEN_KEY = "sid"

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log in to see this page.")
login_manager.login_message_category = "info"
# No "remember me" cookie: it would outlive logout.
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of the live login session named by the cookie; None once it has ended."""
    if g.get("database_down"):
        return None  # rendering the 503 page must not ask the database again
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    config = current_app.config
    return resolve_login_session(
        uid,
        session.get(SESSION_TOKEN_KEY),
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
    )


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


def _account_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def login_account_key() -> str:
    """Rate-limit key for the account a login form names (a hash, never the email itself)."""
    email = request.form.get("email", "")
    return "account:" + _account_hash(email) if email.strip() else "ip:" + client_ip()


def token_account_key() -> str:
    """Rate-limit key for the account a token request names."""
    data = request.get_json(silent=True)
    email = data.get("email") if isinstance(data, dict) else None
    if isinstance(email, str) and email.strip():
        return "account:" + _account_hash(email)
    return "ip:" + client_ip()


def client_ip() -> str:
    """The client's address as the limiter sees it."""
    return request.remote_addr or "-"


def log_lockout(limit) -> None:
    """A rate limit on login or tokens was hit: log it as a security event."""
    security_event(
        "lockout",
        path=request.path,
        ip=client_ip(),
        key=str(limit.key).rsplit("/", 1)[-1][:40],
        limit=str(limit.limit),
    )
