"""OpenAPI schemas and paths of the API module ``questions`` (Spørg en mentor): merged into
the document by ``openapi.document``."""

from __future__ import annotations

from taskboerse.services.mentoring import MAX_ANSWER, MAX_QUESTION_BODY, MAX_QUESTION_TITLE
from taskboerse.services.questions import MAX_SEARCH
from taskboerse.web.api.openapi import (
    CONFLICT,
    DATETIME,
    ID,
    NOT_FOUND,
    PAGE_PARAMS,
    _json,
    nullable,
    obj,
    op,
    path_id,
    query,
)


def _text(limit: int) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": r"\S"}


HIDDEN = nullable(
    {
        **obj({"at": DATETIME, "reason": {"type": "string"}}, ["at", "reason"]),
        "description": "Set when the business service hid the post; only its author and "
        "staff still read it.",
    }
)

SCHEMAS: dict[str, dict] = {
    "QuestionCreate": obj(
        {
            "title": _text(MAX_QUESTION_TITLE),
            "body": _text(MAX_QUESTION_BODY),
            "public": {
                "type": "boolean",
                "description": "true: once answered, other entrepreneurs can find the question "
                "and its answers (never the asker's name). false: only the asker, approved "
                "mentors and the business service see it.",
            },
        },
        ["title", "body", "public"],
    ),
    "AnswerCreate": obj({"body": _text(MAX_ANSWER)}, ["body"]),
    "Answer": obj(
        {
            "id": ID,
            "question_id": ID,
            "body": {"type": "string"},
            "created_at": DATETIME,
            "mentor": obj(
                {"name": {"type": "string"}, "headline": {"type": "string"}},
                ["name", "headline"],
            ),
            "helpful": {"type": "boolean", "description": "The asker marked it as helpful."},
            "mine": {"type": "boolean"},
            "hidden": HIDDEN,
        },
        ["id", "question_id", "body", "created_at", "mentor", "helpful", "mine", "hidden"],
    ),
    "Question": obj(
        {
            "id": ID,
            "title": {"type": "string"},
            "body": {"type": "string"},
            "public": {"type": "boolean"},
            "created_at": DATETIME,
            "mine": {"type": "boolean", "description": "Asked by the caller."},
            "asker": {
                **nullable({"type": "string"}),
                "description": "The asker's name: for the asker and staff only, else null.",
            },
            "hidden": HIDDEN,
            "answers": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"}},
        },
        ["id", "title", "body", "public", "created_at", "mine", "asker", "hidden", "answers"],
    ),
    "QuestionPage": obj(
        {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
        },
        ["items", "page", "per_page", "total"],
    ),
}

LIST_PARAMS = {"q": {"type": "string", "maxLength": MAX_SEARCH}, **PAGE_PARAMS}


def paths() -> dict:
    """The paths of this module."""
    question_id = [path_id("question_id")]
    return {
        "/questions": {
            "post": op(
                "Ask the mentors a question (entrepreneur)",
                {"201": _json("Question", "Posted")},
                body="QuestionCreate",
            ),
            "get": op(
                "Questions the caller may see, newest first; q searches titles, details and "
                "answers (any case). Entrepreneurs: their own and others' answered public ones; "
                "approved mentors: all not hidden; staff: all",
                {"200": _json("QuestionPage", "A page of questions")},
                params=[query(name, schema) for name, schema in LIST_PARAMS.items()],
            ),
        },
        "/questions/{question_id}": {
            "get": op(
                "One question with the answers the caller may read",
                {"200": _json("Question", "The question"), "404": NOT_FOUND},
                params=question_id,
            )
        },
        "/questions/{question_id}/answers": {
            "post": op(
                "Answer a question (approved mentor, one answer each); the asker is told",
                {"201": _json("Answer", "Posted"), "404": NOT_FOUND, "409": CONFLICT},
                body="AnswerCreate",
                params=question_id,
            )
        },
        "/answers/{answer_id}/helpful": {
            "post": op(
                "Mark the helpful answer (the asker; moves the mark from any other answer)",
                {"200": _json("Answer", "Marked"), "404": NOT_FOUND, "409": CONFLICT},
                params=[path_id("answer_id")],
            )
        },
    }
