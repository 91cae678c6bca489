"""Placements: what an accepted application becomes, the job centre's approval of a
virksomhedspraktik, hours logged and confirmed, the monthly statement for the a-kasse and
the plan for the job centre's own systems.

The rules themselves live in services/placement_rules.py. The job centre's processing here
rests on its public task (LAB-loven), not on the graduate's consent to share activity: a
caseworker sees the placements of graduates assigned to them (or of graduates nobody is
assigned to), and every view, decision and export is in the access log.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessPurpose,
    Application,
    ApplicationStatus,
    CaseAssignment,
    Company,
    NotificationKind,
    Placement,
    PlacementHours,
    PlacementStatus,
    Role,
    Task,
    TaskForm,
    User,
)
from taskboerse.models.placement import LIVE_PLACEMENT_STATUSES
from taskboerse.models.types import utcnow
from taskboerse.services import clock
from taskboerse.services import placement_rules as rules
from taskboerse.services.access_log import log_access
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.notifications import check_reason, notify
from taskboerse.services.pdf_text import latin1
from taskboerse.services.placement_rules import RuleBroken
from taskboerse.services.transactions import retry_on_conflict

MAX_PURPOSE = 2000
MAX_HOURS_NOTE = 200


def form_label(form: TaskForm) -> str:
    """The form's name in the reader's language."""
    return {
        TaskForm.PRAKTIK: _("Virksomhedspraktik"),
        TaskForm.PAID: _("Paid small job"),
        TaskForm.VOLUNTARY: _("Voluntary work in an association"),
    }[form]


def form_explanation(form: TaskForm) -> str:
    """What the form means for a graduate on dagpenge, in plain words."""
    return {
        TaskForm.PRAKTIK: _(
            "Unpaid, and you keep your dagpenge. The job centre must approve it before you "
            "start; it has a written purpose and is limited in weeks and hours."
        ),
        TaskForm.PAID: _(
            "You are paid by the hour. Report the hours you work to your a-kasse: they are "
            "deducted from your dagpenge. Taskbørs gives you a monthly statement."
        ),
        TaskForm.VOLUNTARY: _(
            "Unpaid work for a non-profit association. Voluntary work there does not reduce "
            "your dagpenge, but you must still be available for work."
        ),
    }[form]


def status_label(status: PlacementStatus) -> str:
    """The placement's status in the reader's language."""
    return {
        PlacementStatus.AWAITING_APPROVAL: _("awaiting the job centre's approval"),
        PlacementStatus.APPROVED: _("approved"),
        PlacementStatus.DECLINED: _("declined by the job centre"),
        PlacementStatus.ENDED: _("ended"),
        PlacementStatus.COMPLETED: _("completed"),
    }[status]


# --- opening and following a placement -----------------------------------------------------


@dataclass(frozen=True)
class PlacementPlan:
    """What the entrepreneur agrees when accepting a graduate for a praktik."""

    purpose: str = ""
    start_on: date | None = None


def next_monday(today: date) -> date:
    """The first Monday after ``today``: a praktik's default start."""
    return today + timedelta(days=7 - today.weekday())


def open_placement(application: Application, plan: PlacementPlan | None = None) -> Placement:
    """The placement an accepted application becomes (in the caller's transaction). A praktik
    waits for the job centre and is checked against the rules first; paid and voluntary work
    may start at once."""
    task: Task = application.task
    today = clock.today()
    plan = plan or PlacementPlan()
    placement = Placement(
        application_id=application.id,
        jobseeker_id=application.jobseeker_id,
        company_id=task.company_id,
        form=task.form,
        hourly_wage=task.hourly_wage if task.form == TaskForm.PAID else None,
        hours_per_week=task.hours_per_week,
    )
    if task.form == TaskForm.PRAKTIK:
        purpose = (plan.purpose or "").strip() or (task.learning or "").strip()
        if not purpose:
            raise ValidationFailed(
                _l("Write the purpose of the praktik: what the graduate will do and learn."),
                field="purpose",
            )
        if len(purpose) > MAX_PURPOSE:
            raise ValidationFailed(
                _l("At most %(max)d characters.", max=MAX_PURPOSE), field="purpose"
            )
        start = plan.start_on or next_monday(today)
        if start < today:
            raise ValidationFailed(_l("The start cannot be in the past."), field="start_on")
        rules.check_former_employer(task.form, application.worked_for_company)
        lock_company(task.company_id)
        rules.check_ratio(task.company, today)
        placement.purpose = purpose
        placement.start_on = start
        placement.end_on = start + timedelta(weeks=task.weeks or 1, days=-1)
        placement.status = PlacementStatus.AWAITING_APPROVAL
    else:
        placement.purpose = (task.learning or "").strip()
        placement.start_on = plan.start_on or application.start_on or today
        placement.end_on = max(task.deadline, placement.start_on)
        placement.status = PlacementStatus.APPROVED
    db.session.add(placement)
    db.session.flush()
    if placement.needs_approval:
        for caseworker in _approvers(application.jobseeker_id):
            notify(
                caseworker,
                NotificationKind.PLACEMENT_AWAITING,
                task=task,
                application=application,
                email=False,
                params={"placement_id": placement.id},
            )
    return placement


def lock_company(company_id: int) -> None:
    """Take the company's row lock (a no-op UPDATE, as ``tasks.lock_task`` does), so two
    praktik accepted or approved at once at one company are counted one after the other
    against its ratio."""
    db.session.execute(
        update(Company).where(Company.id == company_id).values(employees=Company.employees)
    )


def follow_application(application: Application) -> None:
    """Keep the placement in step with its application (caller's transaction): completed
    work completes it; a withdrawal, rejection or cancellation ends it."""
    placement = application.placement
    if placement is None or placement.status not in LIVE_PLACEMENT_STATUSES:
        return
    if application.status == ApplicationStatus.COMPLETED:
        placement.status = PlacementStatus.COMPLETED
        placement.ended_at = utcnow()
    elif application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED):
        placement.status = PlacementStatus.ENDED
        placement.ended_at = utcnow()


def check_may_complete(application: Application) -> None:
    """A praktik the job centre has not approved cannot be marked completed."""
    placement = application.placement
    if placement is not None and placement.needs_approval:
        raise Conflict(
            _l(
                "The job centre has not approved the virksomhedspraktik yet, so the work "
                "cannot have been done."
            )
        )
    if placement is not None and placement.start_on > clock.today():
        raise Conflict(
            _l(
                "The placement starts %(date)s, so the work cannot have been done yet.",
                date=format_date(placement.start_on, "medium"),
            )
        )


# --- who sees which placement --------------------------------------------------------------


def _live_assignment():
    """Assignments to a caseworker who can act (not disabled, not erased)."""
    return (
        select(CaseAssignment.jobseeker_id, CaseAssignment.caseworker_id)
        .join(User, User.id == CaseAssignment.caseworker_id)
        .where(User.is_disabled.is_(False), User.anonymised_at.is_(None))
    )


def handling_caseworker_id(jobseeker_id: int) -> int | None:
    """The one rule of who handles a graduate's praktik: the caseworker assigned to them, or
    — when none is, or theirs is disabled or erased — every caseworker (None)."""
    row = db.session.execute(
        _live_assignment().where(CaseAssignment.jobseeker_id == jobseeker_id)
    ).first()
    return row.caseworker_id if row else None


def _approvers(jobseeker_id: int) -> list[User]:
    """Who is told that a praktik waits: the handling caseworker, or every caseworker."""
    handler = handling_caseworker_id(jobseeker_id)
    query = select(User).where(
        User.role == Role.CASEWORKER, User.is_disabled.is_(False), User.anonymised_at.is_(None)
    )
    if handler is not None:
        query = query.where(User.id == handler)
    return list(db.session.execute(query).scalars())


def _caseworker_scope(caseworker: User):
    """The graduates whose placements ``caseworker`` handles (``handling_caseworker_id`` as
    a condition): assigned to them, or to no caseworker who can act."""
    assigned_elsewhere = (
        _live_assignment()
        .where(CaseAssignment.caseworker_id != caseworker.id)
        .with_only_columns(CaseAssignment.jobseeker_id)
    )
    return Placement.jobseeker_id.not_in(assigned_elsewhere)


def _load(query):
    return query.options(
        selectinload(Placement.application).selectinload(Application.task),
        selectinload(Placement.company),
        selectinload(Placement.jobseeker),
        selectinload(Placement.hours),
    )


def placements_for(
    user: User,
    waiting_only: bool = False,
    jobseeker_id: int | None = None,
    application_ids: list[int] | None = None,
) -> list[Placement]:
    """The placements ``user`` may see: a caseworker's approval queue (and, unless
    ``waiting_only``, the praktik they handle), a graduate's own, a company's own; only one
    graduate's (``jobseeker_id``) or those of some applications (``application_ids``)."""
    query = select(Placement)
    if jobseeker_id is not None:
        query = query.where(Placement.jobseeker_id == jobseeker_id)
    if application_ids is not None:
        query = query.where(Placement.application_id.in_(application_ids))
    if user.role == Role.CASEWORKER:
        query = query.where(_caseworker_scope(user), Placement.form == TaskForm.PRAKTIK)
        if waiting_only:
            query = query.where(Placement.status == PlacementStatus.AWAITING_APPROVAL)
        query = query.order_by(
            (Placement.status != PlacementStatus.AWAITING_APPROVAL), Placement.created_at
        )
    elif user.role == Role.JOBSEEKER:
        query = query.where(Placement.jobseeker_id == user.id).order_by(Placement.start_on.desc())
    elif user.role == Role.ENTREPRENEUR and user.company is not None:
        query = query.where(Placement.company_id == user.company.id).order_by(
            Placement.start_on.desc()
        )
    else:
        return []
    return list(db.session.execute(_load(query)).scalars())


def list_placements(
    user: User, waiting_only: bool = False, jobseeker_id: int | None = None, via: str = "web"
) -> list[Placement]:
    """``placements_for`` as a page or the API lists them: a caseworker's list shows the
    graduates' names, purposes and rule checks, so it is in the access log (once a day per
    graduate and caseworker, as the caseload overview is)."""
    rows = placements_for(user, waiting_only=waiting_only, jobseeker_id=jobseeker_id)
    if user.role == Role.CASEWORKER and rows:
        log_access(
            user,
            [p.jobseeker_id for p in rows],
            AccessAction.VIEW_PLACEMENT_QUEUE,
            AccessPurpose.PLACEMENT_APPROVAL,
            via=via,
        )
        db.session.commit()
    return rows


def get_placement(user: User, placement_id: int) -> Placement:
    """One placement ``user`` may see; anyone else's is 404."""
    placement = db.session.get(Placement, placement_id)
    if placement is None or not _may_see(user, placement):
        raise NotFound(_l("No such placement."))
    return placement


def _may_see(user: User, placement: Placement) -> bool:
    if user.role == Role.JOBSEEKER:
        return placement.jobseeker_id == user.id
    if user.role == Role.ENTREPRENEUR:
        return user.company is not None and placement.company_id == user.company.id
    if user.role == Role.CASEWORKER:
        if placement.form != TaskForm.PRAKTIK:
            return False
        handler = handling_caseworker_id(placement.jobseeker_id)
        return handler is None or handler == user.id
    return False


def open_for_caseworker(caseworker: User, placement_id: int, via: str = "web") -> Placement:
    """A placement opened by the caseworker who handles it, recorded in the access log."""
    placement = get_placement(caseworker, placement_id)
    log_access(
        caseworker,
        [placement.jobseeker_id],
        AccessAction.VIEW_PLACEMENT,
        AccessPurpose.PLACEMENT_APPROVAL,
        via=via,
    )
    db.session.commit()
    return placement


def waiting_count(caseworker: User) -> int:
    """How many praktik wait for this caseworker's decision (the menu's badge): one count."""
    return db.session.execute(
        select(func.count(Placement.id)).where(
            _caseworker_scope(caseworker),
            Placement.form == TaskForm.PRAKTIK,
            Placement.status == PlacementStatus.AWAITING_APPROVAL,
        )
    ).scalar_one()


# --- the job centre's decision -------------------------------------------------------------


def _decide(caseworker: User, placement_id: int, via: str) -> Placement:
    if caseworker.role != Role.CASEWORKER:
        raise Forbidden(_l("Only the job centre's caseworkers approve placements."))
    placement = get_placement(caseworker, placement_id)
    placement = db.session.execute(
        select(Placement)
        .where(Placement.id == placement.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if placement.status != PlacementStatus.AWAITING_APPROVAL:
        db.session.rollback()
        raise Conflict(_l("This placement has already been decided."))
    return placement


@retry_on_conflict
def approve_placement(caseworker: User, placement_id: int, via: str = "web") -> Placement:
    """The caseworker approves a praktik: the rules are checked again (a company may have
    reached its ratio since), the graduate and the company are told, and the approval is in
    the access log."""
    placement = _decide(caseworker, placement_id, via)
    today = clock.today()
    if placement.start_on < today:
        # Agreed before it starts: approved after the planned start, it starts today and
        # keeps its length (no work before the approval can count).
        length = placement.end_on - placement.start_on
        placement.start_on, placement.end_on = today, today + length
    try:
        lock_company(placement.company_id)
        rules.check_ratio(placement.company, today, exclude_id=placement.id)
        rules.check_former_employer(placement.form, placement.application.worked_for_company)
    except rules.RuleBroken:
        db.session.rollback()
        raise
    placement.status = PlacementStatus.APPROVED
    placement.decided_at = utcnow()
    placement.decided_by_id = caseworker.id
    log_access(
        caseworker,
        [placement.jobseeker_id],
        AccessAction.APPROVE_PLACEMENT,
        AccessPurpose.PLACEMENT_APPROVAL,
        via=via,
    )
    task = placement.application.task
    for person in (placement.jobseeker, task.company.owner):
        notify(
            person,
            NotificationKind.PLACEMENT_APPROVED,
            task=task,
            application=placement.application,
        )
    db.session.commit()
    return placement


@retry_on_conflict
def decline_placement(
    caseworker: User, placement_id: int, reason: str, via: str = "web"
) -> Placement:
    """The caseworker declines a praktik with a reason: the application ends (the place is
    free again) and both sides are told why."""
    reason = check_reason(reason)
    if not reason:
        raise ValidationFailed(_l("Give the reason for declining."), field="reason")
    from taskboerse.services.tasks import lock_task, settle_task

    # The task first, then the placement: the order withdrawing and cancelling take them in.
    task = lock_task(get_placement(caseworker, placement_id).application.task_id)
    placement = _decide(caseworker, placement_id, via)
    placement.status = PlacementStatus.DECLINED
    placement.decided_at = placement.ended_at = utcnow()
    placement.decided_by_id = caseworker.id
    placement.decision_reason = reason
    application = placement.application
    application.status = ApplicationStatus.REJECTED
    application.decided_at = utcnow()
    log_access(
        caseworker,
        [placement.jobseeker_id],
        AccessAction.DECLINE_PLACEMENT,
        AccessPurpose.PLACEMENT_APPROVAL,
        via=via,
    )
    for person in (placement.jobseeker, task.company.owner):
        notify(
            person,
            NotificationKind.PLACEMENT_DECLINED,
            task=task,
            application=application,
            reason=reason,
        )
    db.session.flush()
    settle_task(task)
    db.session.commit()
    return placement


# --- hours ---------------------------------------------------------------------------------


def parse_hours(raw: object) -> int:
    """Hours as typed ("7,5", 7.5, "7:30") → minutes, in quarter hours from ¼ to 24."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    bad = ValidationFailed(_l("Give the hours as a number, e.g. 7,5."), field="hours")
    if isinstance(raw, bool):
        raise bad
    try:
        if ":" in text:
            whole, _sep, part = text.partition(":")
            if not (whole.isdigit() and part.isdigit() and int(part) < 60):
                raise bad
            minutes = int(whole) * 60 + int(part)
        else:
            value = float(text)
            if not math.isfinite(value):
                raise bad
            minutes = round(value * 60)
    except (ValueError, OverflowError):
        raise bad from None
    if not 15 <= minutes <= 24 * 60 or minutes % 15:
        raise ValidationFailed(
            _l("Give between 0,25 and 24 hours, in quarter hours."), field="hours"
        )
    return minutes


def log_hours(
    user: User, placement_id: int, work_date: date, hours: object, note: str = ""
) -> PlacementHours:
    """The graduate logs the hours of one day (again, until the company has confirmed it)."""
    placement = get_placement(user, placement_id)
    if user.id != placement.jobseeker_id:
        raise Forbidden(_l("Only the graduate logs their hours."))
    if not placement.logs_hours:
        raise Conflict(_l("Hours are logged for paid small jobs and virksomhedspraktik only."))
    if placement.needs_approval:
        raise Conflict(
            _l("The job centre has not approved the virksomhedspraktik yet; do not start.")
        )
    if not placement.may_log_hours:
        raise Conflict(_l("This placement has ended; no hours can be logged."))
    if not isinstance(work_date, date):
        raise ValidationFailed(_l("Give the date as YYYY-MM-DD."), field="date")
    if work_date > clock.today():
        raise ValidationFailed(_l("You cannot log hours for a day to come."), field="date")
    if work_date < placement.start_on:
        raise ValidationFailed(
            _l(
                "The placement starts %(date)s; log hours from then on.",
                date=format_date(placement.start_on, "medium"),
            ),
            field="date",
        )
    if placement.form == TaskForm.PRAKTIK and work_date > placement.end_on:
        raise RuleBroken(
            "praktik_weeks",
            _l(
                "The virksomhedspraktik ended %(date)s; work after it is not part of it.",
                date=format_date(placement.end_on, "medium"),
            ),
            field="date",
        )
    note = (note or "").strip()
    if len(note) > MAX_HOURS_NOTE:
        raise ValidationFailed(_l("At most %(max)d characters.", max=MAX_HOURS_NOTE), field="note")
    minutes = parse_hours(hours)
    existing = next((h for h in placement.hours if h.work_date == work_date), None)
    if existing is not None and existing.confirmed_at is not None:
        raise Conflict(_l("The company has confirmed this day; its hours can no longer change."))
    monday = work_date - timedelta(days=work_date.weekday())
    in_week = sum(
        h.minutes
        for h in placement.hours
        if monday <= h.work_date < monday + timedelta(days=7) and h is not existing
    )
    rules.check_hours_week(in_week, minutes, placement.form)
    if existing is None:
        existing = PlacementHours(placement_id=placement.id, work_date=work_date, minutes=minutes)
        db.session.add(existing)
        notify(
            placement.company.owner,
            NotificationKind.HOURS_LOGGED,
            task=placement.application.task,
            application=placement.application,
            actor=user,
            email=False,
        )
    existing.minutes = minutes
    existing.note = note
    existing.logged_at = utcnow()
    db.session.commit()
    return existing


def confirm_hours(owner: User, placement_id: int, hours_ids: list[int] | None = None) -> int:
    """The company confirms logged hours (all not yet confirmed, or those of ``hours_ids``);
    returns how many days it confirmed."""
    placement = get_placement(owner, placement_id)
    if owner.role != Role.ENTREPRENEUR:
        raise Forbidden(_l("Only the company confirms hours."))
    now = utcnow()
    confirmed = 0
    wanted = set(hours_ids) if hours_ids is not None else None
    for row in placement.hours:
        if row.confirmed_at is None and (wanted is None or row.id in wanted):
            row.confirmed_at = now
            row.confirmed_by_id = owner.id
            confirmed += 1
    if wanted is not None and confirmed < len(wanted):
        known = {row.id for row in placement.hours}
        if wanted - known:
            db.session.rollback()
            raise ValidationFailed(_l("Choose days from this placement."), field="hours_ids")
    db.session.commit()
    return confirmed


def hours_text(hours: float) -> str:
    """Hours as the reader writes them: 7.5 → "7,5" in Danish, "7.5" in English."""
    return format_decimal(hours, "#,##0.##")


def hours_summary(placement: Placement) -> tuple[float, float]:
    """(logged, confirmed) hours of a placement."""
    logged = sum(h.minutes for h in placement.hours)
    confirmed = sum(h.minutes for h in placement.hours if h.confirmed_at is not None)
    return logged / 60, confirmed / 60


# --- the monthly statement for the a-kasse -------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """One day's hours at one employer."""

    company: str
    cvr: str
    form: TaskForm
    work_date: date
    hours: float
    confirmed: bool


def parse_month(raw: str | None) -> tuple[int, int]:
    """ "2026-11" → (2026, 11); the current month when empty; a clear error otherwise."""
    if not raw:
        today = clock.today()
        return today.year, today.month
    try:
        year_text, month_text = raw.split("-")
        year, month = int(year_text), int(month_text)
        date(year, month, 1)
    except ValueError:
        raise ValidationFailed(_l("Give the month as YYYY-MM."), field="month") from None
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_l("Give the month as YYYY-MM."), field="month")
    return year, month


def statement_lines(user: User, year: int, month: int) -> list[StatementLine]:
    """The graduate's hours in one month, per employer and day."""
    first = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 1)
    rows = db.session.execute(
        select(PlacementHours, Placement)
        .join(Placement, Placement.id == PlacementHours.placement_id)
        .where(
            Placement.jobseeker_id == user.id,
            PlacementHours.work_date >= first,
            PlacementHours.work_date < after,
        )
        .options(selectinload(Placement.company))
        .order_by(Placement.company_id, PlacementHours.work_date)
    ).all()
    return [
        StatementLine(
            company=placement.company.name,
            cvr=placement.company.cvr,
            form=placement.form,
            work_date=row.work_date,
            hours=row.minutes / 60,
            confirmed=row.confirmed_at is not None,
        )
        for row, placement in rows
    ]


def statement_totals(lines: list[StatementLine]) -> list[tuple[str, str, TaskForm, float, float]]:
    """Per employer: name, CVR, form, hours, of which confirmed."""
    totals: dict[tuple[str, str, TaskForm], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for line in lines:
        entry = totals[(line.company, line.cvr, line.form)]
        entry[0] += line.hours
        entry[1] += line.hours if line.confirmed else 0.0
    return [(*key, value[0], value[1]) for key, value in totals.items()]


def statement_pdf(user: User, year: int, month: int) -> bytes:
    """The monthly statement of hours per employer as a PDF."""
    lines = statement_lines(user, year, month)
    pdf = FPDF(format="A4")
    pdf.set_author("Taskbørs")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    month_name = format_date(date(year, month, 1), "MMMM y")
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(
        0,
        10,
        latin1(_("Hours worked, %(month)s", month=month_name)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, latin1(user.name), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        5,
        latin1(
            _(
                "For your report to your a-kasse. Hours of paid small jobs are deducted from "
                "dagpenge; hours of an approved virksomhedspraktik are not paid work."
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    pdf.ln(3)
    if not lines:
        pdf.cell(0, 6, latin1(_("No hours logged this month.")), new_x="LMARGIN", new_y="NEXT")
    for company, cvr, form, hours, confirmed in statement_totals(lines):
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(
            0,
            7,
            latin1(f"{company} (CVR {cvr}) - {form_label(form)}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", "", 10)
        for line in lines:
            if (line.company, line.cvr, line.form) != (company, cvr, form):
                continue
            mark = _("confirmed") if line.confirmed else _("not yet confirmed")
            pdf.cell(
                0,
                5,
                latin1(
                    f"{format_date(line.work_date, 'EEE d. MMM')}: "
                    f"{hours_text(line.hours)} ({mark})"
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(
            0,
            6,
            latin1(
                _(
                    "Total: %(hours)s hours, of which %(confirmed)s confirmed by the company",
                    hours=hours_text(hours),
                    confirmed=hours_text(confirmed),
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
    return bytes(pdf.output())


# --- the plan for the job centre's systems -------------------------------------------------


def plan_rows(placement: Placement, iso_dates: bool = False) -> list[tuple[str, str]]:
    """The placement's plan as label–value pairs (CSV and PDF share them); ``iso_dates``
    for other systems to read (the CSV), else dates in the reader's language."""

    def day(value: date) -> str:
        return value.isoformat() if iso_dates else format_date(value, "medium")

    logged, confirmed = hours_summary(placement)
    decided = ""
    if placement.decided_at is not None:
        decided = _(
            "%(status)s %(date)s by %(name)s",
            status=status_label(placement.status),
            date=day(placement.decided_at.date()),
            name=placement.decided_by.name if placement.decided_by else _("a caseworker"),
        )
    return [
        (_("Graduate"), placement.jobseeker.name),
        (_("Form"), form_label(placement.form)),
        (_("Goal"), placement.purpose),
        (_("Company"), f"{placement.company.name} (CVR {placement.company.cvr})"),
        (_("Task"), placement.application.task.title),
        (_("Period"), f"{day(placement.start_on)} – {day(placement.end_on)}"),
        (_("Hours a week"), str(placement.hours_per_week or "")),
        (_("Hours logged"), hours_text(logged)),
        (_("Hours confirmed"), hours_text(confirmed)),
        (_("Status"), status_label(placement.status)),
        (_("Approval"), decided),
        (_("Reason"), placement.decision_reason),
    ]


def export_plan(user: User, placement_id: int, via: str = "web") -> Placement:
    """A placement whose plan ``user`` exports; a caseworker's export is in the access log."""
    placement = get_placement(user, placement_id)
    if user.role == Role.CASEWORKER:
        log_access(
            user,
            [placement.jobseeker_id],
            AccessAction.EXPORT_PLAN,
            AccessPurpose.PLACEMENT_APPROVAL,
            via=via,
        )
        db.session.commit()
    return placement


def plan_pdf(placement: Placement) -> bytes:
    """The placement's plan as a PDF."""
    pdf = FPDF(format="A4")
    pdf.set_author("Taskbørs")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, latin1(_("Placement plan")), new_x="LMARGIN", new_y="NEXT")
    for label, value in plan_rows(placement):
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, latin1(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(value or "-"), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())
