"""Accounts: sign-up, login sessions, admin-created users, disabling, language preference."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from taskboerse.extensions import db
from taskboerse.models import ApiToken, LoginSession, NotificationKind, Role, User
from taskboerse.models.types import utcnow
from taskboerse.services.errors import Conflict, NotFound, ValidationFailed
from taskboerse.services.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    is_common_password,
    verify_password,
)


@dataclass(frozen=True)
class NewUser:
    """What it takes to create an account."""

    email: str
    name: str
    role: Role
    password: str = field(repr=False)
    locale: str = "da"


# Writing systems that are used together in one word: Japanese mixes kanji and kana.
_SCRIPT_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def _scripts(text: str) -> set[str]:
    """The writing systems of the letters in ``text`` (LATIN, CYRILLIC, GREEK, CJK …)."""
    names = (unicodedata.name(char, "?").split(" ", 1)[0] for char in text if char.isalpha())
    return {_SCRIPT_FAMILY.get(name, name) for name in names}


def normalise_email(email: str) -> str:
    """Lower-case and syntax-check an email address (no DNS look-up).

    NFKC first, so full-width or other compatibility forms become plain letters; the domain
    goes through IDNA. An address whose local part or any domain label mixes writing systems
    (``exаmple`` with a Cyrillic а) is refused: it can only be meant to look like another."""
    email = unicodedata.normalize("NFKC", email).strip()
    try:
        result = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationFailed(_l("Enter a valid email address."), field="email") from None
    parts = [result.local_part, *result.domain.split(".")]
    if any(len(_scripts(part)) > 1 for part in parts):
        raise ValidationFailed(
            _l("The address mixes letters from different alphabets. Check how it is written."),
            field="email",
        )
    return result.normalized.lower()


def lookup_key(email: str) -> str:
    """The form an email is looked up by (never raises): NFKC, trimmed, lower-case, and a
    domain written in punycode (``xn--bger-ira.dk``) in the Unicode form addresses are
    stored in (``bøger.dk``)."""
    key = unicodedata.normalize("NFKC", email).strip().lower()
    local, at, domain = key.rpartition("@")
    if at and "xn--" in domain:
        try:
            domain = domain.encode("ascii").decode("idna")
        except UnicodeError:
            return key
        key = f"{local}@{domain}"
    return key


def check_password_rules(password: str) -> None:
    """Length rules and no common password; no composition rules, as NIST and ASVS advise."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _l("The password must be at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            _l("The password can be at most %(n)d characters.", n=MAX_PASSWORD_LENGTH),
            field="password",
        )
    if is_common_password(password):
        raise ValidationFailed(
            _l(
                "This password is among the most used and is guessed first. "
                "Choose another; a short sentence is easy to remember."
            ),
            field="password",
        )


def _find_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == lookup_key(email))
    ).scalar_one_or_none()


def create_user(info: NewUser) -> User:
    """Create an account with any role (sign-up restricts the role before calling this)."""
    email = normalise_email(info.email)
    name = info.name.strip()
    if not name:
        raise ValidationFailed(_l("Enter your name."), field="name")
    check_password_rules(info.password)
    if _find_by_email(email) is not None:
        raise Conflict(_l("An account with this email already exists."), field="email")
    user = User(
        email=email,
        name=name,
        role=info.role,
        password_hash=hash_password(info.password),
        locale=info.locale if info.locale in ("da", "en") else "da",
    )
    db.session.add(user)
    db.session.commit()
    return user


def sign_up(info: NewUser) -> User:
    """Public self-registration: only jobseekers and entrepreneurs."""
    if info.role not in (Role.JOBSEEKER, Role.ENTREPRENEUR):
        raise ValidationFailed(_l("Choose graduate or entrepreneur."), field="role")
    return create_user(info)


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None — without revealing which part was wrong."""
    user = _find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or user.is_disabled:
        return None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login_session(user: User) -> str:
    """Record a new login and return the random token the session cookie will carry."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_token_hash(token)))
    user.last_active_at = utcnow()
    db.session.commit()
    return token


# A login session's last use is written at most this often (it drives the idle timeout).
SESSION_TOUCH = timedelta(seconds=60)


def record_activity(user: User, resolution: timedelta) -> None:
    """Remember that the user is active, writing at most once per ``resolution``.

    The job centre's "no activity" flag reads this; writing on every request would only
    cost a database write per page view.
    """
    now = utcnow()
    if user.last_active_at is None or now - user.last_active_at >= resolution:
        user.last_active_at = now
        db.session.commit()


def resolve_login_session(
    user_id: int, token: str | None, idle: timedelta, absolute: timedelta
) -> User | None:
    """The user whose live login session has ``token``; None once it has ended, been idle
    longer than ``idle`` or lived longer than ``absolute`` (the expired row is deleted)."""
    if not token:
        return None
    row = db.session.execute(
        select(LoginSession).where(
            LoginSession.token_hash == _token_hash(token), LoginSession.user_id == user_id
        )
    ).scalar_one_or_none()
    if row is None or row.user.is_disabled:
        return None
    now = utcnow()
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        db.session.delete(row)
        db.session.commit()
        return None
    if now - row.last_seen_at > SESSION_TOUCH:
        row.last_seen_at = now
        db.session.commit()
    return row.user


def end_all_sessions(user_id: int) -> None:
    """Log the user out everywhere: every browser session and every API token ends now."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
    db.session.commit()


def end_login_session(token: str | None) -> None:
    """Delete one login session so its cookie no longer works."""
    if token:
        db.session.execute(
            delete(LoginSession).where(LoginSession.token_hash == _token_hash(token))
        )
        db.session.commit()


def get_user(user_id: int) -> User:
    """A user by id (admin pages); 404 when there is none."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such user."))
    return user


def set_user_disabled(actor: User, user_id: int, disabled: bool, reason: str = "") -> User:
    """Disable or re-enable a user; disabling ends all their sessions at once and tells
    them by email, with the admin's ``reason`` if one was given."""
    from taskboerse.services.notifications import check_reason, notify

    reason = check_reason(reason)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such user."))
    if user.id == actor.id:
        raise ValidationFailed(_l("You cannot disable your own account."))
    was_disabled = user.is_disabled
    user.is_disabled = disabled
    if disabled:
        db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        if not was_disabled:
            notify(user, NotificationKind.ACCOUNT_DISABLED, actor=actor, reason=reason)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change the password; every login session and API token of the user ends (the caller
    starts a fresh session for the browser that made the change)."""
    if not verify_password(user.password_hash, current):
        raise ValidationFailed(_l("The current password is wrong."), field="current")
    check_password_rules(new)
    user.password_hash = hash_password(new)
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language."""
    if locale not in ("da", "en"):
        raise ValidationFailed(_l("Unknown language."))
    user.locale = locale
    db.session.commit()


def list_users(role: Role | None = None) -> list[User]:
    """All users, newest first, optionally of one role (admin view)."""
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role is not None:
        stmt = stmt.where(User.role == role)
    return list(db.session.execute(stmt).scalars())
