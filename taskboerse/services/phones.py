"""Phone numbers people may add so the other side can call them once a placement starts."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from taskboerse.services.errors import ValidationFailed

MAX_PHONE = 30
_ALLOWED = re.compile(r"^\+?[0-9 ()\-]+$")


def check_phone(raw: str | None, field: str = "phone") -> str:
    """The phone number as stored (spaces collapsed), or "" when none is given. Digits with
    spaces, dashes or brackets and an optional leading +; 8 to 15 digits (E.164's most)."""
    phone = " ".join((raw or "").split())
    if not phone:
        return ""
    digits = sum(char.isdigit() for char in phone)
    if len(phone) > MAX_PHONE or not _ALLOWED.match(phone) or not 8 <= digits <= 15:
        raise ValidationFailed(
            _l(
                "Enter a phone number of 8 to 15 digits, "
                "for example 12 34 56 78 or +45 12 34 56 78."
            ),
            field=field,
        )
    return phone
