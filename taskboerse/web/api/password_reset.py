"""Password reset: POST /password-reset asks for a link by email (202 whatever the email)."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext as _

from taskboerse.extensions import limiter
from taskboerse.services import password_reset
from taskboerse.services.login_throttle import account_key
from taskboerse.services.security import security_event
from taskboerse.web.access import client_ip
from taskboerse.web.api import bp
from taskboerse.web.api.validation import validated
from taskboerse.web.auth.views import reset_link_path
from taskboerse.web.errors import api_error


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


@bp.post("/password-reset")
@limiter.shared_limit(_reset_limit, scope="password-reset")
@validated(body="PasswordResetRequest")
def request_password_reset(data: dict):
    """Send a link to choose a new password if an account has the email. The answer is the
    same either way; the limits per address and per account are the web form's."""
    try:
        password_reset.request_reset(data["email"], reset_link_path)
    except password_reset.TooManyResetRequests as error:
        response = api_error(429, error.code, str(error.message))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    security_event(
        "password_reset_requested", account=account_key(data["email"]), ip=client_ip(), via="api"
    )
    message = _(
        "If there is an account with this email, a link to choose a new password is on its "
        "way. The link is valid for %(minutes)d minutes.",
        minutes=password_reset.valid_minutes(),
    )
    return jsonify({"status": "accepted", "message": message}), 202
