"""Mentor needs: the entrepreneur's needs with ranked, explained mentors and requests; the mentor's
requests to answer and the needs that fit them. Every rule is in services/mentor_needs.py, the
ranking in services/mentor_matching.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import NeedStatus, RequestStatus, Role
from taskboerse.services import clock, mentor_matching
from taskboerse.services import mentor_needs as service
from taskboerse.services.errors import DomainError
from taskboerse.services.mentoring import (
    DEFAULT_WEEKS,
    MAX_NEED_TEXT,
    MAX_WEEKS,
    MIN_WEEKS,
    frequency_label,
    need_status_label,
    request_status_label,
    stage_label,
    topic_label,
)
from taskboerse.services.skills import skill_label
from taskboerse.web.access import role_required
from taskboerse.web.forms import EmptyForm, flash_form_errors, show_domain_error
from taskboerse.web.matching import matching_index
from taskboerse.web.needs.forms import AcceptForm, DeclineForm, NeedForm, RequestForm

bp = Blueprint("needs", __name__, url_prefix="/mentor-needs")


@bp.context_processor
def inject_labels() -> dict[str, Any]:
    """The programme's labels and statuses for these pages."""
    return {
        "topic_label": topic_label,
        "stage_label": stage_label,
        "frequency_label": frequency_label,
        "need_status_label": need_status_label,
        "request_status_label": request_status_label,
        "NeedStatus": NeedStatus,
        "RequestStatus": RequestStatus,
        "request_days": service.request_days(),
        "min_weeks": MIN_WEEKS,
        "max_weeks": MAX_WEEKS,
        "max_need_text": MAX_NEED_TEXT,
        "answered_days": service.ANSWERED_SHOWN_DAYS,
    }


# --- the entrepreneur's needs ----------------------------------------------------------------


@bp.route("/")
@role_required(Role.ENTREPRENEUR)
def index():
    """The entrepreneur's needs, each with where it stands and its latest request."""
    needs = service.list_needs(current_user)
    return render_template(
        "needs/index.html",
        needs=needs,
        latest={n.id: service.latest_request(n) for n in needs},
        mentorships=service.mentorship_ids([n.id for n in needs]),
        has_open=any(n.status == NeedStatus.OPEN for n in needs),
    )


def _need_info(form: NeedForm) -> service.NeedInfo:
    return service.NeedInfo(
        topic=form.topic.data or "",
        stage=form.stage.data or "",
        description=form.description.data or "",
        frequency=form.frequency.data or "",
        postcode=(form.postcode.data or "").strip(),
        online=bool(form.online.data),
        skills=form.skills.data or "",
    )


def _render_form(form: NeedForm, need=None, status: int = 200):
    return render_template("needs/form.html", form=form, need=need), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def new():
    """Write a new need: what the entrepreneur wants a mentor for."""
    company = current_user.company
    form = NeedForm(data={"postcode": company.postcode if company else "", "online": True})
    if form.validate_on_submit():
        try:
            need = service.create_need(current_user, _need_info(form))
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(form, error)
        else:
            flash(_("Your need is saved. Here are the mentors who fit it best."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return _render_form(form, status=422 if request.method == "POST" else 200)


@bp.route("/<id:need_id>/edit", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def edit(need_id: int):
    """Change a need that is still looking for a mentor."""
    need = service.get_need(current_user, need_id)
    if need.status != NeedStatus.OPEN:
        flash(_("Only a need that is still looking for a mentor can be changed."), "error")
        return redirect(url_for("needs.detail", need_id=need.id))
    form = NeedForm(obj=need)
    if request.method == "GET":
        locale = str(get_locale())
        form.skills.data = ", ".join(skill_label(s.skill, s.label, locale) for s in need.skills)
    if form.validate_on_submit():
        try:
            service.update_need(current_user, need.id, _need_info(form))
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(form, error)
        else:
            flash(_("Your need is saved."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return _render_form(form, need, status=422 if request.method == "POST" else 200)


@bp.route("/<id:need_id>/close", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def close(need_id: int):
    """Stop looking for a mentor for this need (a waiting request is withdrawn)."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            service.close_need(current_user, need_id)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            flash(_("The need is closed. You can write a new one at any time."), "success")
            return redirect(url_for("needs.index"))
    else:
        flash_form_errors(form)
    return redirect(url_for("needs.detail", need_id=need_id))


def _render_detail(need, request_forms: dict | None = None, status: int = 200):
    """The need, its requests, and — when it is open and nobody is asked — the next mentors."""
    pending = service.pending_request(need)
    past = [r for r in reversed(need.requests) if r.status != RequestStatus.PENDING]
    ranking = None
    if need.status == NeedStatus.OPEN and pending is None:
        ranking = mentor_matching.mentors_for_need(matching_index(), need)
    last = past[0] if past else None
    return render_template(
        "needs/detail.html",
        need=need,
        pending=pending,
        past=past,
        last=last,
        ranking=ranking,
        request_forms=request_forms or {},
        blank_request=RequestForm(formdata=None),
        button_form=EmptyForm(formdata=None),
        mentorship_id=service.mentorship_ids([need.id]).get(need.id),
        days_left=service.days_left(pending) if pending else 0,
        locale=str(get_locale()),
    ), status


@bp.route("/<id:need_id>")
@role_required(Role.ENTREPRENEUR)
def detail(need_id: int):
    """One need: its request waiting for an answer, or the mentors who fit it best."""
    return _render_detail(service.get_need(current_user, need_id))


@bp.route("/<id:need_id>/mentors/<id:mentor_id>/request", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def request_mentor(need_id: int, mentor_id: int):
    """Ask one mentor, with a message."""
    need = service.get_need(current_user, need_id)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            service.request_mentor(current_user, need.id, mentor_id, form.message.data or "")
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            if error.field == "message":
                show_domain_error(form, error)
            else:
                show_domain_error(None, error)
                return redirect(url_for("needs.detail", need_id=need.id))
        else:
            flash(
                _(
                    "Your request is sent. The mentor has %(days)d days to answer; you get a "
                    "notification either way.",
                    days=service.request_days(),
                ),
                "success",
            )
            return redirect(url_for("needs.detail", need_id=need.id))
    need = service.get_need(current_user, need_id)
    return _render_detail(need, request_forms={mentor_id: form}, status=422)


@bp.route("/requests/<id:request_id>/withdraw", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def withdraw(request_id: int):
    """Take back a request the mentor has not answered, to ask someone else."""
    form = EmptyForm()
    need_id = None
    if form.validate_on_submit():
        try:
            withdrawn = service.withdraw_request(current_user, request_id)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            need_id = withdrawn.need_id
            flash(_("The request is withdrawn. You can ask another mentor now."), "success")
    else:
        flash_form_errors(form)
    if need_id is None:
        return redirect(url_for("needs.index"))
    return redirect(url_for("needs.detail", need_id=need_id))


# --- the mentor's side -----------------------------------------------------------------------


def _render_requests(
    accept_forms: dict | None = None, decline_forms: dict | None = None, status: int = 200
):
    found = service.list_requests_for_mentor(current_user)
    now = clock.now()
    return render_template(
        "needs/requests.html",
        pending=found.pending,
        answered=found.answered,
        days_left={r.id: service.days_left(r, now) for r in found.pending},
        mentorships=service.mentorship_ids(
            [r.need_id for r in found.answered if r.status == RequestStatus.ACCEPTED]
        ),
        accept_forms=accept_forms or {},
        decline_forms=decline_forms or {},
        blank_accept=AcceptForm(formdata=None, data={"start_on": clock.today()}),
        blank_decline=DeclineForm(formdata=None),
        default_weeks=DEFAULT_WEEKS,
        today=clock.today(),
        locale=str(get_locale()),
    ), status


@bp.route("/requests")
@role_required(Role.MENTOR)
def requests():
    """Requests to the mentor: waiting ones to accept or decline, then those answered lately."""
    return _render_requests()


@bp.route("/requests/<id:request_id>/accept", methods=["POST"])
@role_required(Role.MENTOR)
def accept(request_id: int):
    """Say yes: the mentorship starts on the agreed day and runs for the agreed weeks."""
    service.get_request_for_mentor(current_user, request_id)
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            mentorship = service.accept_request(
                current_user, request_id, form.start_on.data, form.weeks.data
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            if error.field in ("start_on", "weeks"):
                show_domain_error(form, error)
            else:
                show_domain_error(None, error)
                return redirect(url_for("needs.requests"))
        else:
            flash(
                _("You said yes. The entrepreneur is told, and your mentorship has started."),
                "success",
            )
            return redirect(url_for("mentorships.detail", mentorship_id=mentorship.id))
    return _render_requests(accept_forms={request_id: form}, status=422)


@bp.route("/requests/<id:request_id>/decline", methods=["POST"])
@role_required(Role.MENTOR)
def decline(request_id: int):
    """Say no, with a reason the entrepreneur reads beside the next mentors."""
    service.get_request_for_mentor(current_user, request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            service.decline_request(current_user, request_id, form.reason.data or "")
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            if error.field == "reason":
                show_domain_error(form, error)
            else:
                show_domain_error(None, error)
                return redirect(url_for("needs.requests"))
        else:
            flash(
                _("You declined. The entrepreneur is told why and sees other mentors."), "success"
            )
            return redirect(url_for("needs.requests"))
    return _render_requests(decline_forms={request_id: form}, status=422)


@bp.route("/for-me")
@role_required(Role.MENTOR)
def for_me():
    """Open needs that fit the mentor's profile, ranked and explained (read-only)."""
    profile = service.mentor_profile(current_user)
    approved = profile is not None and profile.is_approved
    matches = mentor_matching.needs_for_mentor(matching_index(), current_user) if approved else []
    return render_template(
        "needs/for_me.html",
        profile=profile,
        approved=approved,
        matches=matches,
        locale=str(get_locale()),
    )
