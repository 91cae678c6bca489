"""The admin area: users and roles, caseworker assignments, company verification (also for
caseworkers), the access log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import Role
from taskboerse.services import accounts, assignments, companies, signups
from taskboerse.services.access_log import AccessLogQuery, search_access_log
from taskboerse.services.errors import DomainError
from taskboerse.services.security import security_event
from taskboerse.web.access import role_required
from taskboerse.web.admin.forms import AccessLogSearchForm, AssignForm, NewUserForm
from taskboerse.web.forms import ConfirmForm, EmptyForm, flash_form_errors, show_domain_error

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    """All users with their roles, and a warning about graduate and entrepreneur accounts
    that look like one person's."""
    return render_template(
        "admin/users.html",
        users=accounts.list_users(),
        pairs=signups.shared_signups(current_user),
        form=EmptyForm(),
    )


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
        action=url_for("admin.set_disabled", user_id=user.id, action="disable"),
        confirm_label=_("Disable"),
        back=url_for("admin.users") + f"#user-{user.id}",
    )


@bp.route("/users/<id:user_id>/<action>", methods=["POST"])
@role_required(Role.ADMIN)
def set_disabled(user_id: int, action: str):
    """Disable (ending all sessions) or enable a user."""
    if action not in ("disable", "enable"):
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            accounts.set_user_disabled(
                current_user, user_id, action == "disable", reason=form.reason.data or ""
            )
        except DomainError as error:
            if error.status_code == 404:
                raise
            show_domain_error(None, error)
        else:
            security_event(f"account_{action}d", actor=current_user.id, user=user_id)
            flash(_("The user is updated."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("admin.users"))


@bp.route("/companies")
@role_required(Role.ADMIN, Role.CASEWORKER)
def companies_page():
    """Every company, unverified first, with a button to verify it or remove verification."""
    return render_template(
        "admin/companies.html", companies=companies.list_companies(current_user), form=EmptyForm()
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
            assignments.assign_caseworker(current_user, form.caseworker.data, form.jobseeker.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("The graduate is assigned."), "success")
            return redirect(url_for("admin.caseload_page"))
    return render_template(
        "admin/caseload.html",
        form=form,
        assignments=assignments.list_assignments(current_user),
        button_form=EmptyForm(),
    ), (422 if form.errors else 200)


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
