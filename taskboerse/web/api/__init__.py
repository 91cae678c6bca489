"""JSON API v1: token auth, requests validated against the OpenAPI document, JSON errors.

One module per concern (``errors``, ``auth``, ``validation``, ``serialisers``) and one per
resource; importing them registers their routes and handlers on ``bp``.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from taskboerse.extensions import csrf
from taskboerse.web.api.openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token auth, no cookies: there is no session to forge requests with


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    """The OpenAPI 3.1 document."""
    return jsonify(document())


# The resource modules add their routes to ``bp``, so they come after it.
from taskboerse.web.api import (  # noqa: E402
    applications,
    caseload,
    errors,
    me,
    mentor_needs,
    mentorships,
    password_reset,
    placements,
    questions,
    saved_searches,
    tasks,
    tokens,
    users,
)

__all__ = [
    "placements",
    "applications",
    "bp",
    "caseload",
    "errors",
    "me",
    "mentor_needs",
    "mentorships",
    "questions",
    "password_reset",
    "saved_searches",
    "tasks",
    "tokens",
    "users",
]
