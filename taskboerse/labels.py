"""Words for the app's codes (statuses, roles, degrees, follow-up flags, outcomes, access-log
actions and purposes), in the reader's language: the one labels module.

Rules return codes and the facts behind them; this module alone turns them into words, so
a rule is testable without an app and every edge (pages, the API, exports) says the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from taskboerse.matching.educations import group_label, load_educations
from taskboerse.models import (
    AccessAction,
    AccessPurpose,
    ApplicationStatus,
    OutcomeStatus,
    Role,
    TaskStatus,
)
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


def status_label(status: TaskStatus) -> str:
    """The task status in the reader's language."""
    labels = {
        TaskStatus.DRAFT: _l("draft"),
        TaskStatus.OPEN: _l("open"),
        TaskStatus.IN_PROGRESS: _l("in progress"),
        TaskStatus.COMPLETED: _l("completed"),
        TaskStatus.CANCELLED: _l("cancelled"),
    }
    return str(labels[status])


def degree_label(level: str | None) -> str:
    """The degree level in the reader's language."""
    labels = {
        "professional_bachelor": _("Professional bachelor"),
        "bachelor": _("Bachelor"),
        "master": _("Master (cand.)"),
        "phd": _("PhD"),
    }
    return labels.get(level or "", "")


def action_label(action: AccessAction) -> str:
    """What was done, in words the graduate understands."""
    return {
        AccessAction.VIEW_CASELOAD: _l(
            "Your name, activity counts and flags were shown in a caseworker's caseload overview"
        ),
        AccessAction.VIEW_PERSON: _l(
            "Your page (applications, references, flags and notes) was opened"
        ),
        AccessAction.VIEW_SUMMARY: _l("You appeared on a printable caseload summary"),
        AccessAction.EXPORT_CASELOAD: _l("Your caseload line was exported to a spreadsheet"),
        AccessAction.EXPORT_PLACEMENTS: _l("Your placements were exported to a spreadsheet"),
        AccessAction.VIEW_PLACEMENT: _l("A virksomhedspraktik you were accepted for was opened"),
        AccessAction.VIEW_PLACEMENT_QUEUE: _l(
            "A virksomhedspraktik of yours was shown in a caseworker's list of praktik"
        ),
        AccessAction.APPROVE_PLACEMENT: _l("A virksomhedspraktik of yours was approved"),
        AccessAction.DECLINE_PLACEMENT: _l("A virksomhedspraktik of yours was declined"),
        AccessAction.EXPORT_PLAN: _l("The plan of a placement of yours was exported"),
        AccessAction.VIEW_MENTOR: _l("Your mentor profile was opened by the business service"),
        AccessAction.APPROVE_MENTOR: _l("Your mentor profile was approved"),
        AccessAction.VIEW_MENTOR_NEED: _l(
            "A mentor need of yours was opened by the business service"
        ),
        AccessAction.VIEW_MENTORSHIP: _l(
            "A mentorship of yours was opened by the business service"
        ),
        AccessAction.VIEW_PROGRAMME: _l(
            "You were shown in the business service's mentor programme overview"
        ),
        AccessAction.EXPORT_PROGRAMME: _l("The mentor programme was exported to a spreadsheet"),
        AccessAction.HIDE_QUESTION: _l(
            "A question or answer of yours was hidden by the business service"
        ),
        AccessAction.VIEW_QUESTION: _l(
            "A question of yours was opened by the business service, with your name"
        ),
    }[action]


def purpose_label(purpose: AccessPurpose) -> str:
    """Why it was done."""
    return {
        AccessPurpose.FOLLOW_UP: _l("Follow-up on your job search"),
        AccessPurpose.CASE_FILE: _l("Documentation in your case at the job centre"),
        AccessPurpose.MEETING: _l("Preparing a meeting with you"),
        AccessPurpose.PLACEMENT_APPROVAL: _l(
            "The job centre's approval of a virksomhedspraktik (its public task)"
        ),
        AccessPurpose.MENTOR_PROGRAMME: _l("The municipality's follow-up on the mentor programme"),
    }[purpose]


def admin_action_label(action: AccessAction) -> str:
    """What was done, in neutral words for the administrator's access log (the graduate's
    own page says it to them: ``action_label``)."""
    return {
        AccessAction.VIEW_CASELOAD: _l("Viewed the caseload overview"),
        AccessAction.VIEW_PERSON: _l("Opened the person page"),
        AccessAction.VIEW_SUMMARY: _l("Opened the printable caseload summary"),
        AccessAction.EXPORT_CASELOAD: _l("Exported the caseload (CSV)"),
        AccessAction.EXPORT_PLACEMENTS: _l("Exported placements (CSV)"),
        AccessAction.VIEW_PLACEMENT: _l("Opened a placement for approval"),
        AccessAction.VIEW_PLACEMENT_QUEUE: _l("Viewed the list of praktik to approve"),
        AccessAction.APPROVE_PLACEMENT: _l("Approved a virksomhedspraktik"),
        AccessAction.DECLINE_PLACEMENT: _l("Declined a virksomhedspraktik"),
        AccessAction.EXPORT_PLAN: _l("Exported a placement plan"),
        AccessAction.VIEW_MENTOR: _l("Opened a mentor profile"),
        AccessAction.APPROVE_MENTOR: _l("Approved a mentor"),
        AccessAction.VIEW_MENTOR_NEED: _l("Opened a mentor need"),
        AccessAction.VIEW_MENTORSHIP: _l("Opened a mentorship"),
        AccessAction.VIEW_PROGRAMME: _l("Viewed the mentor programme overview"),
        AccessAction.EXPORT_PROGRAMME: _l("Exported the mentor programme (CSV)"),
        AccessAction.HIDE_QUESTION: _l("Hid a question or answer"),
        AccessAction.VIEW_QUESTION: _l("Opened a question with the asker's name"),
    }[action]


def admin_purpose_label(purpose: AccessPurpose) -> str:
    """Why it was done, in neutral words for the administrator's access log."""
    return {
        AccessPurpose.FOLLOW_UP: _l("Follow-up on the job search"),
        AccessPurpose.CASE_FILE: _l("Documentation in the case"),
        AccessPurpose.MEETING: _l("Preparing a meeting"),
        AccessPurpose.PLACEMENT_APPROVAL: _l("Approval of a virksomhedspraktik"),
        AccessPurpose.MENTOR_PROGRAMME: _l("Follow-up on the mentor programme"),
    }[purpose]


def application_status_label(status: ApplicationStatus) -> str:
    """The application status in the reader's language."""
    return {
        ApplicationStatus.PENDING: _("awaiting answer"),
        ApplicationStatus.ACCEPTED: _("accepted"),
        ApplicationStatus.REJECTED: _("not accepted"),
        ApplicationStatus.WITHDRAWN: _("withdrawn"),
        ApplicationStatus.COMPLETED: _("completed"),
    }[status]


def role_label(role: Role) -> str:
    """The role in the reader's language."""
    return {
        Role.JOBSEEKER: _("Graduate"),
        Role.ENTREPRENEUR: _("Entrepreneur"),
        Role.CASEWORKER: _("Caseworker"),
        Role.ADMIN: _("Administrator"),
        Role.MENTOR: _("Mentor"),
        Role.BUSINESS_STAFF: _("Business service"),
    }[role]


def moment_label(value: datetime) -> str:
    """A moment in the reader's language and time zone: the locale's medium date with the
    minute ("23. nov. 2026 09.54" / "Nov 23, 2026, 9:54 AM"); seconds are noise here."""
    pattern = get_locale().datetime_formats["medium"]
    return pattern.format(format_time(value, "short"), format_date(value, "medium"))


_RATINGS = {
    1: _l("1 – below what was agreed"),
    2: _l("2 – partly as agreed"),
    3: _l("3 – as agreed"),
    4: _l("4 – better than agreed"),
    5: _l("5 – outstanding"),
}


def rating_label(rating: int) -> LazyString:
    """A 1–5 rating with what the number means, for the one who gives it (lazy, so a form's
    choices built at import are still said in each reader's language)."""
    return _RATINGS[rating]


def _reader_locale() -> str:
    return str(get_locale() or "da")


def education_label(code: str | None, typed: str = "") -> str:
    """The education in the reader's language: the vocabulary's label when the typed field is
    linked to it, else the field as typed ("" when neither)."""
    return load_educations().label(code, _reader_locale()) or (typed or "").strip()


def education_group_label(group: str) -> str:
    """A statistics group of educations ("Business and economics") in the reader's language."""
    return group_label(group, _reader_locale())


def education_suggestions() -> list[str]:
    """Every education's label for the profile form's suggestions: the reader's language
    first, then the Danish titles an English reader's diploma may carry ("Cand.merc. …")."""
    vocabulary = load_educations()
    own = vocabulary.labels(_reader_locale())
    danish = [label for label in vocabulary.labels("da") if label not in set(own)]
    return own + danish
