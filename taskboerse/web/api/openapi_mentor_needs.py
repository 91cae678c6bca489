"""OpenAPI schemas and paths of the API module ``mentor_needs``: merged into the document by
``openapi.document``."""

from __future__ import annotations

from taskboerse.models import NeedStatus, RequestStatus
from taskboerse.services import mentor_needs
from taskboerse.services.mentoring import (
    FREQUENCIES,
    MAX_MESSAGE,
    MAX_NEED_TEXT,
    MAX_WEEKS,
    MIN_WEEKS,
    STAGES,
    TOPICS,
)
from taskboerse.services.notifications import MAX_REASON
from taskboerse.web.api.openapi import (
    CONFLICT,
    DATE,
    DATETIME,
    ID,
    NOT_FOUND,
    POSTCODE,
    _json,
    nullable,
    obj,
    op,
    path_id,
)

TOPIC = {"type": "string", "enum": list(TOPICS)}
STAGE = {"type": "string", "enum": list(STAGES)}
FREQUENCY = {"type": "string", "enum": list(FREQUENCIES)}
NEED_SKILLS = {
    "type": "array",
    "maxItems": mentor_needs.MAX_NEED_SKILLS,
    "items": {"type": "string", "minLength": 1, "maxLength": 120},
}
STRINGS = {"type": "array", "items": {"type": "string"}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(name: str) -> dict:
    return {"type": "array", "items": _ref(name)}


NEED_OUT = {
    "id": ID,
    "topic": TOPIC,
    "topic_label": {"type": "string"},
    "stage": STAGE,
    "frequency": FREQUENCY,
    "description": {"type": "string"},
    "postcode": {"type": "string"},
    "place": nullable({"type": "string"}),
    "online": {"type": "boolean"},
    "skills": STRINGS,
    "status": {"type": "string", "enum": [s.value for s in NeedStatus]},
    "created_at": DATETIME,
}
NEED_OUT_REQUIRED = list(NEED_OUT)

REQUEST_OUT = {
    "id": ID,
    "need_id": ID,
    "mentor_id": ID,
    "mentor_name": {"type": "string"},
    "message": {"type": "string"},
    "status": {"type": "string", "enum": [s.value for s in RequestStatus]},
    "decline_reason": {"type": "string"},
    "created_at": DATETIME,
    "expires_at": DATETIME,
    "answered_at": nullable(DATETIME),
    "mentorship_id": nullable(ID),
}
REQUEST_OUT_REQUIRED = list(REQUEST_OUT)

SCHEMAS: dict[str, dict] = {
    "MentorNeedCreate": obj(
        {
            "topic": {**TOPIC, "description": "What the entrepreneur wants a mentor for"},
            "stage": {**STAGE, "description": "The company's stage"},
            "description": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_NEED_TEXT,
                "pattern": r"\S",
                "description": "What the entrepreneur would like from a mentor",
            },
            "frequency": FREQUENCY,
            "postcode": {
                "oneOf": [POSTCODE, {"type": "string", "maxLength": 0}],
                "description": "Where to meet; left out: the company's postcode; empty: "
                "online only",
            },
            "online": {"type": "boolean", "description": "Online meetings are fine (default)"},
            "skills": {**NEED_SKILLS, "description": "Further expertise wanted"},
        },
        ["topic", "stage", "description", "frequency"],
    ),
    "MentorRequest": obj(REQUEST_OUT, REQUEST_OUT_REQUIRED),
    "MentorNeed": obj(
        {
            **NEED_OUT,
            "closed_at": nullable(DATETIME),
            "mentorship_id": nullable(ID),
            "requests": _list("MentorRequest"),
        },
        [*NEED_OUT_REQUIRED, "closed_at", "mentorship_id", "requests"],
    ),
    "MentorCandidate": obj(
        {
            "mentor_id": {**ID, "description": "The mentor's user id (for a request)"},
            "name": {"type": "string"},
            "headline": {"type": "string"},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "reasons": STRINGS,
            "matched": {
                "type": "array",
                "items": obj(
                    {
                        "skill": {"type": "string"},
                        "mentor_skill": {"type": "string"},
                        "related": {"type": "boolean"},
                    },
                    ["skill", "mentor_skill", "related"],
                ),
            },
            "distance_km": nullable({"type": "number"}),
            "online": {"type": "boolean"},
            "capacity_left": {"type": "integer", "minimum": 0},
        },
        [
            "mentor_id",
            "name",
            "headline",
            "score",
            "reasons",
            "matched",
            "distance_km",
            "online",
            "capacity_left",
        ],
    ),
    "MentorCandidates": obj(
        {
            "items": _list("MentorCandidate"),
            "notice": {
                "type": "string",
                "description": "What to change when few mentors fit (may be empty)",
            },
        },
        ["items", "notice"],
    ),
    "MentorRequestCreate": obj(
        {
            "mentor_id": {**ID, "description": "The mentor's user id"},
            "message": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_MESSAGE,
                "pattern": r"\S",
            },
        },
        ["mentor_id", "message"],
    ),
    "MentorRequestForMentor": obj(
        {
            **REQUEST_OUT,
            "days_left": {"type": "integer", "minimum": 0},
            "entrepreneur_name": {"type": "string"},
            "company": nullable({"type": "string"}),
            "need": obj(
                {k: v for k, v in NEED_OUT.items() if k not in ("status", "created_at")},
                [k for k in NEED_OUT_REQUIRED if k not in ("status", "created_at")],
            ),
        },
        [*REQUEST_OUT_REQUIRED, "days_left", "entrepreneur_name", "company", "need"],
    ),
    "MentorRequestAccept": obj(
        {
            "start_on": {**DATE, "description": "Today (default) or up to 60 days ahead"},
            "weeks": {"type": "integer", "minimum": MIN_WEEKS, "maximum": MAX_WEEKS},
        }
    ),
    "MentorRequestDecline": obj(
        {
            "reason": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_REASON,
                "pattern": r"\S",
                "description": "The entrepreneur reads it",
            }
        },
        ["reason"],
    ),
    "MentorRequestAccepted": obj(
        {
            "request": _ref("MentorRequestForMentor"),
            "mentorship": obj(
                {"id": ID, "start_on": DATE, "end_on": DATE, "status": {"type": "string"}},
                ["id", "start_on", "end_on", "status"],
            ),
        },
        ["request", "mentorship"],
    ),
}

EXAMPLES = {
    "MentorNeedCreate": {
        "topic": "financing",
        "stage": "start",
        "description": "Vi skal rejse vores første kapital og vil gerne sparre med en erfaren.",
        "frequency": "monthly",
        "online": True,
        "skills": ["Forretningsplan"],
    },
    "MentorRequestCreate": {"mentor_id": 7, "message": "Hej! Vil du være vores mentor?"},
    "MentorRequestAccept": {"start_on": "2027-01-04", "weeks": 12},
    "MentorRequestDecline": {"reason": "Jeg har ikke plads før til sommer."},
}


def _with_example(operation: dict, schema: str) -> dict:
    body = operation.get("requestBody")
    if body is not None and schema in EXAMPLES:
        body["content"]["application/json"]["example"] = EXAMPLES[schema]
    return operation


def paths() -> dict:
    """The paths of this module."""
    need_id = [path_id("need_id")]
    request_id = [path_id("request_id")]
    return {
        "/mentor-needs": {
            "get": op(
                "The entrepreneur's own mentor needs, newest first, with their requests",
                {"200": _json(_list("MentorNeed"), "OK")},
            ),
            "post": _with_example(
                op(
                    "Write a mentor need (entrepreneurs; at most three open at once, else 409)",
                    {"201": _json("MentorNeed", "Created"), "409": CONFLICT},
                    body="MentorNeedCreate",
                ),
                "MentorNeedCreate",
            ),
        },
        "/mentor-needs/{need_id}": {
            "get": op(
                "One of the entrepreneur's needs with its requests",
                {"200": _json("MentorNeed", "OK"), "404": NOT_FOUND},
                params=need_id,
            )
        },
        "/mentor-needs/{need_id}/close": {
            "post": op(
                "Stop looking for a mentor (a waiting request is withdrawn)",
                {"200": _json("MentorNeed", "Closed"), "404": NOT_FOUND, "409": CONFLICT},
                params=need_id,
            )
        },
        "/mentor-needs/{need_id}/mentors": {
            "get": op(
                "Available mentors for an open need, best first, with reasons (mentors "
                "already asked are left out; empty while a request waits or once matched)",
                {"200": _json("MentorCandidates", "OK"), "404": NOT_FOUND},
                params=need_id,
            )
        },
        "/mentor-needs/{need_id}/requests": {
            "post": _with_example(
                op(
                    "Ask one mentor with a message (one request at a time per need; it "
                    "expires unanswered after MENTOR_REQUEST_DAYS, 7 by default)",
                    {
                        "201": _json("MentorRequest", "Sent"),
                        "404": NOT_FOUND,
                        "409": CONFLICT,
                    },
                    body="MentorRequestCreate",
                    params=need_id,
                ),
                "MentorRequestCreate",
            )
        },
        "/mentor-requests": {
            "get": op(
                "The mentor's requests: waiting ones first (soonest to expire), then those "
                "answered in the last 90 days",
                {"200": _json(_list("MentorRequestForMentor"), "OK")},
            )
        },
        "/mentor-requests/{request_id}/accept": {
            "post": _with_example(
                op(
                    "The mentor accepts: a mentorship starts (never beyond the capacity)",
                    {
                        "200": _json("MentorRequestAccepted", "Accepted"),
                        "404": NOT_FOUND,
                        "409": CONFLICT,
                    },
                    body="MentorRequestAccept",
                    body_required=False,
                    params=request_id,
                ),
                "MentorRequestAccept",
            )
        },
        "/mentor-requests/{request_id}/decline": {
            "post": _with_example(
                op(
                    "The mentor declines with a reason the entrepreneur reads",
                    {
                        "200": _json("MentorRequestForMentor", "Declined"),
                        "404": NOT_FOUND,
                        "409": CONFLICT,
                    },
                    body="MentorRequestDecline",
                    params=request_id,
                ),
                "MentorRequestDecline",
            )
        },
        "/mentor-requests/{request_id}/withdraw": {
            "post": op(
                "The entrepreneur withdraws a request that waits for an answer",
                {"200": _json("MentorRequest", "Withdrawn"), "404": NOT_FOUND, "409": CONFLICT},
                params=request_id,
            )
        },
    }
