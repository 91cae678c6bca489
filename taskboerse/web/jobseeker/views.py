"""The graduate's area: dashboard, profile, applications, CV."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.labels import education_suggestions
from taskboerse.models import Role
from taskboerse.services import applications as application_service
from taskboerse.services import (
    clock,
    consent,
    conversations,
    follow_up,
    profiles,
    recommendations,
)
from taskboerse.services.access_log import access_log_of
from taskboerse.services.cv import build_cv_pdf
from taskboerse.services.errors import DomainError
from taskboerse.services.skills import language_names
from taskboerse.web.access import role_required
from taskboerse.web.forms import ConfirmForm, EmptyForm, flash_form_errors, show_domain_error
from taskboerse.web.jobseeker.forms import ConsentForm, ProfileForm
from taskboerse.web.matching import matching_index

bp = Blueprint("jobseeker", __name__, url_prefix="/jobseeker")


@bp.route("/")
@role_required(Role.JOBSEEKER)
def dashboard():
    """Deadlines and applications first, then recommendations and the experience so far."""
    applications = application_service.applications_of_jobseeker(current_user)
    return render_template(
        "jobseeker/dashboard.html",
        applications=applications,
        deadlines=application_service.upcoming_deadlines(applications, clock.today()),
        profile=profiles.load_profile(current_user.id),
        experience=profiles.verified_experience(current_user.id),
        unread=conversations.unread_by_thread(current_user),
        recommendations=recommendations.recommend_tasks(
            matching_index(), current_user, k=10, locale=str(get_locale())
        ),
        flags=follow_up.own_flags(current_user),
        shares=consent.shares_with_jobcentre(current_user),
        form=EmptyForm(),
    )


@bp.route("/privacy")
@role_required(Role.JOBSEEKER)
def privacy():
    """Consent to share with the job centre, and when and why my data was looked at."""
    page = request.args.get("page", 1, type=int) or 1
    return render_template(
        "jobseeker/privacy.html",
        consent=consent.consent_of(current_user),
        log=access_log_of(current_user, page=page),
        form=ConsentForm(formdata=None),
    )


@bp.route("/consent", methods=["POST"])
@role_required(Role.JOBSEEKER)
def set_consent():
    """Give or withdraw consent; withdrawal hides my data from every caseworker at once."""
    form = ConsentForm()
    if form.validate_on_submit():
        share = form.share.data == "yes"
        consent.set_consent(current_user, share)
        if share:
            flash(_("You now share your activity with the job centre."), "success")
        else:
            flash(_("You no longer share your activity. No caseworker can see it."), "success")
    else:
        flash(_("The choice was not saved. Try again."), "error")
    return redirect(url_for("jobseeker.privacy"))


@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.JOBSEEKER)
def edit_profile():
    """Edit the profile; typed skills are matched to the vocabulary."""
    profile = profiles.load_profile(current_user.id)
    form = ProfileForm()
    locale = str(get_locale())
    if request.method == "GET" and profile is not None:
        form.degree_level.data = profile.degree_level.value if profile.degree_level else ""
        form.field.data = profile.field
        form.institution.data = profile.institution
        form.graduation_year.data = profile.graduation_year
        form.skills.data = ", ".join(
            s.skill.label(locale) if s.skill else s.label for s in profile.skills
        )
        form.languages.data = ", ".join(language_names(profile.languages, locale))
        form.hours_per_week.data = profile.hours_per_week
        form.postcode.data = profile.postcode
        form.remote_ok.data = profile.remote_ok
        form.max_distance_km.data = profile.max_distance_km
        form.about.data = profile.about
        form.phone.data = profile.phone
        form.show_ratings.data = profile.show_ratings
    elif request.method == "GET":
        form.remote_ok.data = True
    if form.validate_on_submit():
        try:
            profiles.save_profile(
                current_user,
                profiles.ProfileInfo(
                    degree_level=form.degree_level.data or None,
                    field=form.field.data or "",
                    institution=form.institution.data or "",
                    graduation_year=form.graduation_year.data,
                    skills=form.skills.data or "",
                    languages=form.languages.data or "",
                    hours_per_week=form.hours_per_week.data,
                    postcode=form.postcode.data or "",
                    remote_ok=form.remote_ok.data,
                    about=form.about.data or "",
                    max_distance_km=form.max_distance_km.data or 25,
                    phone=form.phone.data or "",
                    show_ratings=bool(form.show_ratings.data),
                ),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("jobseeker.dashboard"))
    return render_template(
        "jobseeker/profile_form.html", form=form, educations=education_suggestions()
    ), (422 if form.errors else 200)


@bp.route("/applications/<id:application_id>/withdraw", methods=["GET"])
@role_required(Role.JOBSEEKER)
def confirm_withdraw(application_id: int):
    """Ask before withdrawing, with an optional reason the company will see."""
    application = application_service.get_application_for_jobseeker(current_user, application_id)
    if not application.can_withdraw:
        flash(_("This application can no longer be withdrawn."), "error")
        return redirect(url_for("jobseeker.dashboard"))
    again = (
        _("You can apply again once while the task is open.")
        if application.reapplied_at is None
        else _("You have already applied again once, so you cannot apply for this task again.")
    )
    return render_template(
        "confirm.html",
        form=ConfirmForm(formdata=None),
        title=_("Withdraw your application for “%(task)s”?", task=application.task.title),
        question=_("The company is told that you withdrew."),
        consequence=again,
        reason_hint=_("For example: I have found a job, or I no longer have the time."),
        action=url_for("jobseeker.withdraw", application_id=application.id),
        confirm_label=_("Withdraw"),
        back=url_for("jobseeker.dashboard"),
    )


@bp.route("/applications/<id:application_id>/withdraw", methods=["POST"])
@role_required(Role.JOBSEEKER)
def withdraw(application_id: int):
    """Withdraw an application."""
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            application_service.withdraw_application(
                current_user, application_id, reason=form.reason.data or ""
            )
        except DomainError as error:
            if error.status_code == 404:
                raise
            show_domain_error(None, error)
        else:
            flash(_("Your application is withdrawn."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("jobseeker.dashboard"))


@bp.route("/cv.pdf")
@role_required(Role.JOBSEEKER)
def cv():
    """The CV as a PDF with verified task experience."""
    pdf = build_cv_pdf(current_user, str(get_locale()))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="cv-taskboerse.pdf"'},
    )
