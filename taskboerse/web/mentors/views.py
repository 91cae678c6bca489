"""Mentors: registering and editing a mentor profile, pausing, the public profile entrepreneurs
see, and the approval of new mentors by admins and business-service staff.

SKELETON: to be written."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("mentors", __name__, url_prefix="/mentors")


@bp.route("/profile")
def profile():
    abort(404)


@bp.route("/approvals")
def approvals():
    abort(404)
