"""The graduate's consent to share their activity with the job centre (the graduate's use
case). Without it no caseworker sees anything."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from taskboerse.extensions import db
from taskboerse.models import (
    Consent,
    Role,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.errors import Forbidden


def consent_of(user: User) -> Consent | None:
    """The graduate's consent row, or None when they never chose (which means no sharing)."""
    return db.session.get(Consent, user.id)


def shares_with_jobcentre(user: User) -> bool:
    """True while the graduate consents to share their activity with the job centre."""
    consent = consent_of(user)
    return consent is not None and consent.shared


def set_consent(user: User, share: bool) -> Consent:
    """Give or withdraw consent; withdrawal takes effect at once for every caseworker."""
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_l("Only graduates can share their activity with the job centre."))
    consent = consent_of(user)
    if consent is None:
        consent = Consent(jobseeker_id=user.id, shared=share)
        db.session.add(consent)
    elif consent.shared != share:
        consent.shared = share
        consent.changed_at = utcnow()
    db.session.commit()
    return consent
