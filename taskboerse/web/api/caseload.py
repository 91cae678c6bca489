"""The caseworker's caseload: the list, one graduate's file, and recording the outcome.
Every read is access-logged by the service."""

from __future__ import annotations

from datetime import date

from flask import g, jsonify
from flask_babel import gettext as _

from taskboerse.models import Role
from taskboerse.services import caseload
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.openapi import CASELOAD_PARAMS
from taskboerse.web.api.serialisers import case_file_json, caseload_row_json, outcome_json
from taskboerse.web.api.validation import raise_validation, validated


@bp.get("/caseload")
@auth(Role.CASEWORKER)
@validated(query=CASELOAD_PARAMS)
def get_caseload(params: dict):
    """The caseworker's consenting graduates with counts and flags (each one logged)."""
    rows = caseload.view_caseload(
        g.api_user,
        caseload.CaseloadQuery(
            q=params.get("q", ""),
            education=params.get("education", ""),
            flag=params.get("flag", ""),
            sort=params.get("sort", "name"),
            descending=params.get("dir") == "desc",
        ),
        via="api",
    )
    return jsonify([caseload_row_json(r) for r in rows])


@bp.get("/caseload/<id:jobseeker_id>")
@auth(Role.CASEWORKER)
def get_case_file(jobseeker_id: int):
    """One graduate's timeline, flags, notes and outcome (logged)."""
    return jsonify(case_file_json(caseload.person_file(g.api_user, jobseeker_id, via="api")))


@bp.post("/caseload/<id:jobseeker_id>/outcome")
@auth(Role.CASEWORKER)
@validated(body="OutcomeBody")
def post_outcome(jobseeker_id: int, data: dict):
    """Record the outcome (employed, in education, other) and its date."""
    try:
        on = date.fromisoformat(data["date"])
    except ValueError:
        raise_validation({"date": _("Use a date like 2027-02-01.")})
    outcome = caseload.record_outcome(g.api_user, jobseeker_id, data["status"], on)
    return jsonify(outcome_json(outcome.status, outcome.outcome_date))
