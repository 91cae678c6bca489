"""Entrepreneurs' companies, CVR validation, and the job centre's verification of companies.

A valid CVR check digit only proves the number is well formed; anyone can make one up. A
company's references count as confirmed only after an admin or caseworker has verified the
company (checked the CVR register and that the owner really is the company), so verification
is a person's decision, logged as a security event, and undone when the name or CVR changes.

The company's public profile (description, website, sector, address, logo) is shown on its
task pages; every part is optional, and a website is only ever an http(s) address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime
from urllib.parse import urlsplit

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
from taskboerse.services.logos import process_logo
from taskboerse.services.phones import check_phone
from taskboerse.services.places import check_postcode
from taskboerse.services.security import security_event

VERIFIER_ROLES = (Role.ADMIN, Role.CASEWORKER)

# The public profile's limits: the form reads the same constants.
MAX_COMPANY_DESCRIPTION = 1000
MAX_WEBSITE = 200
MAX_ADDRESS = 160
# Ordinary employees (the praktik ratio rule counts them); more is a typing slip.
MAX_EMPLOYEES = 100_000

# The main Danish industry groups, stored by code; labels in the reader's language.
SECTORS = {
    "it": _l("IT and communication"),
    "trade": _l("Retail and wholesale"),
    "manufacturing": _l("Manufacturing"),
    "construction": _l("Building and construction"),
    "transport": _l("Transport and logistics"),
    "hospitality": _l("Hotels and restaurants"),
    "culture": _l("Culture and leisure"),
    "health": _l("Health and social care"),
    "education": _l("Education and teaching"),
    "finance": _l("Finance and insurance"),
    "consulting": _l("Consulting and advisory services"),
    "food": _l("Agriculture and food"),
    "energy": _l("Energy and environment"),
    "services": _l("Other services"),
    "ngo": _l("Association or NGO"),
}


def sector_label(code: str | None) -> str:
    """The sector's label in the reader's language; "" for none or an unknown code."""
    label = SECTORS.get(code or "")
    return str(label) if label is not None else ""


@dataclass(frozen=True)
class CompanyProfile:
    """The company's public profile as typed; every part may be blank."""

    description: str = ""
    website: str = ""
    sector: str = ""
    address: str = ""
    postcode: str = ""
    # Ordinary employees (not in praktik or løntilskud); None when not stated.
    employees: int | None = None


@dataclass(frozen=True)
class LogoChange:
    """A new logo's uploaded bytes, or the wish to remove the logo (a new upload wins)."""

    upload: bytes | None = None
    remove: bool = False


# A scheme before a colon, unless the colon is a port's ("example.dk:8080").
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?![0-9])")
_HOST_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")


def _bad_website() -> ValidationFailed:
    return ValidationFailed(
        _l(
            "Enter the website as an address starting with http:// or https://, "
            "e.g. https://example.dk."
        ),
        field="website",
    )


def clean_website(raw: str | None) -> str:
    """An http(s) address for ``raw``, with https:// added to a bare "example.dk"; "" for
    blank. Any other scheme (javascript:, data:, mailto:), a missing or odd host, or a
    user name in the address is refused."""
    text = (raw or "").strip()
    if not text:
        return ""
    if len(text) > MAX_WEBSITE:
        raise ValidationFailed(
            _l("The website address can be at most %(n)d characters.", n=MAX_WEBSITE),
            field="website",
        )
    if not text.isprintable() or any(c.isspace() for c in text) or "\\" in text:
        raise _bad_website()
    if text.startswith("//"):
        text = "https:" + text
    elif not _SCHEME.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise _bad_website() from None
    if parts.scheme.lower() not in ("http", "https"):
        raise _bad_website()
    host = parts.hostname or ""
    labels = host.rstrip(".").split(".")
    if (
        parts.username is not None
        or len(labels) < 2
        or not all(_HOST_LABEL.match(label) for label in labels)
        or not any(c.isalpha() for c in labels[-1])  # a domain, not an IP address
    ):
        raise _bad_website()
    cleaned = parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()
    if len(cleaned) > MAX_WEBSITE:
        raise ValidationFailed(
            _l("The website address can be at most %(n)d characters.", n=MAX_WEBSITE),
            field="website",
        )
    return cleaned


PROFILE_FIELDS = tuple(f.name for f in fields(CompanyProfile))


class ProfileInvalid(ValidationFailed):
    """Several parts of the profile were refused at once; ``errors`` holds one per field
    (the first is also this error's own message and field)."""

    def __init__(self, errors: list[ValidationFailed]) -> None:
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors


def _clean_description(raw: str) -> str:
    description = (raw or "").replace("\r\n", "\n").strip()
    if len(description) > MAX_COMPANY_DESCRIPTION:
        raise ValidationFailed(
            _l(
                "The description can be at most %(n)d characters.",
                n=MAX_COMPANY_DESCRIPTION,
            ),
            field="description",
        )
    return description


def _clean_sector(raw: str) -> str:
    sector = (raw or "").strip()
    if sector and sector not in SECTORS:
        raise ValidationFailed(_l("Choose a sector from the list."), field="sector")
    return sector


def _clean_address(raw: str) -> str:
    address = " ".join((raw or "").split())
    if len(address) > MAX_ADDRESS:
        raise ValidationFailed(
            _l("The address can be at most %(n)d characters.", n=MAX_ADDRESS), field="address"
        )
    return address


def _clean_employees(raw: int | None) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_EMPLOYEES:
        raise ValidationFailed(
            _l("Enter the number of ordinary employees: 0 to %(n)d.", n=MAX_EMPLOYEES),
            field="employees",
        )
    return raw


def _clean_postcode(raw: str) -> str:
    postcode = (raw or "").strip()
    check_postcode(postcode)
    return postcode


def clean_profile(
    profile: CompanyProfile, logo: LogoChange | None = None
) -> tuple[CompanyProfile, bytes | None]:
    """The profile as stored (trimmed and checked) and the PNG to store for a new logo
    (None for none). Every part is checked, so the entrepreneur learns of all refusals at
    once: ProfileInvalid lists them."""
    errors: list[ValidationFailed] = []

    def check(clean, raw):
        try:
            return clean(raw)
        except ValidationFailed as error:
            errors.append(error)
            return None

    cleaned = CompanyProfile(
        description=check(_clean_description, profile.description),
        website=check(clean_website, profile.website),
        sector=check(_clean_sector, profile.sector),
        address=check(_clean_address, profile.address),
        postcode=check(_clean_postcode, profile.postcode),
        employees=check(_clean_employees, profile.employees),
    )
    png = None
    if logo is not None and logo.upload is not None:
        png = check(process_logo, logo.upload)
    if errors:
        raise ProfileInvalid(errors)
    return cleaned, png


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


def save_company(
    user: User,
    name: str,
    cvr: str,
    phone: str = "",
    profile: CompanyProfile | None = None,
    logo: LogoChange | None = None,
) -> Company:
    """Create or update the entrepreneur's one company; the optional ``phone`` is shown only
    to graduates the company has accepted. ``profile`` (when given) replaces the public
    profile and ``logo`` uploads or removes the logo. Everything is checked before anything
    changes, so a refusal leaves the company as it was."""
    if user.role != Role.ENTREPRENEUR:
        raise Forbidden(_l("Only entrepreneurs have a company."))
    name = (name or "").strip()
    if not name or len(name) > 160:
        raise ValidationFailed(_l("Enter the company name (at most 160 characters)."), field="name")
    cvr = clean_cvr(cvr)
    phone = check_phone(phone)
    cleaned, logo_png = clean_profile(profile or CompanyProfile(), logo)
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
    if profile is not None:
        company.description = cleaned.description
        company.website = cleaned.website
        company.sector = cleaned.sector
        company.address = cleaned.address
        company.postcode = cleaned.postcode
        company.employees = cleaned.employees
    if logo_png is not None:
        company.logo = logo_png
        company.logo_updated_at = utcnow()
    elif logo is not None and logo.remove:
        company.logo = None
        company.logo_updated_at = None
    db.session.commit()
    return company


@dataclass(frozen=True)
class StoredLogo:
    """A company's stored logo PNG and when it was uploaded."""

    png: bytes
    updated_at: datetime


def company_logo(company_id: int) -> StoredLogo | None:
    """The company's logo, or None when it has none (or there is no such company)."""
    row = db.session.execute(
        select(Company.logo, Company.logo_updated_at).where(Company.id == company_id)
    ).one_or_none()
    if row is None or row.logo is None or row.logo_updated_at is None:
        return None
    return StoredLogo(png=row.logo, updated_at=row.logo_updated_at)


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
    nonprofit_at: datetime | None = None

    @property
    def is_verified(self) -> bool:
        """True when the company is verified."""
        return self.verified_at is not None

    @property
    def is_nonprofit(self) -> bool:
        """True when an admin has marked it a registered non-profit association."""
        return self.nonprofit_at is not None


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
            Company.nonprofit_at,
        )
        .join(owner, owner.id == Company.owner_id)
        .outerjoin(verifier, verifier.id == Company.verified_by_id)
        .order_by(Company.verified_at.is_not(None), func.lower(Company.name), Company.id)
    ).all()
    return [CompanyRow(*row) for row in rows]


def set_nonprofit(actor: User, company_id: int, nonprofit: bool) -> Company:
    """Mark a company as a registered non-profit association (it may then post voluntary
    work), or remove the mark. Only an administrator decides this; it is a security event.
    Tasks already posted as voluntary work keep their form (the next edit checks it again)."""
    if actor.role != Role.ADMIN or actor.is_disabled:
        raise Forbidden(_l("Only administrators can mark non-profit associations."))
    company = _company(company_id)
    if nonprofit != company.is_nonprofit:
        company.nonprofit_at = utcnow() if nonprofit else None
        db.session.commit()
        security_event(
            "company_nonprofit_marked" if nonprofit else "company_nonprofit_unmarked",
            actor=actor.id,
            company=company.id,
        )
    return company
