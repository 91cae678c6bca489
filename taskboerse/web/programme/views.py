"""The business service's follow-up on the mentor programme: needs waiting, mentorships in progress
and overdue, outcomes and feedback with CSV.

SKELETON: to be written."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("programme", __name__, url_prefix="/programme")


@bp.route("/")
def index():
    abort(404)
