"""Mentorships: the course of an accepted request (meetings with a shared agenda and private notes,
the conversation, the end with feedback and outcome).

SKELETON: to be written."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("mentorships", __name__, url_prefix="/mentorships")


@bp.route("/")
def index():
    abort(404)


@bp.route("/<id:mentorship_id>")
def detail(mentorship_id: int):
    abort(404)
