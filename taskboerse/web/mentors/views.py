"""Mentors: registering and editing a mentor profile, the mentor's start page, pausing, the
public profile entrepreneurs see, and the approval (or refusal) of new mentors by admins and
business-service staff. Every rule is in services/mentors.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from taskboerse.models import MENTOR_PROGRAMME_ROLES, Role
from taskboerse.services import mentors
from taskboerse.services.companies import sector_label
from taskboerse.services.errors import DomainError
from taskboerse.services.security import security_event
from taskboerse.services.skills import language_names, skill_label
from taskboerse.web.access import role_required
from taskboerse.web.forms import EmptyForm, flash_form_errors, show_domain_error
from taskboerse.web.mentors.forms import MentorProfileForm, RejectMentorForm

bp = Blueprint("mentors", __name__, url_prefix="/mentors")


@bp.context_processor
def inject_labels() -> dict[str, Any]:
    """Sector labels in the reader's language for the mentor pages."""
    return {"sector_label": sector_label}


def _language_labels(profiles) -> dict[str, str]:
    """Every language the profiles list, named in the reader's language, in one look-up."""
    stored = list(dict.fromkeys(lang for p in profiles for lang in p.languages))
    return dict(zip(stored, language_names(stored, str(get_locale())), strict=True))


# --- the mentor's own profile --------------------------------------------------------------


def _fill(form: MentorProfileForm, profile, locale: str) -> None:
    """Put the stored profile (or the defaults of a new one) into the form."""
    if profile is None:
        form.languages.data = ", ".join(language_names(["Dansk"], locale))
        form.hours_per_month.data = str(mentors.DEFAULT_HOURS_PER_MONTH)
        form.capacity.data = str(mentors.DEFAULT_CAPACITY)
        form.max_distance_km.data = str(mentors.DEFAULT_MAX_DISTANCE_KM)
        form.online.data = True
        return
    form.headline.data = profile.headline
    form.bio.data = profile.bio
    form.expertise.data = ", ".join(skill_label(s.skill, s.label, locale) for s in profile.skills)
    form.sectors.data = list(profile.sectors)
    form.languages.data = ", ".join(language_names(profile.languages, locale))
    form.hours_per_month.data = str(profile.hours_per_month)
    form.capacity.data = str(profile.capacity)
    form.postcode.data = profile.postcode
    form.max_distance_km.data = str(profile.max_distance_km)
    form.online.data = profile.online


def _info(form: MentorProfileForm) -> mentors.MentorProfileInfo:
    return mentors.MentorProfileInfo(
        headline=form.headline.data or "",
        bio=form.bio.data or "",
        expertise=form.expertise.data or "",
        sectors=list(form.sectors.data or []),
        languages=form.languages.data or "",
        hours_per_month=form.hours_per_month.data or "",
        capacity=form.capacity.data or "",
        postcode=form.postcode.data or "",
        max_distance_km=form.max_distance_km.data or "",
        online=bool(form.online.data),
    )


@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.MENTOR)
def profile():
    """The mentor's profile form; the first save puts the mentor in the approval queue."""
    user = current_user._get_current_object()
    existing = mentors.get_profile(user)
    form = MentorProfileForm()
    if request.method == "GET":
        _fill(form, existing, str(get_locale()))
    if form.validate_on_submit():
        try:
            saved = mentors.save_profile(user, _info(form))
        except DomainError as error:
            # A refused profile lists every refused field, so all are shown at once.
            refusals = error.errors if isinstance(error, mentors.MentorProfileInvalid) else [error]
            for refusal in refusals:
                show_domain_error(form, refusal)
        else:
            if existing is None:
                flash(
                    _(
                        "Thank you! Your mentor profile is saved. The business service will "
                        "look at it soon, and you will be told when entrepreneurs can see you."
                    ),
                    "success",
                )
            elif not saved.is_approved:
                flash(
                    _("Your profile is saved. It is waiting for approval by the business service."),
                    "success",
                )
            else:
                flash(_("Your profile is saved."), "success")
            return redirect(url_for("mentors.home"))
    return render_template("mentors/profile_form.html", form=form, profile=existing), (
        422 if form.errors else 200
    )


@bp.route("/home")
@role_required(Role.MENTOR)
def home():
    """The mentor's start page: where the profile stands and what waits for them."""
    return render_template(
        "mentors/home.html",
        overview=mentors.mentor_overview(current_user._get_current_object()),
        form=EmptyForm(formdata=None),
    )


@bp.route("/pause", methods=["POST"])
@role_required(Role.MENTOR)
def pause():
    """Pause: no new requests and not ranked; running mentorships go on."""
    form = EmptyForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("mentors.home"))
    try:
        mentors.pause_mentor(current_user._get_current_object())
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("mentors.profile"))
    flash(
        _(
            "You are paused. Entrepreneurs cannot send you new requests; your mentorships "
            "in progress go on."
        ),
        "success",
    )
    return redirect(url_for("mentors.home"))


@bp.route("/resume", methods=["POST"])
@role_required(Role.MENTOR)
def resume():
    """Be available for new requests again."""
    form = EmptyForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("mentors.home"))
    try:
        profile = mentors.resume_mentor(current_user._get_current_object())
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("mentors.profile"))
    if profile.is_approved:
        flash(_("Welcome back! Entrepreneurs can find you and send you requests again."), "success")
    else:
        flash(_("You are no longer paused. Your profile still waits for approval."), "success")
    return redirect(url_for("mentors.home"))


# --- what others see -----------------------------------------------------------------------


@bp.route("/<id:mentor_id>")
@login_required
def public(mentor_id: int):
    """A mentor's profile as an entrepreneur sees it (staff and the mentor see it always);
    ``?need=<id>`` names the entrepreneur's need they came from, to lead them back to it."""
    mentor = mentors.open_public_profile(
        current_user._get_current_object(), mentor_id, from_need=request.args.get("need")
    )
    return render_template(
        "mentors/public.html",
        mentor=mentor,
        language_labels=_language_labels([mentor.profile]),
        form=EmptyForm(formdata=None),
    )


def _render_approvals(refused: tuple[int, RejectMentorForm] | None = None, status: int = 200):
    """The queue and the pool; ``refused`` is a refusal form sent back with its errors."""
    actor = current_user._get_current_object()
    pending = mentors.pending_mentors(actor)
    reject_forms = {p.user_id: RejectMentorForm(formdata=None) for p in pending}
    if refused is not None and refused[0] in reject_forms:
        reject_forms[refused[0]] = refused[1]
    return render_template(
        "mentors/approvals.html",
        pending=pending,
        pool=mentors.mentor_pool(actor),
        language_labels=_language_labels(pending),
        form=EmptyForm(formdata=None),
        reject_forms=reject_forms,
        refused_id=refused[0] if refused else None,
    ), status


@bp.route("/approvals")
@role_required(*MENTOR_PROGRAMME_ROLES)
def approvals():
    """Mentors waiting for approval with their whole profile, and the approved pool."""
    return _render_approvals()


@bp.route("/<id:mentor_id>/approve", methods=["POST"])
@role_required(*MENTOR_PROGRAMME_ROLES)
def approve(mentor_id: int):
    """Approve a mentor: entrepreneurs can find them from now on, and they are told."""
    form = EmptyForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("mentors.approvals"))
    profile = mentors.approve_mentor(current_user._get_current_object(), mentor_id)
    flash(
        _("%(name)s is approved. Entrepreneurs can now find them.", name=profile.user.name),
        "success",
    )
    return redirect(url_for("mentors.approvals"))


@bp.route("/<id:mentor_id>/reject", methods=["POST"])
@role_required(*MENTOR_PROGRAMME_ROLES)
def reject(mentor_id: int):
    """Refuse a mentor waiting for approval, with a reason: the account is disabled and the
    mentor is told by email. Someone not waiting (or no mentor) is 404."""
    form = RejectMentorForm()
    status = 422
    if form.validate_on_submit():
        try:
            mentor = mentors.reject_mentor(
                current_user._get_current_object(), mentor_id, form.reason.data or ""
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            status = error.status_code
            show_domain_error(form, error)
        else:
            security_event("account_disabled", actor=current_user.id, user=mentor_id)
            flash(
                _(
                    "%(name)s is refused as a mentor and the account is disabled. They are "
                    "told by email, with your reason.",
                    name=mentor.name,
                ),
                "success",
            )
            return redirect(url_for("mentors.approvals"))
    return _render_approvals((mentor_id, form), status)
