"""Applications: apply, invite, list, accept/reject/withdraw, and complete with a reference."""

from __future__ import annotations

from flask import g, jsonify

from taskboerse.models import Role
from taskboerse.services import applications as application_service
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth, forbidden
from taskboerse.web.api.serialisers import application_json
from taskboerse.web.api.validation import validated


@bp.post("/tasks/<id:task_id>/invitations")
@auth(Role.ENTREPRENEUR)
@validated(body="InvitationCreate")
def invite(task_id: int, data: dict):
    """Invite a graduate."""
    invitation = application_service.invite_jobseeker(g.api_user, task_id, data["jobseeker_id"])
    return jsonify({"task_id": invitation.task_id, "jobseeker_id": invitation.jobseeker_id}), 201


@bp.post("/tasks/<id:task_id>/applications")
@auth(Role.JOBSEEKER)
@validated(body="ApplicationCreate")
def apply(task_id: int, data: dict):
    """Apply with a motivation."""
    application = application_service.apply_to_task(g.api_user, task_id, data["motivation"])
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


@bp.post("/applications/<id:application_id>/<any(accept, reject, withdraw):action>")
@auth(Role.JOBSEEKER, Role.ENTREPRENEUR)
def application_action(application_id: int, action: str):
    """Accept or reject (the task's owner), withdraw (the graduate)."""
    user = g.api_user
    if action == "withdraw":
        if user.role != Role.JOBSEEKER:
            return forbidden()
        application = application_service.withdraw_application(user, application_id)
    else:
        if user.role != Role.ENTREPRENEUR:
            return forbidden()
        service = {
            "accept": application_service.accept_application,
            "reject": application_service.reject_application,
        }[action]
        application = service(user, application_id)
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
