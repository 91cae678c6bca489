"""The entrepreneur's area: company, tasks, applicants, completion with a reference."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from taskboerse.models import NotificationKind, Role, TaskStatus
from taskboerse.models import TaskForm as Form
from taskboerse.models.types import utcnow
from taskboerse.services import applications as application_service
from taskboerse.services import (
    companies,
    conversations,
    notifications,
    placement_rules,
    placements,
    profiles,
    recommendations,
    tasks,
)
from taskboerse.services.errors import DomainError
from taskboerse.services.logos import MAX_LOGO_BYTES
from taskboerse.services.skills import skill_label
from taskboerse.web.access import role_required
from taskboerse.web.entrepreneur.forms import (
    CompanyForm,
    CompleteForm,
    InviteForm,
    PlacementForm,
    TaskForm,
)
from taskboerse.web.forms import ConfirmForm, EmptyForm, flash_form_errors, show_domain_error
from taskboerse.web.matching import matching_index

bp = Blueprint("entrepreneur", __name__, url_prefix="/entrepreneur")

TASK_ACTIONS = {
    "publish": lambda: _("The task is published."),
    "close": lambda: _("The task is closed for new applications."),
    "complete": lambda: _("The task is marked completed."),
    "cancel": lambda: _("The task is cancelled."),
}


@bp.route("/")
@role_required(Role.ENTREPRENEUR)
def dashboard():
    """The company's tasks by status."""
    if current_user.company is None:
        return redirect(url_for("entrepreneur.company"))
    return render_template(
        "entrepreneur/dashboard.html",
        tasks=tasks.tasks_of_company(current_user),
        new_applicants=notifications.new_applicants_by_task(current_user.id),
        messages_by_task=conversations.unread_by_task(current_user),
    )


@bp.route("/company", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def company():
    """Register or edit the company and its public profile (with an optional logo)."""
    company = current_user.company
    # Not obj=company: that would read the stored logo into the form's file field.
    form = CompanyForm(
        data={name: getattr(company, name) for name in CompanyForm.COMPANY_FIELDS}
        if company is not None
        else None
    )
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            companies.save_company(
                current_user,
                form.name.data,
                form.cvr.data,
                form.phone.data or "",
                profile=companies.CompanyProfile(
                    description=form.description.data or "",
                    website=form.website.data or "",
                    sector=form.sector.data or "",
                    address=form.address.data or "",
                    postcode=form.postcode.data or "",
                    employees=form.employees.data,
                ),
                logo=companies.LogoChange(
                    # One byte past the limit is enough for the service to refuse it.
                    upload=upload.stream.read(MAX_LOGO_BYTES + 1) if upload else None,
                    remove=bool(form.remove_logo.data),
                ),
            )
        except DomainError as error:
            # A refused profile lists every refused field, so all are shown at once.
            refusals = error.errors if isinstance(error, companies.ProfileInvalid) else [error]
            for refusal in refusals:
                show_domain_error(form, refusal)
        else:
            flash(_("The company is saved."), "success")
            return redirect(url_for("entrepreneur.dashboard"))
    return render_template(
        "entrepreneur/company.html",
        form=form,
        company=company,
        limits=placement_rules.limits(),
    ), (422 if form.errors else 200)


def _task_info(form: TaskForm) -> tasks.TaskInfo:
    return tasks.TaskInfo(
        title=form.title.data or "",
        description=form.description.data or "",
        required_skills=form.required_skills.data or "",
        nice_skills=form.nice_skills.data or "",
        hours=form.hours.data,
        deadline=form.deadline.data,
        postcode=form.postcode.data or None,
        remote=form.remote.data,
        capacity=form.capacity.data,
        learning=form.learning.data or "",
        form=form.form_choice(),
        hourly_wage=form.hourly_wage.data,
        hours_per_week=form.hours_per_week.data,
        weeks=form.weeks.data,
        uses_degree=bool(form.uses_degree.data),
    )


def _render_task_form(form: TaskForm, task=None):
    """The task form, with what the choice of form depends on: the rules' limits and
    whether the company may post voluntary work."""
    company = current_user.company
    return render_template(
        "entrepreneur/task_form.html",
        form=form,
        task=task,
        limits=placement_rules.limits(),
        nonprofit=company is not None and company.is_nonprofit,
        employees=company.employees if company is not None else None,
        places=placement_rules.places_allowed(company.employees if company else None),
        Form=Form,
    ), (422 if form.errors else 200)


@bp.route("/tasks/new", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def new_task():
    """Write a task; it is saved as a draft to publish when ready."""
    if current_user.company is None:
        flash(_("Register your company before you post a task."), "info")
        return redirect(url_for("entrepreneur.company"))
    form = TaskForm()
    if form.validate_on_submit():
        try:
            task = tasks.create_task(current_user, _task_info(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("The task is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("entrepreneur.manage_task", task_id=task.id))
    return _render_task_form(form)


@bp.route("/tasks/<id:task_id>/edit", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def edit_task(task_id: int):
    """Edit a draft or open task."""
    task = tasks.get_task_for_owner(current_user, task_id)
    if not task.is_editable:
        flash(_("Only draft and open tasks can be edited."), "error")
        return redirect(url_for("entrepreneur.manage_task", task_id=task.id))
    form = TaskForm(obj=task)
    if request.method == "GET":
        locale = str(get_locale())
        form.required_skills.data = ", ".join(
            skill_label(s.skill, s.label, locale) for s in task.required_skills
        )
        form.nice_skills.data = ", ".join(
            skill_label(s.skill, s.label, locale) for s in task.nice_skills
        )
    if form.validate_on_submit():
        try:
            tasks.update_task(current_user, task.id, _task_info(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("The task is saved."), "success")
            return redirect(url_for("entrepreneur.manage_task", task_id=task.id))
    return _render_task_form(form, task)


@bp.route("/tasks/<id:task_id>/<action>", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def task_action(task_id: int, action: str):
    """Publish, close, complete or cancel."""
    if action not in TASK_ACTIONS:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            tasks.change_task_status(current_user, task_id, action, reason=form.reason.data or "")
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            flash(TASK_ACTIONS[action](), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("entrepreneur.manage_task", task_id=task_id))


@bp.route("/tasks/<id:task_id>/cancel", methods=["GET"])
@role_required(Role.ENTREPRENEUR)
def confirm_cancel(task_id: int):
    """Ask before cancelling: who is affected, and an optional reason they will see."""
    task = tasks.get_task_for_owner(current_user, task_id)
    if not task.can("cancel"):
        flash(_("This task can no longer be cancelled."), "error")
        return redirect(url_for("entrepreneur.manage_task", task_id=task.id))
    return render_template(
        "confirm.html",
        form=ConfirmForm(formdata=None),
        title=_("Cancel “%(task)s”?", task=task.title),
        question=_("The task is taken down and no one can apply any more."),
        consequence=_(
            "Graduates who applied or were accepted are told it is cancelled, with your reason."
        ),
        reason_hint=_("For example: the need went away, or we found another solution."),
        action=url_for("entrepreneur.task_action", task_id=task.id, action="cancel"),
        confirm_label=_("Cancel task"),
        back=url_for("entrepreneur.manage_task", task_id=task.id),
    )


@bp.route("/tasks/<id:task_id>/candidates/<id:jobseeker_id>")
@role_required(Role.ENTREPRENEUR)
def candidate(task_id: int, jobseeker_id: int):
    """A suggested graduate's profile (what they chose to show), with why they fit and the
    invitation form with an optional personal message."""
    found = recommendations.candidate_for(
        matching_index(), current_user, task_id, jobseeker_id, locale=str(get_locale())
    )
    return render_template(
        "entrepreneur/candidate.html",
        task=found.task,
        c=found.candidate,
        invitation=found.invitation,
        experience=profiles.verified_experience(jobseeker_id),
        form=InviteForm(),
    )


@bp.route("/tasks/<id:task_id>/invite/<id:jobseeker_id>", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def invite(task_id: int, jobseeker_id: int):
    """Invite a suggested graduate to apply, with an optional message; they are notified."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            application_service.invite_jobseeker(
                matching_index(), current_user, task_id, jobseeker_id, form.message.data or ""
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            flash(_("The graduate is invited."), "success")
            return redirect(url_for("entrepreneur.manage_task", task_id=task_id))
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
    return redirect(url_for("entrepreneur.candidate", task_id=task_id, jobseeker_id=jobseeker_id))


@bp.route("/tasks/<id:task_id>")
@role_required(Role.ENTREPRENEUR)
def manage_task(task_id: int):
    """The owner's view of a task: status controls and applicants."""
    task, applications = application_service.applications_for_task(current_user, task_id)
    taken = sum(1 for a in applications if tasks.takes_a_place(a.status))
    new = notifications.new_applicants_by_task(current_user.id)
    notifications.mark_task_read(
        current_user.id, task.id, (NotificationKind.NEW_APPLICATION, NotificationKind.WITHDRAWN)
    )
    unread = {
        jobseeker_id: n
        for (thread_task, jobseeker_id), n in conversations.unread_by_thread(current_user).items()
        if thread_task == task.id
    }
    return render_template(
        "entrepreneur/manage_task.html",
        task=task,
        applications=applications,
        new_applicants=new.get(task.id, 0),
        unread=unread,
        invitations=application_service.invitations_for_task(current_user, task.id),
        candidates=recommendations.recommend_candidates(
            matching_index(), current_user, task.id, k=10, locale=str(get_locale())
        ),
        taken=taken,
        placement_of=_placements_of(task, applications),
        places_left=tasks.places_left(task.capacity, taken),
        actions=tasks.offered_actions(task, taken),
        form=EmptyForm(),
        TaskStatus=TaskStatus,
    )


def _placements_of(task, applications) -> dict:
    """The placements of the task's applications, by application id (one query; none for a
    task without applications)."""
    ids = {a.id for a in applications}
    if not ids:
        return {}
    return {
        p.application_id: p
        for p in placements.placements_for(current_user, application_ids=sorted(ids))
    }


@bp.route("/applications/<id:application_id>")
@role_required(Role.ENTREPRENEUR)
def applicant(application_id: int):
    """An applicant's profile and verified experience."""
    application = application_service.get_application_for_owner(current_user, application_id)
    thread = conversations.thread_of_application(current_user, application.id)
    return render_template(
        "entrepreneur/applicant.html",
        application=application,
        profile=profiles.load_profile(application.jobseeker_id),
        experience=profiles.verified_experience(application.jobseeker_id),
        contact=conversations.contact_of(thread, current_user),
        placement=application.placement,
        unread=conversations.unread_by_thread(current_user).get(
            (application.task_id, application.jobseeker_id), 0
        ),
        form=EmptyForm(),
    )


@bp.route("/applications/<id:application_id>/reject", methods=["GET"])
@role_required(Role.ENTREPRENEUR)
def confirm_reject(application_id: int):
    """Ask before rejecting, with an optional reason the graduate will see."""
    application = application_service.get_application_for_owner(current_user, application_id)
    if not application.can_decide:
        flash(_("Only pending applications can be rejected."), "error")
        return redirect(url_for("entrepreneur.applicant", application_id=application.id))
    return render_template(
        "confirm.html",
        form=ConfirmForm(formdata=None),
        title=_("Reject %(name)s?", name=application.jobseeker.name),
        question=_(
            "%(name)s is told that the application for “%(task)s” was not accepted.",
            name=application.jobseeker.name,
            task=application.task.title,
        ),
        consequence=None,
        reason_hint=_("A short, kind reason helps the graduate with the next application."),
        action=url_for("entrepreneur.decide", application_id=application.id, decision="reject"),
        confirm_label=_("Reject"),
        back=url_for("entrepreneur.applicant", application_id=application.id),
    )


@bp.route("/applications/<id:application_id>/<decision>", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def decide(application_id: int, decision: str):
    """Accept or reject an applicant."""
    actions = {
        "accept": (application_service.accept_application, lambda: _("The graduate is accepted.")),
        "reject": (
            application_service.reject_application,
            lambda: _("The application is rejected."),
        ),
    }
    if decision not in actions:
        abort(404)
    application = application_service.get_application_for_owner(current_user, application_id)
    if decision == "accept" and application.task.is_praktik:
        # A praktik is accepted with its purpose and start, on its own page.
        return redirect(url_for("entrepreneur.accept_praktik", application_id=application.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        service, message = actions[decision]
        try:
            if decision == "reject":
                service(current_user, application_id, reason=form.reason.data or "")
            else:
                service(current_user, application_id)
        except DomainError as error:
            show_domain_error(None, error)
        else:
            flash(message(), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("entrepreneur.manage_task", task_id=application.task_id))


@bp.route("/applications/<id:application_id>/accept-praktik", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def accept_praktik(application_id: int):
    """Accept a graduate for a virksomhedspraktik: write its purpose and start; it then
    waits for the job centre's approval."""
    application = application_service.get_application_for_owner(current_user, application_id)
    task = application.task
    back = url_for("entrepreneur.applicant", application_id=application.id)
    if not task.is_praktik:
        return redirect(back)
    if not application.can_decide:
        flash(_("Only pending applications can be accepted."), "error")
        return redirect(back)
    form = PlacementForm()
    if request.method == "GET":
        form.purpose.data = task.learning or ""
        form.start_on.data = placements.next_monday(tasks.today())
    refusal = None
    if form.validate_on_submit():
        try:
            application_service.accept_application(
                current_user,
                application.id,
                placements.PlacementPlan(purpose=form.purpose.data, start_on=form.start_on.data),
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            if error.field and getattr(form, error.field, None) is not None:
                show_domain_error(form, error)
            else:  # the ratio rule, no places left, no longer pending: nothing to correct
                refusal = str(error.message)
        else:
            flash(
                _(
                    "%(name)s is accepted. The virksomhedspraktik now awaits the job centre's "
                    "approval: the work may start only when it is approved.",
                    name=application.jobseeker.name,
                ),
                "success",
            )
            return redirect(url_for("entrepreneur.manage_task", task_id=task.id))
    company = task.company
    return render_template(
        "entrepreneur/accept_praktik.html",
        form=form,
        application=application,
        task=task,
        refusal=refusal,
        places=placement_rules.places_allowed(company.employees),
        employees=company.employees,
    ), (422 if (form.errors or refusal) else 200)


@bp.route("/applications/<id:application_id>/complete", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def complete(application_id: int):
    """Mark the work completed, write a reference and confirm the skills used."""
    application = application_service.get_application_for_owner(current_user, application_id)
    locale = str(get_locale())
    form = CompleteForm()
    form.skills_used.choices = [
        SelectChoice(s.id, skill_label(s.skill, s.label, locale)) for s in application.task.skills
    ]
    if request.method == "GET":
        form.skills_used.data = [s.id for s in application.task.required_skills]
    if form.validate_on_submit():
        try:
            application_service.complete_application(
                current_user,
                application.id,
                application_service.ReferenceInfo(
                    rating=int(form.rating.data),
                    text=form.reference.data,
                    skill_ids=tuple(form.skills_used.data or ()),
                ),
            )
        except application_service.CompletionTooEarly as error:
            # The page again with what was typed, and the service's message saying from when.
            flash(str(error.message), "error")
            return render_template(
                "entrepreneur/complete.html", form=form, application=application, earliest=None
            ), 409
        except DomainError as error:
            if error.field is None:  # a state conflict: nothing to correct in the form
                flash(str(error.message), "error")
                return redirect(url_for("entrepreneur.manage_task", task_id=application.task_id))
            show_domain_error(form, error)
        else:
            flash(_("The work is marked completed and the reference is saved."), "success")
            return redirect(url_for("entrepreneur.manage_task", task_id=application.task_id))
    earliest = application_service.earliest_completion(application)
    return render_template(
        "entrepreneur/complete.html",
        form=form,
        application=application,
        earliest=earliest if earliest > utcnow() else None,
    ), (422 if form.errors else 200)
