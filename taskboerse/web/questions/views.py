"""Spørg en mentor: entrepreneurs' questions to the mentor pool, mentors' answers, the helpful
answer, search, and staff moderation.

SKELETON: to be written."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("questions", __name__, url_prefix="/questions")


@bp.route("/")
def index():
    abort(404)


@bp.route("/<id:question_id>")
def detail(question_id: int):
    abort(404)
