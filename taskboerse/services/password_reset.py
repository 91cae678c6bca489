"""Password reset by email: a signed link that lives PASSWORD_RESET_MINUTES and works once.

The link carries the user's id, a random nonce and a short keyed fingerprint of the password
hash, signed with the app's secret key (itsdangerous, a salt of its own). The nonce is also
stored on the user, so a newer link replaces it and the older one dies; using a link clears
it, so a link works once; a changed password changes the fingerprint, so a link from before
the change dies too. Nothing is kept of the link itself.

Asking for a link gives the same answer whether or not the account exists: the caller never
learns which. Requests are counted per account (the email as accounts are looked up by,
hashed) in the rate limiter's storage, for unknown addresses too, so the count says nothing
either; the web form and the API share the count.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import delete, func, select, update

from taskboerse.extensions import db
from taskboerse.models import ApiToken, LoginSession, OutboxMessage, User
from taskboerse.services import clock
from taskboerse.services.accounts import check_password_rules, lookup_key, normalise_email
from taskboerse.services.errors import DomainError
from taskboerse.services.login_throttle import account_key
from taskboerse.services.notifications import header_text
from taskboerse.services.passwords import hash_password
from taskboerse.services.security import security_event

SALT = "password-reset"
# The limiter scope the per-account count is kept under.
ACCOUNT_SCOPE = "password-reset-account"

LINK_NOT_VALID = _l("The link is not valid. Check that you copied all of it from the email.")
LINK_USED = _l(
    "The link has already been used, or a newer link or a password change has replaced it."
)


class ResetLinkInvalid(DomainError):
    """The link is forged, cut short, expired, used or replaced; ``reason`` says which."""

    status_code = 400
    code = "invalid_reset_link"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def too_many_requests(wait: int) -> str:
    """The answer to a request past a limit, with the wait in whole minutes."""
    minutes = max(1, -(-wait // 60))
    return _l("Too many requests for a new password. Try again in %(num)d min.", num=minutes)


class TooManyResetRequests(DomainError):
    """The account (or the email, whether or not it has one) asked too often."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(too_many_requests(retry_after), field="email")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ResetLink:
    """What a link carries once its signature is checked."""

    user_id: int
    nonce: str
    fingerprint: str
    issued_at: datetime


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def valid_minutes() -> int:
    """How long a link lives, in minutes (config PASSWORD_RESET_MINUTES)."""
    return int(current_app.config["PASSWORD_RESET_MINUTES"])


def password_fingerprint(password_hash: str) -> str:
    """A short keyed digest of the password hash: it changes whenever the password does, and
    the link, whose payload anyone holding it can read, reveals nothing of the hash."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:16]


def issue_link_token(user: User) -> str:
    """A new link token for ``user``; stores a fresh nonce on the user, which kills every
    older link (in the caller's transaction, no commit)."""
    user.reset_nonce = secrets.token_hex(16)
    payload = {
        "u": user.id,
        "n": user.reset_nonce,
        "f": password_fingerprint(user.password_hash),
    }
    return _serializer().dumps(payload)


def read_link_token(token: str) -> ResetLink:
    """The signed content of ``token``; ResetLinkInvalid when it is forged or cut short.
    Age, nonce and fingerprint are checked by ``check_link``."""
    try:
        payload, issued_at = _serializer().loads(token, return_timestamp=True)
    except (BadData, UnicodeError, ValueError):
        raise ResetLinkInvalid(LINK_NOT_VALID, "invalid") from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("u"), int)
        and isinstance(payload.get("n"), str)
        and isinstance(payload.get("f"), str)
    ):
        raise ResetLinkInvalid(LINK_NOT_VALID, "invalid")
    return ResetLink(payload["u"], payload["n"], payload["f"], issued_at)


def check_link(token: str) -> User:
    """The user a live link is for. ResetLinkInvalid when the link is forged, older than
    PASSWORD_RESET_MINUTES, already used, replaced by a newer link, made before the last
    password change, or for an account that is disabled or erased."""
    link = read_link_token(token)
    minutes = valid_minutes()
    if clock.now() - link.issued_at > timedelta(minutes=minutes):
        raise ResetLinkInvalid(
            _l("The link has expired: it was valid for %(minutes)d minutes.", minutes=minutes),
            "expired",
        )
    user = db.session.get(User, link.user_id)
    if user is None or user.is_disabled or user.anonymised_at is not None:
        raise ResetLinkInvalid(LINK_NOT_VALID, "invalid")
    nonce_ok = user.reset_nonce is not None and hmac.compare_digest(user.reset_nonce, link.nonce)
    fingerprint_ok = hmac.compare_digest(password_fingerprint(user.password_hash), link.fingerprint)
    if not (nonce_ok and fingerprint_ok):
        raise ResetLinkInvalid(LINK_USED, "used")
    return user


def _account_limiter() -> FixedWindowRateLimiter | None:
    """The per-account counter on the rate limiter's storage; None while limits are off."""
    config = current_app.config
    if not config["RATELIMIT_ENABLED"]:
        return None
    limiter = current_app.extensions.get("taskboerse_reset_limiter")
    if limiter is None:
        limiter = FixedWindowRateLimiter(storage_from_string(config["RATELIMIT_STORAGE_URI"]))
        current_app.extensions["taskboerse_reset_limiter"] = limiter
    return limiter


def count_account_request(email: str) -> None:
    """Count a request for the account named by ``email`` (known or not); raise
    TooManyResetRequests once PASSWORD_RESET_ACCOUNT_LIMIT is used up."""
    limiter = _account_limiter()
    if limiter is None:
        return
    config = current_app.config
    item = parse(config["PASSWORD_RESET_ACCOUNT_LIMIT"])
    keys = (config["RATELIMIT_KEY_PREFIX"], ACCOUNT_SCOPE, account_key(email))
    if not limiter.hit(item, *keys):
        reset_at = limiter.get_window_stats(item, *keys).reset_time
        wait = max(1, round(reset_at - time.time()))  # the storage keeps real time
        security_event("lockout", what="password_reset", account=account_key(email), wait=wait)
        raise TooManyResetRequests(wait)


def render_reset_email(user: User, link: str, by_admin: bool = False) -> tuple[str, str]:
    """The subject and body of the email with the link, in the recipient's language; says
    who asked (the user, or an administrator on their behalf)."""
    with force_locale(user.locale or "da"):
        if by_admin:
            why = _(
                "A Taskbørs administrator has sent you a link to choose a new password for "
                "your account. Open this link to choose one:"
            )
        else:
            why = _(
                "We received a request to choose a new password for your Taskbørs "
                "account. Open this link to choose one:"
            )
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                why,
                link,
                _(
                    "The link is valid for %(minutes)d minutes and works once. A newer link "
                    "or a password change makes it invalid.",
                    minutes=valid_minutes(),
                ),
                _("If you did not ask for this, ignore this email: your password stays as it is."),
            ]
        )
        return header_text(f"Taskbørs: {_('Choose a new password')}"), body


def request_reset(email: str, link_path: Callable[[str], str]) -> None:
    """Send a reset link to the account with ``email`` if there is a usable one (not disabled,
    not erased); otherwise do nothing. Returns nothing either way, so no caller can tell.

    ``link_path`` turns a token into the reset page's path; the email carries BASE_URL in
    front of it. ValidationFailed for an address that cannot be one, TooManyResetRequests
    past the per-account limit (counted for unknown addresses as for known ones)."""
    email = normalise_email(email)
    count_account_request(email)
    user = db.session.execute(
        select(User).where(func.lower(User.email) == lookup_key(email))
    ).scalar_one_or_none()
    if user is None or user.is_disabled or user.anonymised_at is not None:
        return
    token = issue_link_token(user)
    subject, body = render_reset_email(user, current_app.config["BASE_URL"] + link_path(token))
    db.session.add(OutboxMessage(to_email=user.email, subject=subject, body=body))
    db.session.commit()
    security_event("password_reset_mailed", user=user.id)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a live link: the link dies, and every login session and
    API token of the user ends. ResetLinkInvalid for a dead link, ValidationFailed (field
    ``password``) for a password the rules refuse; either way nothing changes."""
    user = check_link(token)
    check_password_rules(new_password)
    link = read_link_token(token)
    # Conditional on the nonce and hash read above: of two uses of one link at the same
    # moment, only the first changes anything.
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            User.reset_nonce == link.nonce,
            User.password_hash == user.password_hash,
        )
        .values(password_hash=hash_password(new_password), reset_nonce=None)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ResetLinkInvalid(LINK_USED, "used")
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.commit()
    security_event("password_reset", user=user.id)
    return user
