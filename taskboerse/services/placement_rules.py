"""The rules on work while on dagpenge, in one place.

Every limit is configuration (``PRAKTIK_*`` in config.py) to be confirmed by the municipality;
the sources, as public guidance states them today:

- Unpaid work for a private or public company is deducted from dagpenge hour for hour;
  voluntary unpaid work is exempt only for a non-profit association (a-kasser.dk, "Frivilligt
  og ulønnet arbejde"; bekendtgørelse om dagpenge ved arbejdsløshed).
- The lawful route for unpaid work at a company is a virksomhedspraktik: lov om en aktiv
  beskæftigelsesindsats (LAB-loven) chapter 11, agreed between the graduate, the company and
  the job centre, with its purpose written down in the graduate's plan before it starts.
- Length: at most 4 weeks; for a new graduate with a higher education up to 8 weeks when the
  tasks use the degree (LAB-loven chapter 11; the municipalities' guidance, e.g. KL and
  jobcentrenes vejledning om virksomhedspraktik).
- Hours: at most 37 a week, within the company's normal working hours.
- Not at the company the graduate last worked for (LAB-loven chapter 11).
- Ratio ("rimelighedskravet", LAB-loven chapter 14): about 1 person in praktik or løntilskud
  per 5 ordinary employees, always at least 1.

The rules refuse with a message that names the rule (``RuleBroken.rule``); ``checks_for``
gives a caseworker the same rules as decision support — a person decides, never this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import Company, Placement, TaskForm
from taskboerse.models.placement import LIVE_PLACEMENT_STATUSES
from taskboerse.services.errors import ValidationFailed

MAX_HOURLY_WAGE = 2000  # DKK; a typing slip, not a wage


class RuleBroken(ValidationFailed):
    """A rule on work while on dagpenge refuses the request; ``rule`` names it."""

    code = "rule_broken"

    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.rule = rule


@dataclass(frozen=True)
class PraktikLimits:
    """The limits on a virksomhedspraktik, from the configuration."""

    max_weeks: int
    max_weeks_graduate: int
    max_hours_per_week: int
    employees_per_place: int
    min_places: int
    new_graduate_years: int


def limits() -> PraktikLimits:
    """The limits in force (the app's configuration)."""
    config = current_app.config
    return PraktikLimits(
        max_weeks=config["PRAKTIK_MAX_WEEKS"],
        max_weeks_graduate=config["PRAKTIK_MAX_WEEKS_GRADUATE"],
        max_hours_per_week=config["PRAKTIK_MAX_HOURS_PER_WEEK"],
        employees_per_place=config["PRAKTIK_EMPLOYEES_PER_PLACE"],
        min_places=config["PRAKTIK_MIN_PLACES"],
        new_graduate_years=config["NEW_GRADUATE_YEARS"],
    )


def max_weeks(uses_degree: bool) -> int:
    """How long a praktik may last: longer when the work uses a higher education."""
    rules = limits()
    return rules.max_weeks_graduate if uses_degree else rules.max_weeks


def places_allowed(employees: int | None) -> int:
    """How many people the company may have in praktik at once (the ratio rule)."""
    rules = limits()
    return max(rules.min_places, (employees or 0) // rules.employees_per_place)


def praktik_in_progress(company_id: int, today: date, exclude_id: int | None = None) -> int:
    """The company's praktik placements waiting for approval or under way, not yet over."""
    query = select(func.count(Placement.id)).where(
        Placement.company_id == company_id,
        Placement.form == TaskForm.PRAKTIK,
        Placement.status.in_(list(LIVE_PLACEMENT_STATUSES)),
        Placement.end_on >= today,
    )
    if exclude_id is not None:
        query = query.where(Placement.id != exclude_id)
    return db.session.execute(query).scalar_one()


# --- refusals -------------------------------------------------------------------------------


def check_task_form(
    form: TaskForm | None,
    company: Company,
    hours: int,
    hours_per_week: int | None,
    weeks: int | None,
    uses_degree: bool,
    hourly_wage: int | None,
    capacity: int = 1,
) -> None:
    """Refuse a task whose form breaks a rule (creating or editing it)."""
    if form is None:
        raise ValidationFailed(
            _l("Choose what the task is: virksomhedspraktik, paid small job or voluntary work."),
            field="form",
        )
    if form == TaskForm.PAID:
        if hourly_wage is None or not 1 <= hourly_wage <= MAX_HOURLY_WAGE:
            raise RuleBroken(
                "paid_wage",
                _l(
                    "A paid small job needs an hourly wage in DKK (1 to %(max)d).",
                    max=MAX_HOURLY_WAGE,
                ),
                field="hourly_wage",
            )
        return
    if form == TaskForm.VOLUNTARY:
        if not company.is_nonprofit:
            raise RuleBroken(
                "voluntary_nonprofit",
                _l(
                    "Voluntary unpaid work is only for a registered non-profit association "
                    "(otherwise the hours are deducted from the graduate's dagpenge). Ask the "
                    "administrator to mark your association, or choose virksomhedspraktik or "
                    "a paid small job."
                ),
                field="form",
            )
        return
    rules = limits()
    if company.employees is None:
        raise RuleBroken(
            "praktik_ratio",
            _l(
                "State how many ordinary employees your company has (on the company page): "
                "the ratio rule for virksomhedspraktik counts them."
            ),
            field="form",
        )
    allowed = places_allowed(company.employees)
    if capacity > allowed:
        raise RuleBroken(
            "praktik_ratio",
            _l(
                "With %(employees)d ordinary employees the ratio rule allows %(allowed)d "
                "people in virksomhedspraktik at once (1 per %(per)d, at least %(min)d): ask "
                "for at most %(allowed)d graduates.",
                employees=company.employees,
                allowed=allowed,
                per=rules.employees_per_place,
                min=rules.min_places,
            ),
            field="capacity",
        )
    if hours_per_week is None or not 1 <= hours_per_week <= rules.max_hours_per_week:
        raise RuleBroken(
            "praktik_hours",
            _l(
                "A virksomhedspraktik is at most %(max)d hours a week (LAB-loven chapter 11).",
                max=rules.max_hours_per_week,
            ),
            field="hours_per_week",
        )
    longest = max_weeks(uses_degree)
    if weeks is None or not 1 <= weeks <= longest:
        if uses_degree:
            message = _l(
                "A virksomhedspraktik for a new graduate whose degree the work uses lasts at "
                "most %(max)d weeks (LAB-loven chapter 11).",
                max=longest,
            )
        else:
            message = _l(
                "A virksomhedspraktik lasts at most %(max)d weeks (LAB-loven chapter 11); up to "
                "%(ext)d weeks when the work uses a new graduate's higher education.",
                max=longest,
                ext=rules.max_weeks_graduate,
            )
        raise RuleBroken("praktik_weeks", message, field="weeks")
    if hours > hours_per_week * weeks:
        raise RuleBroken(
            "praktik_period",
            _l(
                "%(hours)d hours do not fit in %(weeks)d weeks at %(per_week)d hours a week. "
                "Lower the hours or lengthen the praktik.",
                hours=hours,
                weeks=weeks,
                per_week=hours_per_week,
            ),
            field="hours",
        )


def check_former_employer(form: TaskForm, worked_for_company: bool) -> None:
    """Refuse a praktik at a company the graduate has worked for (they declare it)."""
    if form == TaskForm.PRAKTIK and worked_for_company:
        raise RuleBroken(
            "praktik_former_employer",
            _l(
                "You cannot do a virksomhedspraktik at a company you have worked for "
                "(LAB-loven chapter 11). Look for a paid small job there instead."
            ),
            field="worked_for_company",
        )


def check_ratio(company: Company, today: date, exclude_id: int | None = None) -> None:
    """Refuse one more praktik at a company already at its ratio."""
    allowed = places_allowed(company.employees)
    if praktik_in_progress(company.id, today, exclude_id) >= allowed:
        raise RuleBroken(
            "praktik_ratio",
            _l(
                "%(company)s already has %(n)d people in virksomhedspraktik, as many as the "
                "ratio rule allows with %(employees)d ordinary employees (1 per %(per)d, at "
                "least %(min)d).",
                company=company.name,
                n=allowed,
                employees=company.employees or 0,
                per=limits().employees_per_place,
                min=limits().min_places,
            ),
            field="form",
        )


def check_hours_week(logged_in_week: int, adding: int, form: TaskForm) -> None:
    """Refuse praktik hours beyond the weekly limit (minutes already logged that week, and
    the minutes being logged)."""
    if form != TaskForm.PRAKTIK:
        return
    top = limits().max_hours_per_week
    if logged_in_week + adding > top * 60:
        raise RuleBroken(
            "praktik_hours",
            _l(
                "A virksomhedspraktik is at most %(max)d hours a week (LAB-loven chapter 11); "
                "this week would then have %(total)s hours.",
                max=top,
                total=f"{(logged_in_week + adding) / 60:g}",
            ),
            field="hours",
        )


# --- decision support -----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCheck:
    """One rule checked for a caseworker: its name, whether it holds, and the facts."""

    rule: str
    label: str
    holds: bool
    detail: str


def checks_for(placement: Placement, today: date) -> list[RuleCheck]:
    """The rules a praktik placement is checked against, for the caseworker who approves
    it: support for a person's decision, never a decision."""
    rules = limits()
    task = placement.application.task
    company = placement.company
    weeks = max(1, ((placement.end_on - placement.start_on).days + 1 + 6) // 7)
    longest = max_weeks(task.uses_degree and is_new_graduate(placement, today))
    in_progress = praktik_in_progress(company.id, today, exclude_id=placement.id)
    allowed = places_allowed(company.employees)
    profile = placement.jobseeker.profile
    degree = (profile.degree_level if profile else None) is not None
    return [
        RuleCheck(
            "praktik_start",
            str(_l("Start")),
            placement.start_on >= today,
            str(
                _l("Starts %(date)s", date=format_date(placement.start_on, "medium"))
                if placement.start_on >= today
                else _l(
                    "The planned start %(date)s has passed: approving it starts the praktik "
                    "today, with the same length",
                    date=format_date(placement.start_on, "medium"),
                )
            ),
        ),
        RuleCheck(
            "praktik_weeks",
            str(_l("Length")),
            weeks <= longest,
            str(_l("%(weeks)d of at most %(max)d weeks", weeks=weeks, max=longest)),
        ),
        RuleCheck(
            "praktik_hours",
            str(_l("Hours a week")),
            (placement.hours_per_week or 0) <= rules.max_hours_per_week,
            str(
                _l(
                    "%(hours)d of at most %(max)d",
                    hours=placement.hours_per_week or 0,
                    max=rules.max_hours_per_week,
                )
            ),
        ),
        RuleCheck(
            "praktik_ratio",
            str(_l("Ratio at the company")),
            company.employees is not None and in_progress < allowed,
            ngettext(
                "%(num)d other praktik under way or waiting; %(allowed)d allowed at once with "
                "%(employees)d ordinary employees",
                "%(num)d other praktik under way or waiting; %(allowed)d allowed at once with "
                "%(employees)d ordinary employees",
                in_progress,
                allowed=allowed,
                employees=company.employees or 0,
            ),
        ),
        RuleCheck(
            "praktik_former_employer",
            str(_l("Former employer")),
            not placement.application.worked_for_company,
            str(
                _l("The graduate declared they have worked there")
                if placement.application.worked_for_company
                else _l("The graduate declared they have not worked there")
            ),
        ),
        RuleCheck(
            "praktik_degree",
            str(_l("Higher education")),
            degree or not task.uses_degree,
            str(
                _l("Degree stated in the profile")
                if degree
                else _l("No degree stated in the profile")
            ),
        ),
    ]


def is_new_graduate(placement: Placement, today: date) -> bool:
    """The graduate states a higher education finished within NEW_GRADUATE_YEARS (or
    states no year: the caseworker checks)."""
    profile = placement.jobseeker.profile
    if profile is None or profile.degree_level is None:
        return False
    if profile.graduation_year is None:
        return True
    return today.year - profile.graduation_year <= limits().new_graduate_years
