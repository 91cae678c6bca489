"""Spørg en mentor: questions, answers and the helpful answer. The rules (who sees what) are
in services/questions.py."""

from __future__ import annotations

from flask import g, jsonify

from taskboerse.models import Answer, Question, Role, User
from taskboerse.services import questions
from taskboerse.services.questions import QUESTION_ROLES, QuestionQuery
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.openapi_questions import LIST_PARAMS
from taskboerse.web.api.validation import validated


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _hidden(post: Question | Answer) -> dict | None:
    if post.hidden_at is None:
        return None
    return {"at": _iso(post.hidden_at), "reason": post.hidden_reason}


def answer_json(answer: Answer, viewer: User, headlines: dict[int, str]) -> dict:
    """An Answer as ``viewer`` reads it."""
    return {
        "id": answer.id,
        "question_id": answer.question_id,
        "body": answer.body,
        "created_at": _iso(answer.created_at),
        "mentor": {
            "name": answer.author.name if answer.author else "",
            "headline": headlines.get(answer.author_id, "") if answer.author_id else "",
        },
        "helpful": answer.helpful_at is not None,
        "mine": answer.author_id is not None and answer.author_id == viewer.id,
        "hidden": _hidden(answer),
    }


def question_json(question: Question, viewer: User, headlines: dict[int, str]) -> dict:
    """A Question with the answers ``viewer`` may read."""
    shown = question.author is not None and questions.shows_asker(question, viewer)
    return {
        "id": question.id,
        "title": question.title,
        "body": question.body,
        "public": question.is_public,
        "created_at": _iso(question.created_at),
        "mine": question.author_id is not None and question.author_id == viewer.id,
        "asker": question.author.name if shown else None,
        "hidden": _hidden(question),
        "answers": [
            answer_json(a, viewer, headlines) for a in questions.visible_answers(question, viewer)
        ],
    }


def _headlines(rows: list[Question]) -> dict[int, str]:
    return questions.mentor_headlines(a.author_id for q in rows for a in q.answers)


@bp.post("/questions")
@auth(Role.ENTREPRENEUR)
@validated(body="QuestionCreate")
def ask(data: dict):
    """Post a question to the mentor pool."""
    question = questions.ask_question(g.api_user, data["title"], data["body"], data["public"])
    return jsonify(question_json(question, g.api_user, {})), 201


@bp.get("/questions")
@auth(*QUESTION_ROLES)
@validated(query=LIST_PARAMS)
def list_questions(params: dict):
    """The questions the caller may see, newest first, searched by ``q``."""
    found = questions.search(
        g.api_user,
        QuestionQuery(
            text=params.get("q", ""),
            page=params.get("page", 1),
            per_page=params.get("per_page", questions.PER_PAGE),
        ),
    )
    headlines = _headlines(found.items)
    return jsonify(
        {
            "items": [question_json(q, g.api_user, headlines) for q in found.items],
            "page": found.page,
            "per_page": found.per_page,
            "total": found.total,
        }
    )


@bp.get("/questions/<id:question_id>")
@auth(*QUESTION_ROLES)
def get_question(question_id: int):
    """One question with its answers."""
    question = questions.get_question(g.api_user, question_id, via="api")
    return jsonify(question_json(question, g.api_user, _headlines([question])))


@bp.post("/questions/<id:question_id>/answers")
@auth(Role.MENTOR)
@validated(body="AnswerCreate")
def answer(question_id: int, data: dict):
    """An approved mentor answers; the asker is told."""
    row = questions.answer_question(g.api_user, question_id, data["body"])
    return jsonify(answer_json(row, g.api_user, questions.mentor_headlines([g.api_user.id]))), 201


@bp.post("/answers/<id:answer_id>/helpful")
@auth(Role.ENTREPRENEUR)
def helpful(answer_id: int):
    """The asker marks the helpful answer."""
    row = questions.mark_helpful(g.api_user, answer_id)
    return jsonify(answer_json(row, g.api_user, questions.mentor_headlines([row.author_id])))
