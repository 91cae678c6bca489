"""Calendar files: an accepted application's deadline as .ics, the private feed, the page that
makes and stops the feed link, and the agreed start date (posted from the conversation)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from taskboerse.models import Application, Role
from taskboerse.services import calendar, conversations
from taskboerse.services.errors import DomainError
from taskboerse.web.access import role_required
from taskboerse.web.calendar.forms import StartDateForm
from taskboerse.web.forms import EmptyForm, flash_form_errors

bp = Blueprint("calendar", __name__)


def ics_response(content: bytes, filename: str | None = None) -> Response:
    """An iCalendar answer (text/calendar; charset=utf-8); with ``filename`` a download."""
    response = Response(content, mimetype="text/calendar")
    if filename:
        response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


@bp.app_template_global()
def start_date_form(application: Application | None) -> StartDateForm | None:
    """The start-date form for the conversation page, or None when the reader may not agree
    one (the service's rule: the owner or the graduate, while accepted)."""
    if not current_user.is_authenticated or not calendar.may_agree_start_date(
        current_user, application
    ):
        return None
    return StartDateForm(formdata=None, obj=application)


@bp.route("/applications/<id:application_id>/calendar.ics")
@login_required
def application_ics(application_id: int):
    """The application's deadline (and agreed start date) to add to one's own calendar; 404
    for anyone but its accepted graduate and the task's owner."""
    found = calendar.application_calendar(current_user, application_id)
    return ics_response(found.content, found.filename)


@bp.route("/calendar/<token>.ics")
def feed(token: str):
    """The private feed a calendar app subscribes to: no login, the secret token is the key;
    a wrong, replaced or revoked token is a 404. Answers are never cached (security_headers),
    so a revoked link stops at once."""
    response = ics_response(calendar.feed_for_token(token))
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _feed_page(link: str | None = None):
    return render_template(
        "calendar/feed.html",
        has_feed=calendar.has_feed(current_user),
        link=link,
        webcal=("webcal://" + link.split("://", 1)[1]) if link else None,
        form=EmptyForm(formdata=None),
    )


@bp.route("/account/calendar")
@role_required(Role.JOBSEEKER, Role.ENTREPRENEUR)
def feed_settings():
    """Whether the user has a feed link, how to subscribe, and the buttons to make or stop it."""
    return _feed_page()


@bp.route("/account/calendar/new", methods=["POST"])
@role_required(Role.JOBSEEKER, Role.ENTREPRENEUR)
def create_feed():
    """Make a new feed link and show it this once (the page is the answer to the POST, so
    the token never sits in a session or a redirect); an older link stops working."""
    form = EmptyForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("calendar.feed_settings"))
    token = calendar.create_feed_token(current_user)
    link = current_app.config["BASE_URL"] + url_for("calendar.feed", token=token)
    flash(_("Your calendar link is ready. Copy it now: it is shown only this once."), "success")
    return _feed_page(link)


@bp.route("/account/calendar/revoke", methods=["POST"])
@role_required(Role.JOBSEEKER, Role.ENTREPRENEUR)
def revoke_feed():
    """Stop the feed link at once; calendars subscribed to it get nothing new."""
    form = EmptyForm()
    if form.validate_on_submit():
        calendar.revoke_feed(current_user)
        flash(_("The calendar link is stopped."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("calendar.feed_settings"))


@bp.route("/applications/<id:application_id>/start-date", methods=["POST"])
@role_required(Role.JOBSEEKER, Role.ENTREPRENEUR)
def set_start_date(application_id: int):
    """Set or clear the agreed start date from the conversation page, then back to it; a
    refused date is said there and nothing changes."""
    thread = conversations.thread_of_application(current_user, application_id)
    # No #fragment: the page opens at the top, where the flash says what happened.
    back = url_for("messages.thread", task_id=thread.task.id, jobseeker_id=thread.jobseeker.id)
    form = StartDateForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    try:
        application = calendar.agree_start_date(current_user, application_id, form.start_on.data)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(back)
    if application.start_on is None:
        flash(_("The start date is removed."), "success")
    else:
        flash(_("The start date is saved. It is in the calendar file too."), "success")
    return redirect(back)
