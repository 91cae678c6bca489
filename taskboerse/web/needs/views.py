"""Mentor needs: the entrepreneur's needs with ranked, explained mentors and requests; the mentor's
requests to answer and the needs that fit them.

SKELETON: to be written."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("needs", __name__, url_prefix="/mentor-needs")


@bp.route("/")
def index():
    abort(404)


@bp.route("/<id:need_id>")
def detail(need_id: int):
    abort(404)


@bp.route("/requests")
def requests():
    abort(404)
