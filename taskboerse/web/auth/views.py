"""Sign-up, login, logout, password change and password reset."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup

from taskboerse.extensions import limiter
from taskboerse.models import Role
from taskboerse.models.user import SELF_SIGNUP_ROLES
from taskboerse.services import accounts, notifications, password_reset, privacy, signups
from taskboerse.services.access_log import access_log_of
from taskboerse.services.errors import DomainError
from taskboerse.services.login_throttle import account_key
from taskboerse.services.security import security_event
from taskboerse.web.access import (
    SESSION_TOKEN_KEY,
    client_ip,
    log_lockout,
    login_result,
    login_wait,
    remember_device,
    too_many_attempts,
)
from taskboerse.web.auth.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
    notification_settings_form,
)
from taskboerse.web.forms import EmptyForm, safe_next, show_domain_error

bp = Blueprint("auth", __name__, url_prefix="/auth")


# What a browser keeps across login and logout: its language, and the marker that tells an
# admin when one browser signed up both a graduate and an entrepreneur (services/signups.py).
KEPT_ACROSS_LOGIN = ("lang", signups.SESSION_KEY)


def _start_session(user) -> None:
    """A fresh session id at every login (no fixation), tied to a server-side record."""
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    token = accounts.start_login_session(user)
    login_user(user)
    session[SESSION_TOKEN_KEY] = token
    session.update(kept)


def _forget_browser() -> None:
    """Log this browser out and empty its session, keeping its language and sign-up marker."""
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    logout_user()
    session.clear()
    session.update(kept)


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


# The roles a sign-up link may preselect (``/auth/signup?role=mentor``).
SIGNUP_ROLE_CODES = tuple(role.value for role in SELF_SIGNUP_ROLES)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.shared_limit(_signup_limit, scope="signup", methods=["POST"])
def signup():
    """Self-registration for graduates, entrepreneurs and mentors."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignupForm()
    if request.method == "GET" and request.args.get("role") in SIGNUP_ROLE_CODES:
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
            marker = session.setdefault(signups.SESSION_KEY, signups.new_session_marker())
            signups.record_signup(user, client_ip(), marker)
            _start_session(user)
            flash(_("Welcome to Taskbørs, %(name)s!", name=user.name), "success")
            if user.role == Role.ENTREPRENEUR:
                return redirect(url_for("entrepreneur.company"))
            if user.role == Role.MENTOR:
                return redirect(url_for("mentors.profile"))
            return redirect(url_for("jobseeker.edit_profile"))
    return render_template("auth/signup.html", form=form), 422 if form.errors else 200


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], on_breach=log_lockout)
def login():
    """Log in; a failure never says whether the email exists. Each account gets a growing
    delay after repeated wrong passwords, counted from the same form the login reads."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        wait = login_wait(form.email.data)
        if wait:
            return _locked_out(form, wait)
        user = accounts.authenticate(form.email.data, form.password.data)
        login_result(form.email.data, ok=user is not None)
        if user is None:
            security_event("login_failed", account=account_key(form.email.data), ip=client_ip())
            form.password.errors = [_("Wrong email or password.")]
        else:
            security_event("login_ok", user=user.id, ip=client_ip())
            _start_session(user)
            target = safe_next(request.args.get("next")) or url_for("main.dashboard")
            response = redirect(target)
            remember_device(response, form.email.data)
            return response
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


def _reset_offer() -> Markup:
    """The way out of a lockout, shown in its message: a link to choose a new password."""
    return Markup('<a href="{}">{}</a>').format(
        url_for("auth.reset_request"), _("Forgot your password? Get a link to set a new one.")
    )


def _locked_out(form: LoginForm, wait: int, message: str | None = None):
    """The login form again (the email kept) with how long to wait and the way to a new
    password; ``message`` for a limit on the address rather than the account."""
    form.password.errors = [message or too_many_attempts(wait), _reset_offer()]
    response = current_app.make_response((render_template("auth/login.html", form=form), 429))
    response.headers["Retry-After"] = str(wait)
    return response


def _limit_wait() -> int:
    """Seconds until the rate limit this request broke lets the address in again."""
    current = limiter.current_limit
    return max(1, current.reset_at - int(time.time())) if current else 60


@bp.errorhandler(RateLimitExceeded)
def rate_limited(error: RateLimitExceeded):
    """A per-address limit: the login and reset forms answer on their own page (the login
    one with the way to a new password); other pages get the site's error page."""
    wait = _limit_wait()
    minutes = max(1, -(-wait // 60))
    if request.endpoint == "auth.login":
        message = _(
            "Too many login attempts from this address. Try again in %(num)d min.", num=minutes
        )
        return _locked_out(LoginForm(), wait, message)
    if request.endpoint == "auth.reset_request":
        return _reset_refused(ResetRequestForm(), wait)
    return render_template("errors/error.html", status=429), 429


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out everywhere: every session and API token of the user ends on the server, so
    no old cookie or token works any more."""
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            accounts.end_all_sessions(current_user.id)
        else:
            accounts.end_login_session(session.get(SESSION_TOKEN_KEY))
        _forget_browser()
        flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every session and API token ends, this browser gets a new one."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            _start_session(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form), (422 if form.errors else 200)


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def reset_link_path(token: str) -> str:
    """The path of the page a reset link opens (the email puts BASE_URL in front)."""
    return url_for("auth.reset_password", token=token, _external=False)


def _reset_refused(form: ResetRequestForm, wait: int):
    """The request form again, saying how long to wait (the same for any email)."""
    form.email.errors = [str(password_reset.too_many_requests(wait))]
    page = render_template("auth/reset_request.html", form=form)
    response = current_app.make_response((page, 429))
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/reset", methods=["GET", "POST"])
@limiter.shared_limit(_reset_limit, scope="password-reset", methods=["POST"])
def reset_request():
    """Ask for a link to choose a new password. The answer is the same whether or not an
    account has the email; the limit per address is shared with the API's."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            password_reset.request_reset(form.email.data, reset_link_path)
        except password_reset.TooManyResetRequests as error:
            return _reset_refused(form, error.retry_after)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            security_event(
                "password_reset_requested", account=account_key(form.email.data), ip=client_ip()
            )
            flash(
                _(
                    "If there is an account with this email, a link to choose a new password "
                    "is on its way. The link is valid for %(minutes)d minutes.",
                    minutes=password_reset.valid_minutes(),
                ),
                "info",
            )
            return redirect(url_for("auth.reset_request"))
    return render_template("auth/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through a link from the email; a dead link gets a page that
    says why and offers a new one. Afterwards every session ends, this browser's too."""
    try:
        password_reset.check_link(token)
    except password_reset.ResetLinkInvalid as error:
        page = render_template("auth/reset_password.html", form=None, problem=error.message)
        return page, error.status_code
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = password_reset.reset_password(token, form.password.data)
        except password_reset.ResetLinkInvalid as error:
            page = render_template("auth/reset_password.html", form=None, problem=error.message)
            return page, error.status_code
        except DomainError as error:
            show_domain_error(form, error)
        else:
            login_result(user.email, ok=True)  # the owner proved it: no login delay left
            _forget_browser()
            flash(
                _(
                    "Your new password is saved, and every device is logged out. "
                    "Log in with the new password."
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
    page = render_template("auth/reset_password.html", form=form, problem=None)
    return page, 422 if form.errors else 200


@bp.route("/account")
@login_required
def account():
    """My data: download everything held about me, or delete my account."""
    return _account_page(DeleteAccountForm())


def _account_page(form: DeleteAccountForm) -> str:
    """My data, with the deletion ``form`` as it stands. A graduate reads their access log
    on the privacy page; entrepreneurs and mentors read theirs here."""
    log = None
    if current_user.role in (Role.ENTREPRENEUR, Role.MENTOR):
        log = access_log_of(current_user, page=request.args.get("page", 1, type=int))
    return render_template(
        "auth/account.html",
        form=form,
        can_delete=current_user.role in privacy.SELF_SERVICE_ROLES,
        log=log,
    )


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def notification_settings():
    """Choose per kind of notification: only in the app, an email at once, or the digest."""
    user = current_user._get_current_object()
    categories = notifications.ROLE_CATEGORIES.get(user.role.value, ())
    current = notifications.preferences(user)
    form = notification_settings_form(
        categories,
        current,
        formdata=request.form if request.method == "POST" else None,
        role=user.role.value,
    )
    if request.method == "POST" and form.validate():
        try:
            notifications.set_preferences(user, {c.value: form[c.value].data for c in categories})
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Your notification settings are saved."), "success")
            return redirect(url_for("auth.notification_settings"))
    return render_template(
        "auth/notifications.html",
        form=form,
        categories=categories,
        digest_hour=current_app.config["DIGEST_HOUR"],
    ), (422 if form.errors else 200)


@bp.route("/account/export.json")
@login_required
def export_data():
    """Everything held about me as JSON (GDPR art. 15)."""
    data = privacy.export_personal_data(current_user)
    security_event("export", actor=current_user.id, what="own_data")
    response = jsonify(data)
    response.headers["Content-Disposition"] = 'attachment; filename="mine-data-taskboerse.json"'
    return response


@bp.route("/account/delete", methods=["POST"])
@login_required
def delete_account():
    """Delete my account (GDPR art. 17): my data is erased and I am logged out everywhere."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            privacy.delete_own_account(current_user._get_current_object(), form.password.data)
        except DomainError as error:
            if error.status_code == 403:
                raise
            show_domain_error(form, error)
        else:
            _forget_browser()
            flash(_("Your account and your data are deleted."), "info")
            return redirect(url_for("main.index"))
    return _account_page(form), 422
