"""The admin area: users and roles, caseworker assignments, company verification (also for
caseworkers), the access log, the background work."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import Role, User
from taskboerse.services import (
    accounts,
    assignments,
    companies,
    housekeeping,
    password_reset,
    signups,
)
from taskboerse.services.access_log import AccessLogQuery, search_access_log
from taskboerse.services.errors import DomainError
from taskboerse.services.security import security_event
from taskboerse.web.access import role_required
from taskboerse.web.admin.forms import (
    AccessLogSearchForm,
    AssignForm,
    EditUserForm,
    NewUserForm,
    UserSearchForm,
)
from taskboerse.web.auth.views import reset_link_path
from taskboerse.web.forms import (
    ConfirmForm,
    EmptyForm,
    flash_form_errors,
    is_whole_number,
    safe_next,
    show_domain_error,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _users_back(user: User | None = None) -> str:
    """Where to go after acting on a user: the list as the admin left it (``next``), else
    the list searched for the user's email, so the row is on the page."""
    back = safe_next(request.args.get("next"))
    if back is None:
        back = url_for("admin.users", q=user.email) if user else url_for("admin.users")
    return back + (f"#user-{user.id}" if user else "")


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    """The users, searched by name or email and filtered by role and status, 25 a page;
    on the unfiltered first page, a warning about graduate and entrepreneur accounts that
    look like one person's. A bad filter is ignored and said; a bad page number is clamped."""
    form = UserSearchForm(request.args)
    valid = form.validate()
    # Say what happens instead of WTForms' "Not a valid choice".
    if form.role.errors:
        form.role.errors = [_("Unknown role, so every role is shown.")]
    if form.status.errors:
        form.status.errors = [_("Unknown status, so active and disabled users are shown.")]
    raw_page = request.args.get("page", "1")
    page = int(raw_page) if is_whole_number(raw_page) else 1
    query = accounts.UserQuery(
        text=(form.q.data or "") if not form.q.errors else "",
        role=Role(form.role.data) if form.role.data and not form.role.errors else None,
        status=(form.status.data or "") if not form.status.errors else "",
        page=page,
    )
    found = accounts.search_users(current_user, query)
    # The search as typed, for the paging links; a refused value is not carried on.
    args = {}
    for name in ("q", "role", "status"):
        value = request.args.get(name, "")
        if value.strip() and not form[name].errors:
            args[name] = value
    unfiltered = not args and found.page == 1
    return render_template(
        "admin/users.html",
        search=form,
        users=found,
        args=args,
        filtered=bool(args),
        pairs=signups.shared_signups(current_user) if unfiltered else [],
        shown_ids={u.id for u in found.items},
        here=request.full_path,
        form=EmptyForm(),
    ), (200 if valid else 422)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user():
    """Create an account with any role (caseworkers and admins are created only here)."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                accounts.NewUser(
                    email=form.email.data,
                    name=form.name.data,
                    role=Role(form.role.data),
                    password=form.password.data,
                )
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            security_event("role_change", actor=current_user.id, user=user.id, role=user.role.value)
            flash(_("The account for %(name)s is created.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/new_user.html", form=form), (422 if form.errors else 200)


@bp.route("/users/<id:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    """Change a user's name, email or role; the role only when nothing is orphaned, and
    never one's own."""
    user = accounts.get_user(user_id)
    form = EditUserForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.role.data = user.role.value
    own = user.id == current_user.id
    if own:
        del form.role  # an admin keeps their own role
    if form.validate_on_submit():
        try:
            update = accounts.update_user(
                current_user,
                user.id,
                accounts.UserChanges(
                    name=form.name.data,
                    email=form.email.data,
                    role=user.role if own else Role(form.role.data),
                ),
            )
        except DomainError as error:
            if error.status_code == 404:
                raise
            show_domain_error(form, error)
        else:
            edited = update.user
            if update.changed:
                flash(
                    _(
                        "The user %(name)s (%(email)s) is updated.",
                        name=edited.name,
                        email=edited.email,
                    ),
                    "success",
                )
            else:
                flash(_("Nothing was changed for %(name)s.", name=edited.name), "info")
            return redirect(_users_back(edited))
    return render_template(
        "admin/edit_user.html",
        form=form,
        user=user,
        own=own,
        ties=accounts.role_ties(user),
        back=_users_back(user),
    ), (422 if form.errors else 200)


@bp.route("/users/<id:user_id>/reset-password", methods=["GET"])
@role_required(Role.ADMIN)
def confirm_reset(user_id: int):
    """Ask before emailing a user a link to choose a new password."""
    user = accounts.get_user(user_id)
    return render_template(
        "admin/confirm_reset.html",
        form=EmptyForm(formdata=None),
        user=user,
        minutes=password_reset.valid_minutes(),
        action=url_for("admin.send_reset", user_id=user.id, next=request.args.get("next")),
        back=_users_back(user),
    )


@bp.route("/users/<id:user_id>/reset-password", methods=["POST"])
@role_required(Role.ADMIN)
def send_reset(user_id: int):
    """Email the user the usual single-use link to choose a new password."""
    user = accounts.get_user(user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            accounts.send_password_reset(current_user, user.id, reset_link_path)
        except DomainError as error:
            show_domain_error(None, error)
        else:
            flash(
                _(
                    "A link to choose a new password is emailed to %(name)s (%(email)s). It is "
                    "valid for %(minutes)d minutes.",
                    name=user.name,
                    email=user.email,
                    minutes=password_reset.valid_minutes(),
                ),
                "success",
            )
    else:
        flash_form_errors(form)
    return redirect(_users_back(user))


@bp.route("/users/<id:user_id>/disable", methods=["GET"])
@role_required(Role.ADMIN)
def confirm_disable(user_id: int):
    """Ask before disabling, with an optional reason the user is emailed."""
    user = accounts.get_user(user_id)
    return render_template(
        "confirm.html",
        form=ConfirmForm(formdata=None),
        title=_("Disable %(name)s?", name=user.name),
        question=_(
            "%(name)s (%(email)s) is logged out everywhere and cannot log in until the account "
            "is enabled again.",
            name=user.name,
            email=user.email,
        ),
        consequence=_("They are told by email, with your reason."),
        reason_hint=None,
        action=url_for(
            "admin.set_disabled", user_id=user.id, action="disable", next=request.args.get("next")
        ),
        confirm_label=_("Disable"),
        back=_users_back(user),
    )


@bp.route("/users/<id:user_id>/<action>", methods=["POST"])
@role_required(Role.ADMIN)
def set_disabled(user_id: int, action: str):
    """Disable (ending all sessions) or enable a user."""
    if action not in ("disable", "enable"):
        abort(404)
    user = accounts.get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            accounts.set_user_disabled(
                current_user, user.id, action == "disable", reason=form.reason.data or ""
            )
        except DomainError as error:
            show_domain_error(None, error)
        else:
            security_event(f"account_{action}d", actor=current_user.id, user=user_id)
            if user.is_disabled:
                message = _(
                    "The user %(name)s (%(email)s) is disabled.", name=user.name, email=user.email
                )
            else:
                message = _(
                    "The user %(name)s (%(email)s) is enabled again.",
                    name=user.name,
                    email=user.email,
                )
            flash(message, "success")
    else:
        flash_form_errors(form)
    return redirect(_users_back(user))


@bp.route("/companies")
@role_required(Role.ADMIN, Role.CASEWORKER)
def companies_page():
    """Every company, unverified first, with a button to verify it or remove verification."""
    return render_template(
        "admin/companies.html",
        companies=companies.list_companies(current_user),
        form=EmptyForm(),
        can_mark_nonprofit=current_user.role == Role.ADMIN,
    )


@bp.route("/companies/<id:company_id>/<action>", methods=["POST"])
@role_required(Role.ADMIN, Role.CASEWORKER)
def set_company_verified(company_id: int, action: str):
    """Verify a company (its references count as confirmed) or remove the verification."""
    if action not in ("verify", "unverify"):
        abort(404)
    if EmptyForm().validate_on_submit():
        change = companies.verify_company if action == "verify" else companies.unverify_company
        company = change(current_user, company_id)
        if company.is_verified:
            flash(_("%(name)s is verified.", name=company.name), "success")
        else:
            flash(_("%(name)s is no longer verified.", name=company.name), "success")
    return redirect(url_for("admin.companies_page"))


@bp.route("/companies/<id:company_id>/nonprofit/<action>", methods=["POST"])
@role_required(Role.ADMIN)
def set_company_nonprofit(company_id: int, action: str):
    """Mark a company as a registered non-profit association (it may then post voluntary
    work), or remove the mark."""
    if action not in ("mark", "unmark"):
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        company = companies.set_nonprofit(current_user, company_id, action == "mark")
        if company.is_nonprofit:
            flash(
                _(
                    "%(name)s is marked as a registered non-profit association and can post "
                    "voluntary work.",
                    name=company.name,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "%(name)s is no longer marked as a non-profit association.",
                    name=company.name,
                ),
                "success",
            )
    else:
        flash_form_errors(form)
    return redirect(url_for("admin.companies_page") + f"#company-{company_id}")


def _assign_form() -> AssignForm:
    form = AssignForm()
    form.caseworker.choices = [
        (c.email, f"{c.name} ({c.email})") for c in assignments.caseworkers()
    ]
    return form


@bp.route("/caseload", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def caseload_page():
    """Assign graduates to caseworkers; the list shows who consents."""
    form = _assign_form()
    if form.validate_on_submit():
        try:
            assignment = assignments.assign_caseworker(
                current_user, form.caseworker.data, form.jobseeker.data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(
                _(
                    "%(graduate)s (%(email)s) is assigned to %(caseworker)s.",
                    graduate=assignment.jobseeker.name,
                    email=assignment.jobseeker.email,
                    caseworker=assignment.caseworker.name,
                ),
                "success",
            )
            return redirect(url_for("admin.caseload_page"))
    return render_template(
        "admin/caseload.html",
        form=form,
        assignments=assignments.list_assignments(current_user),
        button_form=EmptyForm(),
        suggest_min=assignments.SUGGEST_MIN_LENGTH,
    ), (422 if form.errors else 200)


@bp.route("/graduates/suggest")
@role_required(Role.ADMIN)
def suggest_graduates():
    """Graduates whose name or email holds ``q`` (at least 2 characters, at most 10), with
    their current caseworker, for the assignment form's suggestions."""
    found = assignments.suggest_graduates(current_user, request.args.get("q", "")[:200])
    return jsonify(
        [{"id": g.id, "name": g.name, "email": g.email, "caseworker": g.caseworker} for g in found]
    )


@bp.route("/caseload/<id:jobseeker_id>/unassign", methods=["POST"])
@role_required(Role.ADMIN)
def unassign(jobseeker_id: int):
    """End a graduate's assignment."""
    if EmptyForm().validate_on_submit():
        assignments.unassign(current_user, jobseeker_id)
        flash(_("The assignment is ended."), "success")
    return redirect(url_for("admin.caseload_page"))


@bp.route("/access-log")
@role_required(Role.ADMIN)
def access_log():
    """Search who looked at or exported which graduate's data, when and why."""
    form = AccessLogSearchForm(request.args)
    valid = form.validate()
    page = request.args.get("page", 1, type=int) or 1
    query = AccessLogQuery(page=max(1, min(page, 10_000)))
    if valid:
        query = AccessLogQuery(
            jobseeker=form.jobseeker.data or "",
            actor=form.actor.data or "",
            action=form.action.data or "",
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            page=query.page,
        )
    try:
        entries = search_access_log(current_user, query)
    except DomainError as error:
        show_domain_error(form, error)
        valid = False
        entries = search_access_log(current_user, AccessLogQuery())
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/access_log.html", form=form, entries=entries, args=args), (
        200 if valid else 422
    )


@bp.route("/worker")
@role_required(Role.ADMIN)
def worker_page():
    """The background work: email waiting and failed (with resend), jobs that failed."""
    return render_template("admin/worker.html", status=housekeeping.worker_status())


@bp.route("/worker/messages/<id:message_id>/resend", methods=["POST"])
@role_required(Role.ADMIN)
def resend_message(message_id: int):
    """Put a failed email back in the outbox."""
    if EmptyForm().validate_on_submit():
        message = housekeeping.resend_message(message_id)
        security_event("outbox_resend", actor_id=current_user.id, message_id=message.id)
        flash(
            _("The email is back in the outbox and goes out at the worker's next run."), "success"
        )
    return redirect(url_for("admin.worker_page"))
