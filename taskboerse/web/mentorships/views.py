"""Mentorships on the web: the course of an accepted request (meetings with a shared agenda and
private notes, the conversation, the end with feedback and outcome). Only the mentor and the
entrepreneur of a mentorship open it (anyone else: 404); every rule is in
services/mentorships.py and the conversation's in services/conversations.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import Role
from taskboerse.services import conversations, mentorships
from taskboerse.services.errors import DomainError
from taskboerse.services.mentoring import (
    frequency_label,
    mentorship_status_label,
    outcome_label,
    stage_label,
    topic_label,
)
from taskboerse.web.access import role_required
from taskboerse.web.forms import EmptyForm, flash_form_errors, show_domain_error
from taskboerse.web.mentorships.forms import (
    AgendaForm,
    FeedbackForm,
    MeetingForm,
    NoteForm,
    OutcomeForm,
)
from taskboerse.web.messages.forms import MessageForm

bp = Blueprint("mentorships", __name__, url_prefix="/mentorships")

PARTY_ROLES = (Role.MENTOR, Role.ENTREPRENEUR)


@bp.context_processor
def inject_labels() -> dict[str, Any]:
    """The mentoring labels the pages show."""
    return {
        "topic_label": topic_label,
        "stage_label": stage_label,
        "frequency_label": frequency_label,
        "mentorship_status_label": mentorship_status_label,
        "mentoring_outcome_label": outcome_label,
    }


def _detail_url(mentorship_id: int, anchor: str = "") -> str:
    return url_for("mentorships.detail", mentorship_id=mentorship_id) + (
        f"#{anchor}" if anchor else ""
    )


def _note_form(meeting_id: int, body: str = "", formdata: Any = None) -> NoteForm:
    if formdata is None:
        return NoteForm(formdata=None, prefix=f"note{meeting_id}", data={"body": body})
    return NoteForm(prefix=f"note{meeting_id}")


def _agenda_form(meeting_id: int, agenda: str = "", formdata: Any = None) -> AgendaForm:
    if formdata is None:
        return AgendaForm(formdata=None, prefix=f"agenda{meeting_id}", data={"agenda": agenda})
    return AgendaForm(prefix=f"agenda{meeting_id}")


def _render_detail(mentorship_id: int, status: int = 200, **forms: Any):
    """The mentorship page, with any form that failed shown again with its errors."""
    thread = conversations.mentorship_thread(current_user, mentorship_id)
    unread = conversations.unread_by_mentorship(current_user).get(mentorship_id, 0)
    # Read before loading the page's objects: the commit would expire them all.
    conversations.mark_read(thread, current_user)
    view = mentorships.mentorship_view(current_user, mentorship_id)
    items = conversations.messages(thread)
    note_forms = {mv.meeting.id: _note_form(mv.meeting.id, mv.my_note) for mv in view.meetings}
    agenda_forms = {
        mv.meeting.id: _agenda_form(mv.meeting.id, mv.meeting.agenda) for mv in view.meetings
    }
    failed_note = forms.pop("note_form", None)
    if failed_note is not None:
        note_forms[forms.pop("meeting_id")] = failed_note
    failed_agenda = forms.pop("agenda_form", None)
    if failed_agenda is not None:
        agenda_forms[forms.pop("agenda_meeting_id")] = failed_agenda
    return render_template(
        "mentorships/detail.html",
        v=view,
        m=view.mentorship,
        items=items,
        unread=unread,
        thread=thread,
        note_forms=note_forms,
        agenda_forms=agenda_forms,
        meeting_form=forms.get("meeting_form") or MeetingForm(formdata=None, prefix="meeting"),
        feedback_form=forms.get("feedback_form") or FeedbackForm(formdata=None, prefix="feedback"),
        outcome_form=forms.get("outcome_form")
        or OutcomeForm(
            formdata=None,
            prefix="outcome",
            data={
                "outcome": view.mentorship.outcome.value if view.mentorship.outcome else None,
                "note": view.mentorship.outcome_note,
            },
        ),
        msg_form=forms.get("message_form") or MessageForm(formdata=None),
        button_form=EmptyForm(formdata=None),
    ), status


@bp.route("/")
@role_required(*PARTY_ROLES)
def index():
    """The user's mentorships, active first; the empty page says how one starts."""
    return render_template(
        "mentorships/index.html",
        rows=mentorships.list_mentorships(current_user),
        unread=conversations.unread_by_mentorship(current_user),
    )


@bp.route("/<id:mentorship_id>")
@role_required(*PARTY_ROLES)
def detail(mentorship_id: int):
    """One mentorship: who, what, the period, the meetings (the shared agenda and only one's
    own notes), the conversation (read on view) and what one can do now."""
    return _render_detail(mentorship_id)


def _post(mentorship_id: int, form, action, done: str, anchor: str, form_key: str, **extra):
    """The common shape of a form POST: validate, call the service, flash and redirect, or
    show the page again with the form's errors (422, or the service's status)."""
    status = 422
    if form.validate_on_submit():
        try:
            action()
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            status = error.status_code
            if error.field and getattr(form, error.field, None) is not None:
                show_domain_error(form, error)
            else:
                show_domain_error(None, error)
                return redirect(_detail_url(mentorship_id, anchor))
        else:
            flash(done, "success")
            return redirect(_detail_url(mentorship_id, anchor))
    return _render_detail(mentorship_id, status=status, **{form_key: form}, **extra)


@bp.route("/<id:mentorship_id>/meetings", methods=["POST"])
@role_required(*PARTY_ROLES)
def add_meeting(mentorship_id: int):
    """Log a meeting held, or plan one, with a shared agenda."""
    mentorships.get_mentorship(current_user, mentorship_id)  # 404 before any form error
    form = MeetingForm(prefix="meeting")
    return _post(
        mentorship_id,
        form,
        lambda: mentorships.add_meeting(
            current_user, mentorship_id, form.held_on.data, form.agenda.data or ""
        ),
        _("The meeting is saved."),
        "meetings",
        "meeting_form",
    )


def _meeting_mentorship(meeting_id: int) -> int:
    """The mentorship of a meeting the user is a party of (404 otherwise)."""
    return mentorships.meeting_of(current_user, meeting_id).mentorship_id


@bp.route("/meetings/<id:meeting_id>/agenda", methods=["POST"])
@role_required(*PARTY_ROLES)
def agenda(meeting_id: int):
    """Change a meeting's shared agenda."""
    mentorship_id = _meeting_mentorship(meeting_id)
    form = _agenda_form(meeting_id, formdata=True)
    return _post(
        mentorship_id,
        form,
        lambda: mentorships.update_agenda(current_user, meeting_id, form.agenda.data or ""),
        _("The agenda is saved."),
        f"meeting-{meeting_id}",
        "agenda_form",
        agenda_meeting_id=meeting_id,
    )


@bp.route("/meetings/<id:meeting_id>/note", methods=["POST"])
@role_required(*PARTY_ROLES)
def note(meeting_id: int):
    """Save one's private note on a meeting (only its author ever sees it)."""
    mentorship_id = _meeting_mentorship(meeting_id)
    form = _note_form(meeting_id, formdata=True)
    return _post(
        mentorship_id,
        form,
        lambda: mentorships.save_note(current_user, meeting_id, form.body.data or ""),
        _("Your note is saved. Only you can see it."),
        f"meeting-{meeting_id}",
        "note_form",
        meeting_id=meeting_id,
    )


@bp.route("/<id:mentorship_id>/messages", methods=["POST"])
@role_required(*PARTY_ROLES)
def message(mentorship_id: int):
    """Write to the other side in the mentorship's conversation."""
    thread = conversations.mentorship_thread(current_user, mentorship_id)
    form = MessageForm()
    return _post(
        mentorship_id,
        form,
        lambda: conversations.post_message(current_user, thread, form.body.data),
        _("Your message is sent."),
        "latest",
        "message_form",
    )


@bp.route("/<id:mentorship_id>/end", methods=["GET"])
@role_required(*PARTY_ROLES)
def confirm_end(mentorship_id: int):
    """Ask before ending: what happens, and that the other side is told."""
    view = mentorships.mentorship_view(current_user, mentorship_id)
    if not view.may_end:
        flash(_("The mentorship has already ended."), "error")
        return redirect(_detail_url(mentorship_id))
    if view.period.past_end:
        question = _("The agreed period is over. The mentorship is marked as completed.")
    else:
        question = _(
            "The agreed period runs until %(date)s. Ending now marks the mentorship as ended "
            "early.",
            date=format_date(view.period.end_on, "long"),
        )
    return render_template(
        "mentorships/confirm_end.html",
        form=EmptyForm(formdata=None),
        view=view,
        title=_("End the mentorship with %(name)s?", name=view.other.name),
        question=question,
        consequence=_(
            "%(name)s is told. You can then both give feedback, and the conversation becomes "
            "read-only.",
            name=view.other.name,
        ),
        action=url_for("mentorships.end", mentorship_id=mentorship_id),
        back=_detail_url(mentorship_id),
    )


@bp.route("/<id:mentorship_id>/end", methods=["POST"])
@role_required(*PARTY_ROLES)
def end(mentorship_id: int):
    """End the mentorship (either side)."""
    mentorships.get_mentorship(current_user, mentorship_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            mentorships.end_mentorship(current_user, mentorship_id)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            flash(_("The mentorship has ended. Please give your feedback."), "success")
            return redirect(_detail_url(mentorship_id, "feedback"))
    else:
        flash_form_errors(form)
    return redirect(_detail_url(mentorship_id))


@bp.route("/<id:mentorship_id>/feedback", methods=["POST"])
@role_required(*PARTY_ROLES)
def feedback(mentorship_id: int):
    """Give one's feedback (1-5 and a sentence), once, at the end."""
    mentorships.get_mentorship(current_user, mentorship_id)
    form = FeedbackForm(prefix="feedback")
    return _post(
        mentorship_id,
        form,
        lambda: mentorships.give_feedback(
            current_user, mentorship_id, int(form.rating.data), form.comment.data or ""
        ),
        _("Thank you for your feedback."),
        "feedback",
        "feedback_form",
    )


@bp.route("/<id:mentorship_id>/outcome", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def outcome(mentorship_id: int):
    """The entrepreneur says what came of the mentorship."""
    mentorships.get_mentorship(current_user, mentorship_id)
    form = OutcomeForm(prefix="outcome")
    return _post(
        mentorship_id,
        form,
        lambda: mentorships.record_outcome(
            current_user, mentorship_id, form.outcome.data, form.note.data or ""
        ),
        _("Thank you. What came of the mentorship is saved."),
        "outcome",
        "outcome_form",
    )
