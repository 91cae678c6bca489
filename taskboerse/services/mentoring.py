"""The mentor programme's shared vocabulary: topics of a need (each with the vocabulary skills
a mentor needs for it), company stages, meeting frequencies, outcomes, the limits, and their
labels in the reader's language. The use cases live beside it: ``mentors`` (profiles and
approval), ``mentor_needs`` (needs and requests), ``mentor_matching`` (ranking, explained),
``mentorships`` (the course), ``questions`` (Spørg en mentor) and ``mentor_programme`` (the
business service's follow-up)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_

from taskboerse.models import MentorRequest, MentorshipStatus, NeedStatus, Outcome, RequestStatus

# What a need is about, by code: (label, vocabulary slugs a mentor's expertise should cover).
# The slugs are the curated vocabulary's (taskboerse/matching/data/skills.tsv).
TOPICS: dict[str, tuple[object, tuple[str, ...]]] = {
    "financing": (_l("Financing and investors"), ("financing", "business-plan")),
    "first_hire": (
        _l("First employee"),
        ("recruitment", "employment-law", "people-management"),
    ),
    "export": (_l("Export and new markets"), ("export",)),
    "marketing": (_l("Marketing"), ("marketing", "digital-marketing")),
    "sales": (_l("Sales and customers"), ("sales", "b2b-sales", "sales-strategy")),
    "strategy": (
        _l("Strategy and business development"),
        ("business-development", "business-model"),
    ),
    "finance": (_l("Accounts, budget and cash flow"), ("budgeting", "cash-flow-budget")),
    "law": (_l("Contracts and law"), ("contract-law",)),
    "digital": (_l("Digitalisation and online sales"), ("e-commerce",)),
    "leadership": (_l("Leadership and growth"), ("people-management", "change-management")),
    "succession": (_l("Taking over a business"), ("business-succession", "valuation")),
    "sustainability": (_l("Sustainability"), ("circular-economy",)),
}

STAGES: dict[str, object] = {
    "idea": _l("Idea: not started yet"),
    "start": _l("Newly started (under 2 years)"),
    "growth": _l("Growing (2-5 years)"),
    "established": _l("Established (over 5 years)"),
}

FREQUENCIES: dict[str, object] = {
    "weekly": _l("Every week"),
    "fortnightly": _l("Every other week"),
    "monthly": _l("Once a month"),
    "as_needed": _l("When needed"),
}
# Days between meetings after which a mentorship counts as overdue for a meeting.
OVERDUE_AFTER_DAYS = {"weekly": 14, "fortnightly": 21, "monthly": 42, "as_needed": 60}

OUTCOMES: dict[Outcome, object] = {
    Outcome.FUNDING: _l("Funding obtained"),
    Outcome.FIRST_HIRE: _l("First employee hired"),
    Outcome.FIRST_EXPORT: _l("First export order"),
    Outcome.NEW_CUSTOMERS: _l("New customers"),
    Outcome.PLAN: _l("A clearer plan"),
    Outcome.OTHER: _l("Something else"),
    Outcome.NOTHING_YET: _l("Nothing yet"),
}

NEED_STATUSES: dict[NeedStatus, object] = {
    NeedStatus.OPEN: _l("Looking for a mentor"),
    NeedStatus.MATCHED: _l("Has a mentor"),
    NeedStatus.CLOSED: _l("Closed"),
}

REQUEST_STATUSES: dict[RequestStatus, object] = {
    RequestStatus.PENDING: _l("Awaiting answer"),
    RequestStatus.ACCEPTED: _l("Said yes"),
    RequestStatus.DECLINED: _l("Declined"),
    RequestStatus.EXPIRED: _l("Expired"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}

MENTORSHIP_STATUSES: dict[MentorshipStatus, object] = {
    MentorshipStatus.ACTIVE: _l("In progress"),
    MentorshipStatus.COMPLETED: _l("Completed"),
    MentorshipStatus.ENDED: _l("Ended early"),
}

# Limits (the forms and the API schema read the same numbers).
MIN_WEEKS = 4
MAX_WEEKS = 24
DEFAULT_WEEKS = 12
MAX_BIO = 2000
MAX_HEADLINE = 160
MAX_NEED_TEXT = 2000
MAX_MESSAGE = 2000
MAX_NOTE = 5000
MAX_AGENDA = 2000
MAX_FEEDBACK = 500
MAX_QUESTION_TITLE = 200
MAX_QUESTION_BODY = 4000
MAX_ANSWER = 4000
MAX_CAPACITY = 10
MAX_HOURS_PER_MONTH = 80
# Needs an entrepreneur may have looking for a mentor at once.
MAX_OPEN_NEEDS = 3
# A need waiting longer than this without a mentor is flagged for the business service.
NEED_WAITING_FLAG_DAYS = 30


def is_waiting(request: MentorRequest, now: datetime) -> bool:
    """Whether a request still waits for the mentor's answer: pending and not past its
    deadline (the worker marks it expired within minutes; until then it is as good as)."""
    return request.status == RequestStatus.PENDING and request.expires_at > now


def waiting_clause(now: datetime):
    """``is_waiting`` as an SQL condition on MentorRequest."""
    return and_(MentorRequest.status == RequestStatus.PENDING, MentorRequest.expires_at > now)


def need_flagged(days_waiting: int) -> bool:
    """Whether a need has waited so long for a mentor that the business service should act."""
    return days_waiting > NEED_WAITING_FLAG_DAYS


def _label(table: dict, code) -> str:
    label = table.get(code)
    return str(label) if label is not None else ""


def topic_label(code: str | None) -> str:
    """The topic's label in the reader's language; "" for an unknown code."""
    entry = TOPICS.get(code or "")
    return str(entry[0]) if entry else ""


def topic_slugs(code: str | None) -> tuple[str, ...]:
    """The vocabulary slugs of the expertise a topic calls for."""
    entry = TOPICS.get(code or "")
    return entry[1] if entry else ()


def stage_label(code: str | None) -> str:
    """The company stage's label."""
    return _label(STAGES, code)


def frequency_label(code: str | None) -> str:
    """How often the entrepreneur would like to meet."""
    return _label(FREQUENCIES, code)


def outcome_label(code: Outcome | str | None) -> str:
    """What came of a mentorship."""
    return _label(OUTCOMES, code)


def need_status_label(status: NeedStatus | str | None) -> str:
    """Where a need stands."""
    return _label(NEED_STATUSES, status)


def request_status_label(status: RequestStatus | str | None) -> str:
    """Where a request stands."""
    return _label(REQUEST_STATUSES, status)


def mentorship_status_label(status: MentorshipStatus | str | None) -> str:
    """Where a mentorship stands."""
    return _label(MENTORSHIP_STATUSES, status)
