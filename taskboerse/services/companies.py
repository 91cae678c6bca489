"""Entrepreneurs' companies, CVR validation, and the job centre's verification of companies.

A valid CVR check digit only proves the number is well formed; anyone can make one up. A
company's references count as confirmed only after an admin or caseworker has verified the
company (checked the CVR register and that the owner really is the company), so verification
is a person's decision, logged as a security event, and undone when the name or CVR changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Company,
    JobseekerProfile,
    Role,
    Task,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.phones import check_phone
from taskboerse.services.security import security_event

VERIFIER_ROLES = (Role.ADMIN, Role.CASEWORKER)

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def is_valid_cvr(cvr: str) -> bool:
    """8 digits whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11 (Erhvervsstyrelsen)."""
    if not re.fullmatch(r"[0-9]{8}", cvr) or cvr[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(cvr, CVR_WEIGHTS, strict=True)) % 11 == 0


def clean_cvr(raw: str) -> str:
    """Accept "DK 12 34 56 78" style input; return the 8 digits or raise."""
    cvr = re.sub(r"[\s-]", "", raw or "").upper().removeprefix("DK")
    if not is_valid_cvr(cvr):
        raise ValidationFailed(
            _l("A CVR number is 8 digits and must pass the official check digit test."),
            field="cvr",
        )
    return cvr


def save_company(user: User, name: str, cvr: str, phone: str = "") -> Company:
    """Create or update the entrepreneur's one company; the optional ``phone`` is shown only
    to graduates the company has accepted."""
    if user.role != Role.ENTREPRENEUR:
        raise Forbidden(_l("Only entrepreneurs have a company."))
    name = (name or "").strip()
    if not name or len(name) > 160:
        raise ValidationFailed(_l("Enter the company name (at most 160 characters)."), field="name")
    cvr = clean_cvr(cvr)
    phone = check_phone(phone)
    company = user.company
    taken = db.session.execute(select(Company).where(Company.cvr == cvr)).scalar_one_or_none()
    if taken is not None and (company is None or taken.id != company.id):
        raise Conflict(_l("This CVR number is already registered."), field="cvr")
    if company is None:
        company = Company(owner_id=user.id, name=name, cvr=cvr, phone=phone)
        db.session.add(company)
    else:
        if company.is_verified and (company.name != name or company.cvr != cvr):
            # The job centre verified this name and number, not whatever comes next.
            company.verified_at = None
            company.verified_by_id = None
            _rerank_references_of(company)
            security_event("company_verification_lapsed", actor=user.id, company=company.id)
        company.name = name
        company.cvr = cvr
        company.phone = phone
    db.session.commit()
    return company


def _check_verifier(actor: User) -> None:
    if actor.role not in VERIFIER_ROLES or actor.is_disabled:
        raise Forbidden(_l("Only administrators and caseworkers can verify companies."))


def _company(company_id: int) -> Company:
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound(_l("No such company."))
    return company


def _rerank_references_of(company: Company) -> None:
    """The graduates whose references come from ``company`` rank differently once it is
    (no longer) verified: touching their profiles makes every process's matching index
    pick them up at its next sync (in the caller's transaction)."""
    graduates = (
        select(Application.jobseeker_id)
        .join(Task, Task.id == Application.task_id)
        .where(Task.company_id == company.id, Application.status == ApplicationStatus.COMPLETED)
    )
    db.session.execute(
        update(JobseekerProfile)
        .where(JobseekerProfile.user_id.in_(graduates))
        .values(updated_at=utcnow())
    )


def verify_company(actor: User, company_id: int) -> Company:
    """Mark a company as verified by the job centre, so its references count as confirmed."""
    _check_verifier(actor)
    company = _company(company_id)
    if not company.is_verified:
        company.verified_at = utcnow()
        company.verified_by_id = actor.id
        _rerank_references_of(company)
        db.session.commit()
        security_event("company_verified", actor=actor.id, company=company.id)
    return company


def unverify_company(actor: User, company_id: int) -> Company:
    """Remove a company's verification; its references no longer count as confirmed."""
    _check_verifier(actor)
    company = _company(company_id)
    if company.is_verified:
        company.verified_at = None
        company.verified_by_id = None
        _rerank_references_of(company)
        db.session.commit()
        security_event("company_unverified", actor=actor.id, company=company.id)
    return company


@dataclass(frozen=True)
class CompanyRow:
    """One line of the verification list."""

    id: int
    name: str
    cvr: str
    owner_name: str
    owner_email: str
    tasks: int
    verified_at: datetime | None
    verified_by: str | None

    @property
    def is_verified(self) -> bool:
        """True when the company is verified."""
        return self.verified_at is not None


def list_companies(actor: User) -> list[CompanyRow]:
    """Every company with its owner, task count and verification; unverified ones first."""
    _check_verifier(actor)
    owner = aliased(User)
    verifier = aliased(User)
    task_count = select(func.count(Task.id)).where(Task.company_id == Company.id).scalar_subquery()
    rows = db.session.execute(
        select(
            Company.id,
            Company.name,
            Company.cvr,
            owner.name,
            owner.email,
            task_count,
            Company.verified_at,
            verifier.name,
        )
        .join(owner, owner.id == Company.owner_id)
        .outerjoin(verifier, verifier.id == Company.verified_by_id)
        .order_by(Company.verified_at.is_not(None), func.lower(Company.name), Company.id)
    ).all()
    return [CompanyRow(*row) for row in rows]
