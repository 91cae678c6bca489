"""Applications: apply, invite, list, accept/reject/withdraw, complete with a reference, and
the calendar file of accepted work."""

from __future__ import annotations

from flask import g, jsonify

from taskboerse.models import Role
from taskboerse.services import applications as application_service
from taskboerse.services import calendar, conversations
from taskboerse.services import placements as placement_service
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth, forbidden
from taskboerse.web.api.serialisers import application_json, contact_json, message_json
from taskboerse.web.api.validation import parse_date, parse_optional_body, validated
from taskboerse.web.calendar.views import ics_response
from taskboerse.web.matching import matching_index


@bp.post("/tasks/<id:task_id>/invitations")
@auth(Role.ENTREPRENEUR)
@validated(body="InvitationCreate")
def invite(task_id: int, data: dict):
    """Invite a graduate."""
    invitation = application_service.invite_jobseeker(
        matching_index(), g.api_user, task_id, data["jobseeker_id"], data.get("message", "")
    )
    body = {
        "task_id": invitation.task_id,
        "jobseeker_id": invitation.jobseeker_id,
        "message": invitation.message,
    }
    return jsonify(body), 201


@bp.post("/tasks/<id:task_id>/applications")
@auth(Role.JOBSEEKER)
@validated(body="ApplicationCreate")
def apply(task_id: int, data: dict):
    """Apply with a motivation."""
    application = application_service.apply_to_task(
        g.api_user, task_id, data["motivation"], data.get("worked_for_company", False)
    )
    return jsonify(application_json(application)), 201


@bp.get("/applications")
@auth(Role.JOBSEEKER, Role.ENTREPRENEUR)
def list_applications():
    """The graduate's own applications, or those to the entrepreneur's tasks."""
    user = g.api_user
    if user.role == Role.JOBSEEKER:
        rows = application_service.applications_of_jobseeker(user)
    else:
        rows = application_service.applications_to_company(user)
    return jsonify([application_json(a) for a in rows])


@bp.get("/applications/<id:application_id>")
@auth()
def get_application(application_id: int):
    """One application, for its graduate or the task's company (404 for anyone else); with
    the other side's ``contact`` once accepted or completed, never before."""
    thread = conversations.thread_of_application(g.api_user, application_id)
    body = application_json(thread.application)
    contact = conversations.contact_of(thread, g.api_user)
    if contact is not None:
        body["contact"] = contact_json(contact)
    return jsonify(body)


@bp.get("/applications/<id:application_id>/messages")
@auth()
def list_messages(application_id: int):
    """The application's conversation, oldest first (reading marks it read); 404 for anyone
    but the graduate and the task's company."""
    thread = conversations.thread_of_application(g.api_user, application_id)
    items = conversations.messages(thread)
    conversations.mark_read(thread, g.api_user)
    return jsonify([message_json(m, g.api_user) for m in items])


@bp.post("/applications/<id:application_id>/messages")
@auth()
@validated(body="MessageCreate")
def post_message(application_id: int, data: dict):
    """Write to the other side (plain text, at most 2,000 characters, no CPR number); 409
    once the task is completed or cancelled; 404 for anyone but the two sides."""
    thread = conversations.thread_of_application(g.api_user, application_id)
    message = conversations.post_message(g.api_user, thread, data["body"])
    return jsonify(message_json(message, g.api_user)), 201


@bp.post("/applications/<id:application_id>/<any(accept, reject, withdraw):action>")
@auth(Role.JOBSEEKER, Role.ENTREPRENEUR)
def application_action(application_id: int, action: str):
    """Accept or reject (the task's owner), withdraw (the graduate); a rejection or a
    withdrawal may carry a ``reason`` for the other side."""
    user = g.api_user
    if action == "withdraw":
        if user.role != Role.JOBSEEKER:
            return forbidden()
        reason = parse_optional_body("ActionReason").get("reason", "")
        application = application_service.withdraw_application(user, application_id, reason)
    elif user.role != Role.ENTREPRENEUR:
        return forbidden()
    elif action == "reject":
        reason = parse_optional_body("ActionReason").get("reason", "")
        application = application_service.reject_application(user, application_id, reason)
    else:
        body = parse_optional_body("AcceptBody")
        plan = placement_service.PlacementPlan(
            purpose=body.get("purpose", ""),
            start_on=parse_date(body["start_on"], "start_on") if "start_on" in body else None,
        )
        application = application_service.accept_application(user, application_id, plan)
    return jsonify(application_json(application))


@bp.post("/applications/<id:application_id>/complete")
@auth(Role.ENTREPRENEUR)
@validated(body="CompleteBody")
def complete(application_id: int, data: dict):
    """Mark completed with a reference and the skills used (labels of the task's skills)."""
    application = application_service.complete_application(
        g.api_user,
        application_id,
        application_service.ReferenceInfo(
            rating=data["rating"],
            text=data["reference"],
            skill_labels=tuple(data.get("skills_used", [])),
        ),
    )
    return jsonify(application_json(application))


@bp.get("/applications/<id:application_id>/calendar.ics")
@auth()
def calendar_file(application_id: int):
    """The deadline (and the agreed start date) as an iCalendar file in Europe/Copenhagen
    time, in the user's language; 404 for anyone but the accepted or completed graduate and
    the task's company."""
    found = calendar.application_calendar(g.api_user, application_id)
    return ics_response(found.content, found.filename)
