"""Sign-up: POST /users."""

from __future__ import annotations

from flask import current_app, jsonify

from taskboerse.extensions import limiter
from taskboerse.models import Role
from taskboerse.services import accounts, signups
from taskboerse.web.access import client_ip
from taskboerse.web.api import bp
from taskboerse.web.api.serialisers import user_json
from taskboerse.web.api.validation import validated


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


@bp.post("/users")
@limiter.shared_limit(_signup_limit, scope="signup")
@validated(body="UserCreate")
def create_user(data: dict):
    """Public sign-up."""
    user = accounts.sign_up(
        accounts.NewUser(
            email=data["email"],
            name=data["name"],
            role=Role(data["role"]),
            password=data["password"],
        )
    )
    signups.record_signup(user, client_ip(), None)
    return jsonify(user_json(user)), 201
