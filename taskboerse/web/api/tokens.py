"""Bearer tokens: POST /tokens for email and password, DELETE /tokens/current."""

from __future__ import annotations

from flask import current_app, g, jsonify
from flask_babel import gettext as _

from taskboerse.extensions import limiter
from taskboerse.services import tokens
from taskboerse.services.login_throttle import account_key
from taskboerse.services.security import security_event
from taskboerse.web.access import (
    client_ip,
    log_lockout,
    login_result,
    login_wait,
    too_many_attempts,
)
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.validation import validated
from taskboerse.web.errors import api_error


def _token_limit() -> str:
    return current_app.config["API_TOKEN_RATE_LIMIT"]


@bp.post("/tokens")
@limiter.limit(_token_limit, on_breach=log_lockout)
@validated(body="TokenCreate")
def create_token(data: dict):
    """A bearer token for email and password (the same per-account delay as the login)."""
    account = account_key(data["email"])
    wait = login_wait(data["email"])
    if wait:
        response = api_error(429, "rate_limited", too_many_attempts(wait))
        response.headers["Retry-After"] = str(wait)
        return response
    issued = tokens.issue_token(data["email"], data["password"])
    login_result(data["email"], ok=issued is not None)
    if issued is None:
        security_event("login_failed", account=account, ip=client_ip(), via="api")
        return api_error(401, "unauthorized", _("Wrong email or password."))
    token, expires = issued
    security_event("login_ok", account=account, ip=client_ip(), via="api")
    return jsonify({"token": token, "expires_at": expires.isoformat()}), 201


@bp.delete("/tokens/current")
@auth()
def delete_token():
    """Revoke the token of this request."""
    tokens.revoke_token(g.api_token)
    return "", 204
