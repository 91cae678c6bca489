"""Who may enter: users loaded from the server-side login session (Flask-Login), role checks,
and the per-account login delay with the owner's device cookie."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer

from taskboerse.extensions import login_manager
from taskboerse.models import Role, User
from taskboerse.services.accounts import resolve_login_session
from taskboerse.services.login_throttle import LoginThrottle, Policy, account_key
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


def _throttle() -> LoginThrottle | None:
    """This app's per-account login throttle; None while rate limits are off (tests)."""
    config = current_app.config
    if not config["RATELIMIT_ENABLED"]:
        return None
    throttle = current_app.extensions.get("taskboerse_login_throttle")
    if throttle is None:
        policy = Policy(
            free_failures=config["LOGIN_FREE_FAILURES"],
            first_delay=config["LOGIN_FIRST_DELAY_SECONDS"],
            max_delay=config["LOGIN_MAX_DELAY_SECONDS"],
        )
        throttle = LoginThrottle.from_uri(
            config["RATELIMIT_STORAGE_URI"], policy, config["RATELIMIT_KEY_PREFIX"]
        )
        current_app.extensions["taskboerse_login_throttle"] = throttle
    return throttle


# A browser that has logged in to an account carries this signed cookie; its attempts for
# that account are counted apart, so a stranger's wrong passwords never delay the owner.
DEVICE_COOKIE = "tb_device"
DEVICE_DAYS = 180


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def _throttle_key(email: str) -> str:
    """The account's throttle key; the owner's known browser gets its own."""
    account = account_key(email)
    cookie = request.cookies.get(DEVICE_COOKIE)
    if cookie:
        try:
            known = _device_serializer().loads(cookie, max_age=DEVICE_DAYS * 86400)
        except BadSignature:
            known = None
        if known == account:
            return account + ":device"
    return account


def remember_device(response, email: str) -> None:
    """After a correct password: this browser is the owner's from now on."""
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps(account_key(email)),
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )


def login_wait(email: str) -> int:
    """0 when this request may try a password for the account named by ``email`` now,
    else the seconds to wait. A wait is logged as a lockout with the account's hash."""
    throttle = _throttle()
    wait = throttle.claim_attempt(_throttle_key(email)) if throttle else 0
    if wait:
        security_event(
            "lockout", path=request.path, ip=client_ip(), account=account_key(email), wait=wait
        )
    return wait


def login_result(email: str, ok: bool) -> None:
    """Count a wrong password for the account (the delay grows), or forget its failures."""
    throttle = _throttle()
    if throttle is None:
        return
    if ok:
        throttle.succeeded(account_key(email))
        throttle.succeeded(account_key(email) + ":device")
    else:
        throttle.failed(_throttle_key(email))


def too_many_attempts(wait: int) -> str:
    """The message for an account that must wait, in whole minutes."""
    minutes = max(1, -(-wait // 60))
    return ngettext(
        "Too many wrong passwords for this account. Try again in %(num)d minute.",
        "Too many wrong passwords for this account. Try again in %(num)d minutes.",
        minutes,
    )


def client_ip() -> str:
    """The client's address as the limiter sees it."""
    return request.remote_addr or "-"


def log_lockout(limit) -> None:
    """The per-address rate limit on login or tokens was hit: log it as a security event."""
    security_event("lockout", path=request.path, ip=client_ip(), limit=str(limit.limit))
