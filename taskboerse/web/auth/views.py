"""Sign-up, login and logout."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from taskboerse.extensions import limiter
from taskboerse.models import Role
from taskboerse.services import accounts
from taskboerse.services.errors import DomainError
from taskboerse.web.auth.forms import LoginForm, PasswordForm, SignupForm
from taskboerse.web.auth_support import SESSION_TOKEN_KEY
from taskboerse.web.forms_support import EmptyForm, safe_next, show_domain_error

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _start_session(user) -> None:
    """A fresh session id at every login (no fixation), tied to a server-side record."""
    lang = session.get("lang")
    session.clear()
    token = accounts.start_login_session(user)
    login_user(user)
    session[SESSION_TOKEN_KEY] = token
    if lang:
        session["lang"] = lang


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Self-registration for graduates and entrepreneurs."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignupForm()
    if request.method == "GET" and request.args.get("role") in ("jobseeker", "entrepreneur"):
        form.role.data = request.args["role"]
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(
                accounts.NewUser(
                    email=form.email.data,
                    name=form.name.data,
                    role=Role(form.role.data),
                    password=form.password.data,
                    locale=str(get_locale()),
                )
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            _start_session(user)
            flash(_("Welcome to Taskbørs, %(name)s!", name=user.name), "success")
            if user.role == Role.ENTREPRENEUR:
                return redirect(url_for("entrepreneur.company"))
            return redirect(url_for("jobseeker.edit_profile"))
    return render_template("auth/signup.html", form=form), 422 if form.errors else 200


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in; a failure never says whether the email exists."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors = [_("Wrong email or password.")]
        else:
            _start_session(user)
            target = safe_next(request.args.get("next")) or url_for("main.dashboard")
            return redirect(target)
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    """End the login session on the server too, so the old cookie is worthless."""
    form = EmptyForm()
    if form.validate_on_submit():
        accounts.end_login_session(session.get(SESSION_TOKEN_KEY))
        lang = session.get("lang")
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; other browsers and all API tokens are logged out."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user,
                form.current.data,
                form.password.data,
                keep_session=session.get(SESSION_TOKEN_KEY),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form), (422 if form.errors else 200)
