"""API tokens: issue for credentials, resolve from a bearer header, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from taskboerse.extensions import db
from taskboerse.models import ApiToken, User
from taskboerse.models.types import utcnow
from taskboerse.services.accounts import authenticate


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(email: str, password: str) -> tuple[str, datetime] | None:
    """A new token and its expiry for valid credentials; None otherwise (no hint why)."""
    user = authenticate(email, password)
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(seconds=current_app.config["API_TOKEN_SECONDS"])
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash(token), expires_at=expires))
    user.last_active_at = utcnow()
    db.session.commit()
    return token, expires


def user_for_token(token: str) -> User | None:
    """The live, enabled user behind ``token``; None when unknown, expired or revoked."""
    row = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == _hash(token))
    ).scalar_one_or_none()
    if row is None or row.expires_at <= utcnow() or row.user.is_disabled:
        return None
    return row.user


def revoke_token(token: str) -> None:
    """Delete the token so it stops working at once."""
    db.session.execute(delete(ApiToken).where(ApiToken.token_hash == _hash(token)))
    db.session.commit()


def revoke_all_tokens(user_id: int) -> None:
    """Delete every token of a user (in the caller's transaction)."""
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
