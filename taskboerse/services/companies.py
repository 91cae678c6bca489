"""Entrepreneurs' companies and CVR validation."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import Company, Role, User
from taskboerse.services.errors import Conflict, Forbidden, ValidationFailed

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


def save_company(user: User, name: str, cvr: str) -> Company:
    """Create or update the entrepreneur's one company."""
    if user.role != Role.ENTREPRENEUR:
        raise Forbidden(_l("Only entrepreneurs have a company."))
    name = (name or "").strip()
    if not name or len(name) > 160:
        raise ValidationFailed(_l("Enter the company name (at most 160 characters)."), field="name")
    cvr = clean_cvr(cvr)
    company = user.company
    taken = db.session.execute(select(Company).where(Company.cvr == cvr)).scalar_one_or_none()
    if taken is not None and (company is None or taken.id != company.id):
        raise Conflict(_l("This CVR number is already registered."), field="cvr")
    if company is None:
        company = Company(owner_id=user.id, name=name, cvr=cvr)
        db.session.add(company)
    else:
        company.name = name
        company.cvr = cvr
    db.session.commit()
    return company
