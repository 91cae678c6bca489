"""Places: Danish postcodes checked against the postcode table, for every form and the API."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from taskboerse.matching.geo import postcodes
from taskboerse.matching.ranker import DEFAULT_MAX_KM
from taskboerse.services.errors import ValidationFailed

DEFAULT_MAX_DISTANCE_KM = DEFAULT_MAX_KM
MAX_DISTANCE_KM = 500


def check_postcode(postcode: str | None, field: str = "postcode") -> None:
    """Refuse anything but a known Danish postcode (blank is allowed; callers decide if a
    place is required)."""
    code = (postcode or "").strip()
    if not code:
        return
    if not re.fullmatch(r"[0-9]{4}", code):
        raise ValidationFailed(_l("A Danish postcode is 4 digits."), field=field)
    if postcodes().get(code) is None:
        raise ValidationFailed(
            _l("%(code)s is not a Danish postcode. Check the number.", code=code), field=field
        )
