"""Which caseworker follows which graduate: the administrator's use case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    CaseAssignment,
    Consent,
    Role,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.errors import Forbidden, NotFound, ValidationFailed


def _user_by_email(email: str, role: Role, field_name: str) -> User:
    user = db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
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


def assign_caseworker(
    actor: User | None, caseworker_email: str, jobseeker_email: str
) -> CaseAssignment:
    """Make the caseworker follow the graduate (replacing an earlier caseworker)."""
    _require_admin(actor)
    caseworker = _user_by_email(caseworker_email, Role.CASEWORKER, "caseworker")
    jobseeker = _user_by_email(jobseeker_email, Role.JOBSEEKER, "jobseeker")
    assignment = db.session.get(CaseAssignment, jobseeker.id)
    if assignment is None:
        assignment = CaseAssignment(jobseeker_id=jobseeker.id, caseworker_id=caseworker.id)
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
