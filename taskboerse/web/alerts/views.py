"""Saved searches and their alerts: save the current search, list, change, delete, and
unsubscribe in one click from an email."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import Role, SavedSearch
from taskboerse.services import saved_searches as alert_service
from taskboerse.services.errors import DomainError
from taskboerse.services.saved_searches import SavedSearchInfo
from taskboerse.web.access import role_required
from taskboerse.web.alerts.forms import FrequencyForm, RenameForm, SaveSearchForm
from taskboerse.web.forms import EmptyForm, flash_form_errors, is_whole_number

bp = Blueprint("alerts", __name__)

SAVE_PREFIX = "save"
REMOTE_ARGS = {True: "yes", False: "no"}


def _number(raw: str | None) -> int | None:
    return int(raw) if is_whole_number(raw) else None


def list_args(search: SavedSearch | SavedSearchInfo) -> dict[str, str]:
    """The task list's query string for a saved search ("Show results")."""
    args = {
        "q": search.q,
        "skill": str(search.skill_id) if search.skill_id else "",
        "remote": REMOTE_ARGS.get(search.remote, ""),
        "form": search.form or "",
        "max_hours": str(search.max_hours) if search.max_hours is not None else "",
        "within_km": str(search.within_km) if search.within_km is not None else "",
    }
    return {key: value for key, value in args.items() if value}


def _info_from(form: SaveSearchForm) -> SavedSearchInfo:
    return SavedSearchInfo(
        name=form.name.data or "",
        q=form.q.data or "",
        skill_id=_number(form.skill.data),
        within_km=_number(form.within_km.data),
        max_hours=_number(form.max_hours.data),
        remote={"yes": True, "no": False}.get(form.remote.data or ""),
        frequency=form.frequency.data or "",
        form=form.form.data or None,
    )


@bp.app_template_global("save_search_form")
def save_search_form(search_form) -> SaveSearchForm:
    """The "save this search" form for the task list, filled from its valid filters (the
    task list's ``TaskSearchForm`` after validation) with a suggested name."""

    def ok(name: str) -> str:
        field = search_form[name]
        return "" if field.errors or field.data is None else str(field.data)

    form = SaveSearchForm(formdata=None, prefix=SAVE_PREFIX)
    form.q.data = ok("q").strip()
    form.skill.data = ok("skill") if is_whole_number(ok("skill")) else ""
    form.remote.data = ok("remote") if ok("remote") in ("yes", "no") else ""
    form.form.data = ok("form") if ok("form") in ("praktik", "paid", "voluntary") else ""
    form.max_hours.data = ok("max_hours")
    form.within_km.data = ok("within_km") if is_whole_number(ok("within_km")) else ""
    form.name.data = alert_service.suggest_name(_info_from(form), str(get_locale()))
    return form


def _rows(searches: list[SavedSearch]) -> list[dict]:
    locale = str(get_locale())
    return [
        {
            "search": s,
            "filters": alert_service.describe_filters(s, locale=locale),
            "args": list_args(s),
            "form": FrequencyForm(formdata=None, frequency=s.frequency.value, prefix=f"s{s.id}"),
            "rename": RenameForm(formdata=None, name=s.name, prefix=f"r{s.id}"),
        }
        for s in searches
    ]


@bp.get("/saved-searches")
@role_required(Role.JOBSEEKER)
def saved_searches():
    """The graduate's saved searches with their alerts, and "new tasks that fit you"."""
    searches = alert_service.list_saved_searches(current_user)
    recommended = alert_service.recommended_frequency(current_user)
    return render_template(
        "alerts/saved_searches.html",
        rows=_rows(searches),
        limit=alert_service.MAX_SAVED_SEARCHES,
        recommended_form=FrequencyForm(formdata=None, frequency=recommended.value, prefix="rec"),
        recommended_on=recommended.value != "none",
    )


@bp.post("/saved-searches")
@role_required(Role.JOBSEEKER)
def create():
    """Save the task list's current search; back to the list with a flash (or back to the
    task list with the reason when it cannot be saved)."""
    form = SaveSearchForm(prefix=SAVE_PREFIX)
    if form.validate_on_submit():
        info = _info_from(form)
        try:
            search = alert_service.create_saved_search(current_user, info)
        except DomainError as error:
            flash(_("The search was not saved: %(reason)s", reason=error.message), "error")
            return redirect(url_for("tasks.browse", **list_args(info)))
        label = alert_service.frequency_label(search.frequency)
        flash(
            _("“%(name)s” is saved. Alerts: %(frequency)s.", name=search.name, frequency=label),
            "success",
        )
        return redirect(url_for("alerts.saved_searches"))
    reasons = " ".join(str(e) for errors in form.errors.values() for e in errors)
    flash(_("The search was not saved: %(reason)s", reason=reasons), "error")
    return redirect(url_for("tasks.browse", **list_args(_info_from(form))))


@bp.post("/saved-searches/<id:search_id>/frequency")
@role_required(Role.JOBSEEKER)
def set_frequency(search_id: int):
    """Change how often a saved search alerts."""
    form = FrequencyForm(prefix=f"s{search_id}")
    if form.validate_on_submit():
        search = alert_service.set_frequency(current_user, search_id, form.frequency.data)
        label = alert_service.frequency_label(search.frequency)
        flash(
            _("Alerts for “%(name)s”: %(frequency)s.", name=search.name, frequency=label),
            "success",
        )
    else:
        alert_service.get_saved_search(current_user, search_id)  # 404 for others' ids
        flash_form_errors(form)
    return redirect(url_for("alerts.saved_searches"))


@bp.post("/saved-searches/<id:search_id>/rename")
@role_required(Role.JOBSEEKER)
def rename(search_id: int):
    """Give a saved search another name."""
    form = RenameForm(prefix=f"r{search_id}")
    if form.validate_on_submit():
        try:
            search = alert_service.rename_saved_search(current_user, search_id, form.name.data)
        except DomainError as error:
            if error.status_code == 404:
                raise
            flash(str(error.message), "error")
        else:
            flash(_("The search is now called “%(name)s”.", name=search.name), "success")
    else:
        alert_service.get_saved_search(current_user, search_id)
        flash_form_errors(form)
    return redirect(url_for("alerts.saved_searches"))


@bp.get("/saved-searches/<id:search_id>/delete")
@role_required(Role.JOBSEEKER)
def confirm_delete(search_id: int):
    """Ask before deleting a saved search."""
    search = alert_service.get_saved_search(current_user, search_id)
    return render_template("alerts/confirm_delete.html", search=search, form=EmptyForm())


@bp.post("/saved-searches/<id:search_id>/delete")
@role_required(Role.JOBSEEKER)
def delete(search_id: int):
    """Delete a saved search."""
    if EmptyForm().validate_on_submit():
        search = alert_service.get_saved_search(current_user, search_id)
        name = search.name
        alert_service.delete_saved_search(current_user, search_id)
        flash(_("“%(name)s” is deleted.", name=name), "success")
    else:
        alert_service.get_saved_search(current_user, search_id)
        flash(_("The search was not deleted. Try again."), "error")
    return redirect(url_for("alerts.saved_searches"))


@bp.post("/saved-searches/recommended")
@role_required(Role.JOBSEEKER)
def set_recommended():
    """Switch "new tasks that fit you" on with a frequency, or off."""
    form = FrequencyForm(prefix="rec")
    if form.validate_on_submit():
        search = alert_service.set_recommended_alert(current_user, form.frequency.data)
        label = alert_service.frequency_label(search.frequency)
        flash(_("Alerts about new tasks that fit you: %(frequency)s.", frequency=label), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("alerts.saved_searches"))


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """One-click unsubscribe from an alert email, without logging in. The GET only asks (mail
    scanners open links); the button POSTs, with the CSRF token of the page."""
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        search = alert_service.unsubscribe(token)
        return render_template(
            "alerts/unsubscribed.html",
            name=alert_service.display_name(search) if search is not None else None,
        )
    search = alert_service.search_for_token(token)
    if request.method == "POST":
        flash_form_errors(form)
    return render_template(
        "alerts/unsubscribe.html",
        form=form,
        token=token,
        name=alert_service.display_name(search) if search is not None else None,
        already=search is not None and search.frequency.value == "none",
    ), (400 if request.method == "POST" else 200)
