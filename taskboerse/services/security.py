"""Security events and personal-number hygiene.

``security_event`` writes one line per event to the ``taskboerse.security`` logger, in UTC,
with who, what and when; ``redact`` removes CPR-like numbers, and ``install_log_redaction``
applies it to every log record, so a CPR number typed anywhere never reaches a log.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

# A Danish CPR number: ddmmyy, optionally a hyphen or space, then four digits; or the same
# ten digits in a row. The date part must look like a date, so order numbers rarely match.
CPR = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\d)")

CPR_MESSAGE = _l(
    "Do not write a CPR number here. Taskbørs does not need it, and it must not be stored."
)

logger = logging.getLogger("taskboerse.security")


def contains_cpr(text: str | None) -> bool:
    """True when ``text`` holds something shaped like a CPR number."""
    return bool(text) and CPR.search(text) is not None


def redact(text: str) -> str:
    """``text`` with CPR-like numbers replaced."""
    return CPR.sub("[CPR fjernet]", text)


def install_log_redaction() -> None:
    """Redact CPR-like numbers in every log record as it is made, before any handler sees it
    (also werkzeug's request lines, which hold query strings)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts_cpr", False):
        return

    def make(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return record
        if CPR.search(message):
            record.msg, record.args = redact(message), None
        return record

    make.redacts_cpr = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


def security_event(event: str, **fields: object) -> None:
    """Log a security event (login_ok, login_failed, lockout, role_change, export, erasure…)
    with the time in UTC. Never pass passwords or tokens; ids, not names or emails."""
    at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    details = " ".join(f"{key}={value}" for key, value in sorted(fields.items()))
    logger.info("security event=%s at=%s %s", event, at, details)
