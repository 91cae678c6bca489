"""Words for the app's codes (follow-up flags, outcomes), in the reader's language.

Rules return codes and the facts behind them; this module alone turns them into words, so
a rule is testable without an app and every edge (pages, the API, exports) says the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from taskboerse.models import OutcomeStatus
from taskboerse.services.follow_up import FlagCode

if TYPE_CHECKING:
    from taskboerse.services.follow_up import Flag


def flag_label(code: FlagCode) -> str:
    """The short name of a flag, for filters and table headers."""
    return {
        FlagCode.INACTIVE: _l("No activity"),
        FlagCode.REJECTIONS: _l("Rejections in a row"),
        FlagCode.NO_APPLICATION: _l("Has not applied"),
        FlagCode.OVERDUE: _l("Past the deadline"),
    }[code]


def flag_reason(flag: Flag) -> str:
    """Why a flag was raised, in one sentence with its facts."""
    p = flag.params
    if flag.code == FlagCode.INACTIVE:
        return _l(
            "No activity for %(days)d days (last activity %(date)s).",
            days=p["days"],
            date=format_date(p["date"], "medium"),
        )
    if flag.code == FlagCode.REJECTIONS:
        return _l("The last %(n)d answered applications were rejected.", n=p["n"])
    if flag.code == FlagCode.NO_APPLICATION:
        return _l(
            "Registered %(days)d days ago and has not applied for a task yet.", days=p["days"]
        )
    return _l(
        "Accepted for “%(task)s” but not completed; the deadline was %(date)s.",
        task=p["task"],
        date=format_date(p["date"], "medium"),
    )


def outcome_label(status: OutcomeStatus) -> str:
    """The outcome in words."""
    return {
        OutcomeStatus.EMPLOYED: _l("Employed"),
        OutcomeStatus.IN_EDUCATION: _l("In education"),
        OutcomeStatus.OTHER: _l("Other"),
    }[status]
