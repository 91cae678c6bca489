"""The messages overview (task conversations and mentorship conversations) and one task
conversation (both sides, the same page). A mentorship's conversation sits on the mentorship's
page (web/mentorships), with the same partial (templates/messages/_thread.html)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import Role
from taskboerse.services import conversations
from taskboerse.services.errors import DomainError
from taskboerse.services.mentoring import topic_label
from taskboerse.web.access import role_required
from taskboerse.web.forms import show_domain_error
from taskboerse.web.messages.forms import MessageForm

bp = Blueprint("messages", __name__, url_prefix="/messages")


@bp.route("")
@role_required(Role.JOBSEEKER, Role.ENTREPRENEUR, Role.MENTOR)
def inbox():
    """Every conversation of the user that holds a message (about a task or in a mentorship),
    newest first, unread marked."""
    return render_template(
        "messages/index.html",
        threads=conversations.threads_of(current_user),
        topic_label=topic_label,
    )


@bp.route("/<id:task_id>/<id:jobseeker_id>", methods=["GET", "POST"])
@role_required(Role.JOBSEEKER, Role.ENTREPRENEUR)
def thread(task_id: int, jobseeker_id: int):
    """One conversation: the task, where it stands, contact details once accepted, the
    messages (read on view) and the form for a new one."""
    found = conversations.get_thread(current_user, task_id, jobseeker_id)
    form = MessageForm()
    status = 200
    if form.validate_on_submit():
        try:
            conversations.post_message(current_user, found, form.body.data)
        except DomainError as error:
            show_domain_error(form, error)
            status = error.status_code
        else:
            flash(_("Your message is sent."), "success")
            return redirect(
                url_for("messages.thread", task_id=task_id, jobseeker_id=jobseeker_id) + "#latest"
            )
    items = conversations.messages(found)
    unread = conversations.unread_by_thread(current_user).get((task_id, jobseeker_id), 0)
    conversations.mark_read(found, current_user)
    return render_template(
        "messages/thread.html",
        thread=found,
        items=items,
        unread=unread,
        form=form,
        contact=conversations.contact_of(found, current_user),
        other=found.other_side(current_user),
        is_graduate=current_user.id == found.jobseeker.id,
    ), (422 if form.errors else status)
