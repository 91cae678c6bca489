"""The admin area: users and roles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import Role
from taskboerse.services import accounts
from taskboerse.services.errors import DomainError
from taskboerse.web.admin.forms import NewUserForm
from taskboerse.web.auth_support import role_required
from taskboerse.web.forms_support import EmptyForm, show_domain_error

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    """All users with their roles."""
    return render_template("admin/users.html", users=accounts.list_users(), form=EmptyForm())


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
            flash(_("The account for %(name)s is created.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/new_user.html", form=form), (422 if form.errors else 200)


@bp.route("/users/<id:user_id>/<action>", methods=["POST"])
@role_required(Role.ADMIN)
def set_disabled(user_id: int, action: str):
    """Disable (ending all sessions) or enable a user."""
    if action not in ("disable", "enable"):
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            accounts.set_user_disabled(current_user, user_id, action == "disable")
        except DomainError as error:
            if error.status_code == 404:
                raise
            show_domain_error(None, error)
        else:
            flash(_("The user is updated."), "success")
    return redirect(url_for("admin.users"))
