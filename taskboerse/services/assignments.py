"""Which caseworker follows which graduate: the administrator's use case.

The admin names the graduate by typing: the whole email (what the suggestions fill in), or
any part of the name or email that only one graduate matches. Several matches or none are
refused with the names to choose from, and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from taskboerse.extensions import db
from taskboerse.models import (
    CaseAssignment,
    Consent,
    Role,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.accounts import lookup_key
from taskboerse.services.errors import Forbidden, NotFound, ValidationFailed

# The suggestions start at this many characters and show at most this many graduates.
SUGGEST_MIN_LENGTH = 2
SUGGEST_LIMIT = 10
# At most this many names are listed when a typed name matches several graduates.
AMBIGUOUS_SHOWN = 5


def _user_by_email(email: str, role: Role, field_name: str) -> User:
    user = db.session.execute(
        select(User).where(func.lower(User.email) == lookup_key(email))
    ).scalar_one_or_none()
    if user is None or user.role != role:
        message = {
            Role.CASEWORKER: _l("No caseworker has this email."),
            Role.JOBSEEKER: _l("No graduate has this email."),
        }[role]
        raise ValidationFailed(message, field=field_name)
    return user


def _require_admin(actor: User | None) -> None:
    """Only an administrator assigns; ``None`` is the operator at the command line."""
    if actor is not None and actor.role != Role.ADMIN:
        raise Forbidden(_l("Only administrators assign caseworkers."))


def _like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def _graduates_matching(text: str):
    """Graduates (not erased) whose name or email holds ``text``, any case."""
    like = _like(text)
    return select(User).where(
        User.role == Role.JOBSEEKER,
        User.anonymised_at.is_(None),
        or_(User.name.ilike(like, escape="\\"), User.email.ilike(like, escape="\\")),
    )


def find_graduate(text: str) -> User:
    """The graduate ``text`` names: the one with exactly this email, else the only one whose
    name or email holds it. ValidationFailed (field ``jobseeker``) for none or several, with
    the candidates' names and emails so the admin can type the right one."""
    text = " ".join(text.split())
    if not text:
        raise ValidationFailed(_l("Enter the graduate's name or email."), field="jobseeker")
    exact = db.session.execute(
        select(User).where(func.lower(User.email) == lookup_key(text))
    ).scalar_one_or_none()
    if exact is not None:
        if exact.role != Role.JOBSEEKER or exact.anonymised_at is not None:
            raise ValidationFailed(_l("No graduate has this email."), field="jobseeker")
        return exact
    found = list(
        db.session.execute(
            _graduates_matching(text).order_by(User.name, User.id).limit(AMBIGUOUS_SHOWN + 1)
        ).scalars()
    )
    if len(found) == 1:
        return found[0]
    if not found:
        if "@" in text:
            raise ValidationFailed(_l("No graduate has this email."), field="jobseeker")
        raise ValidationFailed(
            _l("No graduate matches “%(text)s”. Check the spelling, or type the email.", text=text),
            field="jobseeker",
        )
    shown = "; ".join(f"{u.name} ({u.email})" for u in found[:AMBIGUOUS_SHOWN])
    if len(found) > AMBIGUOUS_SHOWN:
        shown += "; …"
    raise ValidationFailed(
        _l(
            "Several graduates match “%(text)s”: %(names)s. Type the whole email of the one "
            "you mean.",
            text=text,
            names=shown,
        ),
        field="jobseeker",
    )


@dataclass(frozen=True)
class GraduateSuggestion:
    """One suggestion while the admin types a graduate's name or email."""

    id: int
    name: str
    email: str
    caseworker: str | None  # the current caseworker's name, if any


def suggest_graduates(actor: User, text: str) -> list[GraduateSuggestion]:
    """Up to SUGGEST_LIMIT graduates whose name or email holds ``text`` (at least
    SUGGEST_MIN_LENGTH characters, else none), by name, with their current caseworker."""
    _require_admin(actor)
    text = " ".join(text.split())[:200]
    if len(text) < SUGGEST_MIN_LENGTH:
        return []
    caseworker = aliased(User)
    rows = db.session.execute(
        _graduates_matching(text)
        .add_columns(caseworker.name)
        .outerjoin(CaseAssignment, CaseAssignment.jobseeker_id == User.id)
        .outerjoin(caseworker, caseworker.id == CaseAssignment.caseworker_id)
        .order_by(User.name, User.id)
        .limit(SUGGEST_LIMIT)
    ).all()
    return [GraduateSuggestion(u.id, u.name, u.email, cw_name) for u, cw_name in rows]


def assign_caseworker(actor: User | None, caseworker_email: str, jobseeker: str) -> CaseAssignment:
    """Make the caseworker follow the graduate (replacing an earlier caseworker); the
    graduate is named by email or by a part of the name or email only they match."""
    _require_admin(actor)
    caseworker = _user_by_email(caseworker_email, Role.CASEWORKER, "caseworker")
    graduate = find_graduate(jobseeker)
    assignment = db.session.get(CaseAssignment, graduate.id)
    if assignment is None:
        assignment = CaseAssignment(jobseeker_id=graduate.id, caseworker_id=caseworker.id)
        db.session.add(assignment)
    elif assignment.caseworker_id != caseworker.id:
        assignment.caseworker_id = caseworker.id
        assignment.assigned_at = utcnow()
    db.session.commit()
    return assignment


def unassign(actor: User | None, jobseeker_id: int) -> None:
    """End the graduate's assignment to a caseworker."""
    _require_admin(actor)
    assignment = db.session.get(CaseAssignment, jobseeker_id)
    if assignment is None:
        raise NotFound(_l("This graduate has no caseworker."))
    db.session.delete(assignment)
    db.session.commit()


@dataclass(frozen=True)
class AssignmentRow:
    """One line of the admin's assignment list."""

    jobseeker_id: int
    jobseeker_name: str
    jobseeker_email: str
    caseworker_name: str
    caseworker_email: str
    assigned_at: datetime
    consents: bool


def list_assignments(actor: User) -> list[AssignmentRow]:
    """Every assignment with the graduate's consent state (admin view; one query)."""
    _require_admin(actor)
    graduate = db.aliased(User)
    caseworker = db.aliased(User)
    rows = db.session.execute(
        select(CaseAssignment, graduate, caseworker, Consent.shared)
        .join(graduate, graduate.id == CaseAssignment.jobseeker_id)
        .join(caseworker, caseworker.id == CaseAssignment.caseworker_id)
        .outerjoin(Consent, Consent.jobseeker_id == CaseAssignment.jobseeker_id)
        .order_by(caseworker.name, graduate.name, graduate.id)
    ).all()
    return [
        AssignmentRow(
            jobseeker_id=g.id,
            jobseeker_name=g.name,
            jobseeker_email=g.email,
            caseworker_name=c.name,
            caseworker_email=c.email,
            assigned_at=a.assigned_at,
            consents=bool(shared),
        )
        for a, g, c, shared in rows
    ]


def caseworkers() -> list[User]:
    """Active caseworkers, by name."""
    return list(
        db.session.execute(
            select(User)
            .where(User.role == Role.CASEWORKER, User.is_disabled.is_(False))
            .order_by(User.name, User.id)
        ).scalars()
    )
