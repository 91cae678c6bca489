"""Security events and personal-number hygiene.

``security_event`` writes one line per event to the ``taskboerse.security`` logger, in UTC,
with who, what and when; ``redact`` removes CPR-like numbers, and ``install_log_redaction``
applies it to every log record, so a CPR number typed anywhere never reaches a log.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

# A Danish CPR number: ddmmyy and four digits. Written in a row (0101901234), with a hyphen,
# slash or space before the last four (010190-1234, 010190/1234, 010190 - 1234), with the
# date's parts split by spaces or hyphens (01 01 90 1234), or split by dots or slashes and
# then a hyphen or nothing (01.01.90-1234). Not "15.03.24 1200": a date with dots and a
# time after a space is how people write a meeting. The date part must look like a date.
# Text is normalised first: NFKC (full-width digits become ASCII), every Unicode dash a
# hyphen, invisible format characters (zero-width space, soft hyphen) removed, and runs of
# spaces one space.
_DD = r"(?:0[1-9]|[12]\d|3[01])"
_MM = r"(?:0[1-9]|1[0-2])"
CPR = re.compile(
    r"(?<!\d)(?:"
    rf"{_DD}([- ]?){_MM}\1\d{{2}}(?: ?[-/] ?| )?\d{{4}}"
    rf"|{_DD}([./]){_MM}\2\d{{2}}(?: ?- ?)?\d{{4}}"
    r")(?!\d)"
)
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)


def normalise_for_cpr(text: str) -> str:
    """``text`` as the CPR check reads it: NFKC, dashes as hyphens, no invisible format
    characters, and each run of spaces (not line breaks) as one space."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return re.sub(r"[^\S\n]+", " ", text)


CPR_MESSAGE = _l(
    "Do not write a CPR number here. Taskbørs does not need it, and it must not be stored."
)

logger = logging.getLogger("taskboerse.security")


def contains_cpr(text: str | None) -> bool:
    """True when ``text`` holds something shaped like a CPR number."""
    return bool(text) and CPR.search(normalise_for_cpr(text)) is not None


def redact(text: str) -> str:
    """``text`` with CPR-like numbers replaced (also when written with full-width digits or
    Unicode dashes: such text is normalised first)."""
    if CPR.search(text) is None:
        normalised = normalise_for_cpr(text)
        if CPR.search(normalised) is None:
            return text
        text = normalised
    return CPR.sub("[CPR fjernet]", text)


# The request line of an access log ("GET /caseworker/?q=Jens HTTP/1.1", which werkzeug's
# development server may colour with an ANSI escape): its query string holds what people
# searched for (names, emails), which has no place in a log.
_REQUEST_QUERY = re.compile(r'("(?:\x1b\[[0-9;]*m)?[A-Z]+ [^"?\s]*)\?[^"\s]*')
_ACCESS_LOGGERS = frozenset({"werkzeug", "gunicorn.access"})


def strip_query_strings(message: str) -> str:
    """``message`` with the query string of each quoted request line cut off."""
    return _REQUEST_QUERY.sub(r"\1?…", message)


def install_log_redaction() -> None:
    """Redact CPR-like numbers in every log record as it is made, before any handler sees it,
    and cut the query string off the request lines of the access logs (werkzeug's and
    gunicorn's), which would otherwise hold searched names and emails."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts_cpr", False):
        return

    def make(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return record
        cleaned = message
        if record.name in _ACCESS_LOGGERS:
            cleaned = strip_query_strings(cleaned)
        if contains_cpr(cleaned):
            cleaned = redact(cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    make.redacts_cpr = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


def security_event(event: str, **fields: object) -> None:
    """Log a security event (login_ok, login_failed, lockout, role_change, export, erasure…)
    with the time in UTC. Never pass passwords or tokens; ids, not names or emails."""
    at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    details = " ".join(f"{key}={value}" for key, value in sorted(fields.items()))
    logger.info("security event=%s at=%s %s", event, at, details)
