"""Accounts: sign-up, login sessions, admin-created users, the admin's user list and edits,
disabling, password-reset links sent by an admin, language preference."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from taskboerse.extensions import db
from taskboerse.models import (
    ApiToken,
    Application,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Company,
    Invitation,
    JobseekerProfile,
    LoginSession,
    MentorNeed,
    MentorProfile,
    MentorRequest,
    Mentorship,
    NotificationKind,
    OutboxMessage,
    Role,
    Task,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.models.user import SELF_SIGNUP_ROLES
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    is_common_password,
    verify_password,
)
from taskboerse.services.security import security_event


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
    """Public self-registration: graduates, entrepreneurs and mentors (a mentor is seen by
    entrepreneurs only after staff approve the profile)."""
    if info.role not in SELF_SIGNUP_ROLES:
        raise ValidationFailed(_l("Choose graduate, entrepreneur or mentor."), field="role")
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
        if user.role in (Role.MENTOR, Role.ENTREPRENEUR):
            # The other side of their mentoring need not wait for someone who cannot answer.
            from taskboerse.services.mentor_needs import release_requests_of
            from taskboerse.services.mentorships import end_mentorships_of

            if user.role == Role.MENTOR:
                release_requests_of(user.id, user.name)
            end_mentorships_of(user.id, user.name)
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


# --- the admin's user list ----------------------------------------------------------------------

USERS_PER_PAGE = 25
# A page number past this is clamped before it reaches the database (an OFFSET in the
# billions costs a scan).
MAX_PAGE = 10_000


@dataclass(frozen=True)
class UserQuery:
    """The admin's search in the user list: text in the name or email, a role, a status."""

    text: str = ""
    role: Role | None = None
    status: str = ""  # "", "active" or "disabled"
    page: int = 1
    per_page: int = USERS_PER_PAGE


def _like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def _require_admin(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(_l("Only administrators manage users."))


def search_users(actor: User, query: UserQuery) -> Pagination:
    """Users whose name or email holds ``query.text`` (any case), of one role and status,
    newest first, a page at a time. A page past the end gives the last page."""
    _require_admin(actor)
    if query.status not in ("", "active", "disabled"):
        raise ValidationFailed(_l("Unknown status."), field="status")
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    if query.text.strip():
        like = _like(query.text)
        stmt = stmt.where(
            or_(User.name.ilike(like, escape="\\"), User.email.ilike(like, escape="\\"))
        )
    if query.role is not None:
        stmt = stmt.where(User.role == query.role)
    if query.status:
        stmt = stmt.where(User.is_disabled.is_(query.status == "disabled"))
    page = max(1, min(query.page, MAX_PAGE))
    found = db.paginate(stmt, page=page, per_page=query.per_page, error_out=False)
    if not found.items and page > 1 and found.pages:
        found = db.paginate(stmt, page=found.pages, per_page=query.per_page, error_out=False)
    return found


# --- editing a user -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UserChanges:
    """What an admin may change about an account."""

    name: str
    email: str
    role: Role


@dataclass(frozen=True)
class UserUpdate:
    """The result of an edit: the user and what changed (for the flash and the audit)."""

    user: User
    changed: tuple[str, ...]
    old_email: str
    old_role: Role


def _count(stmt) -> int:
    return db.session.execute(stmt).scalar_one()


def role_ties(user: User) -> list[str]:
    """What the user has that belongs to their current role and would be left without an
    owner if the role changed, in words ("a graduate profile", "3 applications"). Empty
    when the role can change."""
    ties: list[str] = []
    if user.role == Role.JOBSEEKER:
        uid = user.id
        if _count(select(func.count()).where(JobseekerProfile.user_id == uid)):
            ties.append(_("a graduate profile"))
        n = _count(select(func.count()).where(Application.jobseeker_id == uid))
        if n:
            ties.append(ngettext("%(num)d application", "%(num)d applications", n))
        n = _count(select(func.count()).where(Invitation.jobseeker_id == uid))
        if n:
            ties.append(ngettext("%(num)d invitation", "%(num)d invitations", n))
        if _count(select(func.count()).where(CaseAssignment.jobseeker_id == uid)):
            ties.append(_("an assigned caseworker"))
        notes = _count(select(func.count()).where(CaseNote.jobseeker_id == uid))
        outcomes = _count(select(func.count()).where(CaseOutcome.jobseeker_id == uid))
        if notes or outcomes:
            ties.append(_("notes or an outcome from the job centre"))
    elif user.role == Role.ENTREPRENEUR:
        company = db.session.execute(
            select(Company).where(Company.owner_id == user.id)
        ).scalar_one_or_none()
        if company is not None:
            ties.append(_("the company %(name)s", name=company.name))
            n = _count(select(func.count()).where(Task.company_id == company.id))
            if n:
                ties.append(ngettext("%(num)d task", "%(num)d tasks", n))
        n = _count(select(func.count()).where(MentorNeed.entrepreneur_id == user.id))
        if n:
            ties.append(ngettext("%(num)d mentor need", "%(num)d mentor needs", n))
    elif user.role == Role.MENTOR:
        if _count(select(func.count()).where(MentorProfile.user_id == user.id)):
            ties.append(_("a mentor profile"))
        n = _count(select(func.count()).where(Mentorship.mentor_id == user.id))
        if n:
            ties.append(ngettext("%(num)d mentorship", "%(num)d mentorships", n))
        n = _count(select(func.count()).where(MentorRequest.mentor_id == user.id))
        if n:
            ties.append(ngettext("%(num)d mentor request", "%(num)d mentor requests", n))
    elif user.role == Role.CASEWORKER:
        n = _count(select(func.count()).where(CaseAssignment.caseworker_id == user.id))
        if n:
            ties.append(ngettext("%(num)d assigned graduate", "%(num)d assigned graduates", n))
    return ties


def _queue_account_email(user: User, to_email: str, lines: list[str]) -> None:
    """Tell the user by email that an administrator changed their account (no commit)."""
    from taskboerse.services.notifications import header_text

    if user.anonymised_at is not None:
        return
    with force_locale(user.locale or "da"):
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                _("An administrator has changed your account on Taskbørs:"),
                "\n".join(lines),
                _("If this is not what you expected, contact the job centre."),
            ]
        )
        subject = header_text(f"Taskbørs: {_('Your account was changed')}")
    db.session.add(OutboxMessage(to_email=to_email, subject=subject, body=body))


def _change_lines(user: User, update: UserUpdate) -> list[str]:
    """The changes in the user's language (called inside ``force_locale``)."""
    from taskboerse.labels import role_label

    lines = []
    if "name" in update.changed:
        lines.append(_("Name: %(name)s", name=user.name))
    if "email" in update.changed:
        lines.append(_("Email: %(old)s → %(new)s", old=update.old_email, new=user.email))
    if "role" in update.changed:
        lines.append(
            _("Role: %(old)s → %(new)s", old=role_label(update.old_role), new=role_label(user.role))
        )
    return lines


def update_user(actor: User, user_id: int, changes: UserChanges) -> UserUpdate:
    """Change a user's name, email or role (admins only).

    The email must be valid and not another account's (any case). An admin cannot change
    their own role, and a role changes only when nothing the user has under the current
    role would be left without an owner (``role_ties``). A changed email or role is told
    to the user by email (to both addresses when the email changes), a changed email kills
    any password-reset link sent to the old one, and the change is written to the security
    log."""
    _require_admin(actor)
    user = get_user(user_id)
    if user.anonymised_at is not None:
        raise Conflict(_l("This account is erased and cannot be changed."))
    name = " ".join(changes.name.split())
    if not name:
        raise ValidationFailed(_l("Enter the name."), field="name")
    if len(name) > 120:
        raise ValidationFailed(_l("The name can be at most %(n)d characters.", n=120), field="name")
    email = normalise_email(changes.email)
    if email != user.email.lower():
        other = _find_by_email(email)
        if other is not None and other.id != user.id:
            raise Conflict(
                _l("Another account already uses %(email)s.", email=email), field="email"
            )
    if changes.role != user.role:
        if user.id == actor.id:
            raise ValidationFailed(_l("You cannot change your own role."), field="role")
        ties = role_ties(user)
        if ties:
            raise ValidationFailed(
                _l(
                    "The role cannot be changed: %(name)s has %(what)s %(as_role)s, which "
                    "would be left without an owner.",
                    name=user.name,
                    what=", ".join(ties),
                    as_role=_as_role(user.role),
                ),
                field="role",
            )
    changed = tuple(
        what
        for what, differs in (
            ("name", name != user.name),
            ("email", email != user.email),
            ("role", changes.role != user.role),
        )
        if differs
    )
    update = UserUpdate(user=user, changed=changed, old_email=user.email, old_role=user.role)
    if not changed:
        return update
    user.name, user.email, user.role = name, email, changes.role
    if "email" in changed:
        user.reset_nonce = None  # a link sent to the old address must not work any more
    if "email" in changed or "role" in changed:
        with force_locale(user.locale or "da"):
            lines = _change_lines(user, update)
        _queue_account_email(user, user.email, lines)
        if "email" in changed and update.old_email.lower() != email:
            _queue_account_email(user, update.old_email, lines)
    try:
        db.session.commit()
    except IntegrityError:  # another request took the address a moment ago
        db.session.rollback()
        raise Conflict(
            _l("Another account already uses %(email)s.", email=email), field="email"
        ) from None
    security_event("account_updated", actor=actor.id, user=user.id, changed=",".join(changed))
    if "role" in changed:
        security_event(
            "role_change",
            actor=actor.id,
            user=user.id,
            role=user.role.value,
            old_role=update.old_role.value,
        )
    return update


def _as_role(role: Role) -> str:
    """The role after the data it owns ("3 applications as a graduate")."""
    return {
        Role.JOBSEEKER: _("as a graduate"),
        Role.ENTREPRENEUR: _("as an entrepreneur"),
        Role.CASEWORKER: _("as a caseworker"),
        Role.ADMIN: _("as an administrator"),
        Role.MENTOR: _("as a mentor"),
        Role.BUSINESS_STAFF: _("as business-service staff"),
    }[role]


def send_password_reset(actor: User, user_id: int, link_path: Callable[[str], str]) -> User:
    """Email the user the usual single-use link to choose a new password (admins only).

    The same link as when the user asks: a newer one replaces it, and it dies when used
    or when the password changes. Refused for a disabled or erased account, where the
    link would not work. ``link_path`` turns a token into the reset page's path."""
    from taskboerse.services.password_reset import issue_link_token, render_reset_email

    _require_admin(actor)
    user = get_user(user_id)
    if user.anonymised_at is not None:
        raise Conflict(_l("This account is erased and cannot be changed."))
    if user.is_disabled:
        raise Conflict(
            _l(
                "%(name)s's account is disabled, so a link would not work. Enable the account "
                "first.",
                name=user.name,
            )
        )
    token = issue_link_token(user)
    subject, body = render_reset_email(
        user, current_app.config["BASE_URL"] + link_path(token), by_admin=True
    )
    db.session.add(OutboxMessage(to_email=user.email, subject=subject, body=body))
    db.session.commit()
    security_event("password_reset_mailed", actor=actor.id, user=user.id, by="admin")
    return user
