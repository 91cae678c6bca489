"""Placements on the web: the caseworker's approval queue and decisions, the graduate's
hours and monthly statement for the a-kasse, the company's confirmation of hours, and the
plan for the job centre. Every rule is in services/placements.py and placement_rules.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import PlacementStatus, Role
from taskboerse.services import clock, placements
from taskboerse.services import placement_rules as rules
from taskboerse.services.errors import DomainError, ValidationFailed
from taskboerse.web.access import role_required
from taskboerse.web.csv_export import csv_response
from taskboerse.web.forms import EmptyForm, flash_form_errors, is_whole_number, show_domain_error
from taskboerse.web.placements.forms import DeclineForm, HoursForm

bp = Blueprint("placements", __name__, url_prefix="/placements")

PLACEMENT_ROLES = (Role.CASEWORKER, Role.JOBSEEKER, Role.ENTREPRENEUR)


@bp.app_context_processor
def inject_waiting() -> dict[str, Any]:
    """The caseworker's menu shows how many praktik wait for a decision (once a request)."""
    if g.get("database_down") or not current_user.is_authenticated:
        return {}
    if current_user.role != Role.CASEWORKER:
        return {}
    if "placements_waiting" not in g:
        g.placements_waiting = placements.waiting_count(current_user)
    return {"placements_waiting": g.placements_waiting}


@bp.context_processor
def inject_statuses() -> dict[str, Any]:
    """The placement statuses, for the pages' comparisons (labels: web/labels.py)."""
    return {"Status": PlacementStatus}


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


# --- the list --------------------------------------------------------------------------------


def _render_index(month: str | None = None, month_error: str | None = None, status: int = 200):
    """The placements of the user's role, with what each role does next."""
    person = None
    raw_person = request.args.get("person")
    filtered = current_user.role == Role.CASEWORKER and is_whole_number(raw_person)
    # One graduate's praktik, from the caseworker's person page.
    rows = placements.list_placements(
        current_user, jobseeker_id=int(raw_person) if filtered else None
    )
    if filtered:
        person = rows[0].jobseeker if rows else None
    today = clock.today()
    waiting = [p for p in rows if p.needs_approval]
    decided = [p for p in rows if not p.needs_approval]
    checks = {}
    if current_user.role == Role.CASEWORKER:
        checks = {p.id: rules.checks_for(p, today) for p in waiting}
    if month is None:
        month = _month_value(today.year, today.month)
    return render_template(
        "placements/index.html",
        rows=rows,
        queue=waiting,
        decided=decided,
        checks=checks,
        summaries={p.id: placements.hours_summary(p) for p in rows},
        unconfirmed={p.id: sum(1 for h in p.hours if h.confirmed_at is None) for p in rows},
        person=person,
        filtered=filtered,
        month=month,
        month_error=month_error,
        today=today,
    ), status


@bp.route("/")
@role_required(*PLACEMENT_ROLES)
def index():
    """Caseworker: the approval queue, then the praktik decided. Graduate: own placements and
    the monthly statement. Company: its placements and the hours waiting for confirmation."""
    return _render_index()


# --- one placement ---------------------------------------------------------------------------


def _render_detail(placement, hours_form=None, decline_form=None, status: int = 200):
    role = current_user.role
    checks = []
    if role == Role.CASEWORKER and placement.needs_approval:
        checks = rules.checks_for(placement, clock.today())
    if hours_form is None and role == Role.JOBSEEKER:
        hours_form = HoursForm(formdata=None, data={"date": clock.today()})
    logged, confirmed = placements.hours_summary(placement)
    return render_template(
        "placements/detail.html",
        p=placement,
        checks=checks,
        hours_form=hours_form,
        decline_form=decline_form or DeclineForm(formdata=None),
        button_form=EmptyForm(formdata=None),
        logged=logged,
        confirmed=confirmed,
        unconfirmed=sum(1 for h in placement.hours if h.confirmed_at is None),
        max_hours=rules.limits().max_hours_per_week,
        may_log=role == Role.JOBSEEKER and placement.may_log_hours,
    ), status


@bp.route("/<id:placement_id>")
@role_required(*PLACEMENT_ROLES)
def detail(placement_id: int):
    """The placement page; a caseworker's opening of it is in the graduate's access log."""
    if current_user.role == Role.CASEWORKER:
        placement = placements.open_for_caseworker(current_user, placement_id)
    else:
        placement = placements.get_placement(current_user, placement_id)
    return _render_detail(placement)


@bp.route("/<id:placement_id>/approve", methods=["POST"])
@role_required(Role.CASEWORKER)
def approve(placement_id: int):
    """The caseworker approves the praktik; both sides are told."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            placements.approve_placement(current_user, placement_id)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            flash(
                _("The virksomhedspraktik is approved. The graduate and the company are told."),
                "success",
            )
    else:
        flash_form_errors(form)
    return redirect(url_for("placements.detail", placement_id=placement_id))


@bp.route("/<id:placement_id>/decline", methods=["POST"])
@role_required(Role.CASEWORKER)
def decline(placement_id: int):
    """The caseworker declines the praktik with a reason both sides read."""
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            placements.decline_placement(current_user, placement_id, form.reason.data or "")
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            if error.field != "reason":
                show_domain_error(None, error)
                return redirect(url_for("placements.detail", placement_id=placement_id))
            show_domain_error(form, error)
        else:
            flash(
                _("The virksomhedspraktik is declined. The graduate and the company are told why."),
                "success",
            )
            return redirect(url_for("placements.detail", placement_id=placement_id))
    placement = placements.get_placement(current_user, placement_id)
    return _render_detail(placement, decline_form=form, status=422)


@bp.route("/<id:placement_id>/hours", methods=["POST"])
@role_required(Role.JOBSEEKER)
def log_hours(placement_id: int):
    """The graduate logs the hours of one day (or changes a day not yet confirmed)."""
    form = HoursForm()
    status = 422
    if form.validate_on_submit():
        try:
            placements.log_hours(
                current_user,
                placement_id,
                form.date.data,
                form.hours.data,
                form.note.data or "",
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            status = error.status_code
            show_domain_error(form, error)
        else:
            flash(
                _(
                    "%(hours)s hours on %(date)s are logged. The company confirms them.",
                    hours=form.hours.data.strip(),
                    date=_date_text(form.date.data),
                ),
                "success",
            )
            return redirect(url_for("placements.detail", placement_id=placement_id))
    placement = placements.get_placement(current_user, placement_id)
    return _render_detail(placement, hours_form=form, status=status)


def _date_text(value) -> str:
    return format_date(value, "medium")


@bp.route("/<id:placement_id>/confirm", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def confirm(placement_id: int):
    """The company confirms every day of hours not yet confirmed."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            count = placements.confirm_hours(current_user, placement_id)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            if count:
                flash(
                    ngettext(
                        "The hours of %(num)d day are confirmed.",
                        "The hours of %(num)d days are confirmed.",
                        count,
                    ),
                    "success",
                )
            else:
                flash(_("There were no hours waiting for confirmation."), "info")
    else:
        flash_form_errors(form)
    return redirect(url_for("placements.detail", placement_id=placement_id))


# --- downloads -------------------------------------------------------------------------------


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _statement_month():
    """(year, month) from ?month=, or the list page with the error beside the month field."""
    raw = request.args.get("month", "")
    try:
        return placements.parse_month(raw.strip()), None
    except ValidationFailed as error:
        page = _render_index(month=raw[:20], month_error=str(error.message), status=422)
        return None, page


@bp.route("/statement.pdf")
@role_required(Role.JOBSEEKER)
def statement_pdf():
    """The month's hours per employer and day, as a PDF for the a-kasse."""
    month, page = _statement_month()
    if page is not None:
        return page
    year, number = month
    return _download(
        placements.statement_pdf(current_user, year, number),
        "application/pdf",
        f"timer-{_month_value(year, number)}.pdf",
    )


@bp.route("/statement.csv")
@role_required(Role.JOBSEEKER)
def statement_csv():
    """The month's hours per employer and day, as a spreadsheet."""
    month, page = _statement_month()
    if page is not None:
        return page
    year, number = month
    lines = placements.statement_lines(current_user, year, number)
    return csv_response(
        f"timer-{_month_value(year, number)}.csv",
        [_("Employer"), _("CVR number"), _("Form"), _("Date"), _("Hours"), _("Confirmed")],
        (
            (
                line.company,
                line.cvr,
                placements.form_label(line.form),
                line.work_date,
                line.hours,
                line.confirmed,
            )
            for line in lines
        ),
    )


@bp.route("/<id:placement_id>/plan.csv")
@role_required(*PLACEMENT_ROLES)
def plan_csv(placement_id: int):
    """The placement's plan for the job centre's own systems (a caseworker's export is in
    the access log)."""
    placement = placements.export_plan(current_user, placement_id)
    return csv_response(
        f"plan-{placement.id}.csv",
        [_("Field"), _("Value")],
        placements.plan_rows(placement, iso_dates=True),
    )


@bp.route("/<id:placement_id>/plan.pdf")
@role_required(*PLACEMENT_ROLES)
def plan_pdf(placement_id: int):
    """The placement's plan as a PDF."""
    placement = placements.export_plan(current_user, placement_id)
    return _download(placements.plan_pdf(placement), "application/pdf", f"plan-{placement.id}.pdf")
