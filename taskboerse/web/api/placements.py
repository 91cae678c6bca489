"""Placements: the caseworker's approval queue and decisions, hours logged by the graduate
and confirmed by the company."""

from __future__ import annotations

from flask import g, jsonify

from taskboerse.models import Role
from taskboerse.services import clock, placement_rules
from taskboerse.services import placements as placement_service
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.serialisers import hours_json, placement_json
from taskboerse.web.api.validation import parse_date, parse_optional_body, validated


def _with_checks(placement) -> dict:
    """The placement as JSON; with the rule checks when a caseworker reads it."""
    checks = None
    if g.api_user.role == Role.CASEWORKER:
        checks = placement_rules.checks_for(placement, clock.today())
    return placement_json(placement, checks)


@bp.get("/placements")
@auth(Role.CASEWORKER, Role.JOBSEEKER, Role.ENTREPRENEUR)
def list_placements():
    """The caseworker's approval queue; a graduate's or a company's own placements."""
    user = g.api_user
    rows = placement_service.list_placements(
        user, waiting_only=user.role == Role.CASEWORKER, via="api"
    )
    return jsonify([_with_checks(p) for p in rows])


@bp.get("/placements/<id:placement_id>")
@auth(Role.CASEWORKER, Role.JOBSEEKER, Role.ENTREPRENEUR)
def get_placement(placement_id: int):
    """One placement (a caseworker's opening is in the access log)."""
    if g.api_user.role == Role.CASEWORKER:
        placement = placement_service.open_for_caseworker(g.api_user, placement_id, via="api")
    else:
        placement = placement_service.get_placement(g.api_user, placement_id)
    return jsonify(_with_checks(placement))


@bp.post("/placements/<id:placement_id>/approve")
@auth(Role.CASEWORKER)
def approve(placement_id: int):
    """Approve a virksomhedspraktik."""
    placement = placement_service.approve_placement(g.api_user, placement_id, via="api")
    return jsonify(_with_checks(placement))


@bp.post("/placements/<id:placement_id>/decline")
@auth(Role.CASEWORKER)
@validated(body="DecisionReason")
def decline(placement_id: int, data: dict):
    """Decline a virksomhedspraktik with a reason."""
    placement = placement_service.decline_placement(
        g.api_user, placement_id, data["reason"], via="api"
    )
    return jsonify(_with_checks(placement))


@bp.post("/placements/<id:placement_id>/hours")
@auth(Role.JOBSEEKER)
@validated(body="HoursBody")
def log_hours(placement_id: int, data: dict):
    """Log the hours of one day."""
    row = placement_service.log_hours(
        g.api_user,
        placement_id,
        parse_date(data["date"], "date"),
        data["hours"],
        data.get("note", ""),
    )
    return jsonify(hours_json(row)), 201


@bp.post("/placements/<id:placement_id>/hours/confirm")
@auth(Role.ENTREPRENEUR)
def confirm_hours(placement_id: int):
    """Confirm logged hours: all not yet confirmed, or those of ``hours_ids``."""
    body = parse_optional_body("HoursConfirm")
    confirmed = placement_service.confirm_hours(g.api_user, placement_id, body.get("hours_ids"))
    return jsonify({"confirmed": confirmed})
