"""OpenAPI schemas and paths of the API module ``mentorships``: merged into the document by
``openapi.document``. A mentorship carries only the caller's own notes and feedback."""

from __future__ import annotations

from taskboerse.models import MentorshipStatus, Outcome
from taskboerse.services.mentoring import FREQUENCIES, TOPICS
from taskboerse.web.api.openapi import DATE, DATETIME, ID, _json, nullable, obj, op, path_id

_STRING = {"type": "string"}
_PERSON = obj({"id": ID, "name": _STRING}, ["id", "name"])

SCHEMAS: dict[str, dict] = {
    "MentorshipMeeting": obj(
        {
            "id": ID,
            "held_on": DATE,
            "planned": {"type": "boolean", "description": "The date is in the future"},
            "agenda": {"type": "string", "description": "Shared: both sides see it"},
            "my_note": {
                "type": "string",
                "description": "The caller's own private note; the other side's is never shown",
            },
        },
        ["id", "held_on", "planned", "agenda", "my_note"],
    ),
    "Mentorship": obj(
        {
            "id": ID,
            "status": {"type": "string", "enum": [s.value for s in MentorshipStatus]},
            "my_side": {"type": "string", "enum": ["mentor", "entrepreneur"]},
            "need_id": ID,
            "topic": {"type": "string", "enum": list(TOPICS)},
            "need_description": _STRING,
            "frequency": {"type": "string", "enum": list(FREQUENCIES)},
            "mentor": _PERSON,
            "entrepreneur": _PERSON,
            "start_on": DATE,
            "end_on": DATE,
            "period": obj(
                {
                    "week": {"type": "integer", "minimum": 0},
                    "weeks": {"type": "integer", "minimum": 1},
                    "started": {"type": "boolean"},
                    "past_end": {"type": "boolean"},
                },
                ["week", "weeks", "started", "past_end"],
            ),
            "last_meeting_on": nullable(DATE),
            "overdue": {"type": "boolean", "description": "Time for a meeting (active only)"},
            "ended_at": nullable(DATETIME),
            "ended_by_id": nullable(ID),
            "meetings": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/MentorshipMeeting"},
            },
            "my_feedback": nullable(
                obj(
                    {
                        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
                        "comment": _STRING,
                        "created_at": nullable(DATETIME),
                    },
                    ["rating", "comment", "created_at"],
                )
            ),
            "other_gave_feedback": {"type": "boolean"},
            "outcome": nullable({"type": "string", "enum": [o.value for o in Outcome]}),
            "outcome_note": nullable(
                {"type": "string", "description": "The entrepreneur's words; null for the mentor"}
            ),
            "may": obj(
                {
                    "add_meeting": {"type": "boolean"},
                    "end": {"type": "boolean"},
                    "give_feedback": {"type": "boolean"},
                    "record_outcome": {"type": "boolean"},
                },
                ["add_meeting", "end", "give_feedback", "record_outcome"],
            ),
        },
        [
            "id",
            "status",
            "my_side",
            "need_id",
            "topic",
            "mentor",
            "entrepreneur",
            "start_on",
            "end_on",
            "period",
            "meetings",
            "my_feedback",
            "other_gave_feedback",
            "outcome",
        ],
    ),
}


def paths() -> dict:
    """The paths of this module."""
    return {
        "/mentorships": {
            "get": op(
                "The caller's own mentorships (mentor or entrepreneur), active first",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Mentorship"}},
                        "The mentorships",
                    )
                },
            )
        },
        "/mentorships/{mentorship_id}": {
            "get": op(
                "One of the caller's mentorships",
                {
                    "200": _json("Mentorship", "The mentorship"),
                    "404": _json("Error", "Unknown, or not yours"),
                },
                params=[path_id("mentorship_id")],
            )
        },
    }
