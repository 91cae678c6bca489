"""The caseworker's area: caseload, person page, notes, outcomes, statistics, exports."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.labels import application_status_label, outcome_label
from taskboerse.models import AccessAction, AccessPurpose, Role
from taskboerse.services import caseload, statistics
from taskboerse.services.errors import DomainError
from taskboerse.services.security import security_event
from taskboerse.web.access import role_required
from taskboerse.web.caseworker.forms import (
    CaseloadFilterForm,
    NoteForm,
    OutcomeForm,
    StatisticsForm,
)
from taskboerse.web.csv_export import csv_response
from taskboerse.web.forms import show_domain_error

bp = Blueprint("caseworker", __name__, url_prefix="/caseworker")


def _query(form: CaseloadFilterForm) -> caseload.CaseloadQuery:
    if not form.validate():
        return caseload.CaseloadQuery()
    return caseload.CaseloadQuery(
        q=form.q.data or "",
        education=form.education.data or "",
        flag=form.flag.data or "",
        sort=form.sort.data or "name",
        descending=form.dir.data == "desc",
    )


@bp.route("/")
@role_required(Role.CASEWORKER)
def caseload_page():
    """The consenting graduates assigned to me: counts, last activity and flags."""
    form = CaseloadFilterForm(request.args)
    query = _query(form)
    rows = caseload.view_caseload(current_user, query)
    args = {k: v for k, v in request.args.items() if v and k not in ("sort", "dir")}
    return render_template(
        "caseworker/caseload.html",
        form=form,
        rows=rows,
        query=query,
        args=args,
        not_consenting=caseload.not_consenting_count(current_user),
    ), (422 if form.errors else 200)


def _render_person(jobseeker_id: int, note_form=None, outcome_form=None, status: int = 200):
    file = caseload.person_file(current_user, jobseeker_id)
    if outcome_form is None:
        outcome_form = OutcomeForm(formdata=None)
        if file.outcome is not None:
            outcome_form.status.data = file.outcome.status.value
            outcome_form.date.data = file.outcome.outcome_date
    return render_template(
        "caseworker/person.html",
        file=file,
        note_form=note_form or NoteForm(formdata=None),
        outcome_form=outcome_form,
    ), status


@bp.route("/people/<id:jobseeker_id>")
@role_required(Role.CASEWORKER)
def person(jobseeker_id: int):
    """One graduate: timeline, references, flags, notes and outcome (logged)."""
    return _render_person(jobseeker_id)


@bp.route("/people/<id:jobseeker_id>/notes", methods=["POST"])
@role_required(Role.CASEWORKER)
def add_note(jobseeker_id: int):
    """Add a note to the graduate's file."""
    form = NoteForm()
    if form.validate_on_submit():
        try:
            caseload.add_note(current_user, jobseeker_id, form.text.data)
        except DomainError as error:
            if error.status_code == 404:
                raise
            show_domain_error(form, error)
        else:
            flash(_("The note is saved."), "success")
            return redirect(url_for("caseworker.person", jobseeker_id=jobseeker_id) + "#notes")
    return _render_person(jobseeker_id, note_form=form, status=422)


@bp.route("/people/<id:jobseeker_id>/outcome", methods=["POST"])
@role_required(Role.CASEWORKER)
def record_outcome(jobseeker_id: int):
    """Record the outcome (employed, in education, other) with a date."""
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            caseload.record_outcome(current_user, jobseeker_id, form.status.data, form.date.data)
        except DomainError as error:
            if error.status_code == 404:
                raise
            show_domain_error(form, error)
        else:
            flash(_("The outcome is saved."), "success")
            return redirect(url_for("caseworker.person", jobseeker_id=jobseeker_id))
    return _render_person(jobseeker_id, outcome_form=form, status=422)


@bp.route("/statistics")
@role_required(Role.CASEWORKER, Role.ADMIN)
def statistics_page():
    """Funnel, placements per month, time to the first placement, by education and cohort."""
    form = StatisticsForm(request.args)
    default = "mine" if current_user.role == Role.CASEWORKER else "all"
    scope = form.scope.data if form.validate() and form.scope.data else default
    stats = statistics.job_centre_statistics(current_user, scope)
    return render_template("caseworker/statistics.html", form=form, stats=stats), (
        422 if form.errors else 200
    )


@bp.route("/export/caseload.csv")
@role_required(Role.CASEWORKER)
def export_caseload():
    """The caseload as CSV for Danish Excel (logged per graduate)."""
    rows = caseload.view_caseload(
        current_user,
        _query(CaseloadFilterForm(request.args)),
        action=AccessAction.EXPORT_CASELOAD,
        purpose=AccessPurpose.CASE_FILE,
    )
    header = [
        _("Name"),
        _("Email"),
        _("Education"),
        _("Registered"),
        _("Days since registration"),
        _("Applications"),
        _("Accepted"),
        _("Completed"),
        _("Last activity"),
        _("Flags"),
        _("Outcome"),
        _("Outcome date"),
    ]
    lines = [
        [
            r.name,
            r.email,
            r.education,
            r.registered_at,
            r.days_registered,
            r.applications,
            r.accepted,
            r.completed,
            r.last_activity,
            " | ".join(str(f.reason) for f in r.flags),
            outcome_label(r.outcome) if r.outcome else "",
            r.outcome_date,
        ]
        for r in rows
    ]
    security_event("export", actor=current_user.id, what="caseload", rows=len(lines))
    return csv_response("sagsstamme.csv", header, lines)


@bp.route("/export/placements.csv")
@role_required(Role.CASEWORKER)
def export_placements():
    """Every placement in the caseload as CSV for Danish Excel (logged per graduate)."""
    rows = caseload.export_placements(current_user)
    header = [
        _("Name"),
        _("Email"),
        _("Task"),
        _("Company"),
        _("Status"),
        _("Applied"),
        _("Accepted"),
        _("Completed"),
        _("Deadline"),
        _("Rating"),
    ]
    lines = [
        [
            r.name,
            r.email,
            r.task_title,
            r.company_name,
            application_status_label(r.status),
            r.applied_at,
            r.accepted_at,
            r.completed_at,
            r.deadline,
            r.rating,
        ]
        for r in rows
    ]
    security_event("export", actor=current_user.id, what="placements", rows=len(lines))
    return csv_response("forloeb.csv", header, lines)


@bp.route("/summary")
@role_required(Role.CASEWORKER)
def summary():
    """A printable summary of the caseload with the key figures (logged per graduate)."""
    rows = caseload.view_caseload(
        current_user,
        _query(CaseloadFilterForm(request.args)),
        action=AccessAction.VIEW_SUMMARY,
        purpose=AccessPurpose.MEETING,
    )
    stats = statistics.job_centre_statistics(current_user, "mine")
    return render_template(
        "caseworker/summary.html", rows=rows, stats=stats, now=caseload.now_utc()
    )
