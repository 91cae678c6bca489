"""Tasks: the searched list, create, read, edit, publish/close/cancel; recommendations for
the graduate and candidates for the owner."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _

from taskboerse.models import Role, Task, TaskForm
from taskboerse.services import recommendations, search
from taskboerse.services import tasks as task_service
from taskboerse.services.skills import match_vocabulary
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.openapi import TASK_LIST_PARAMS
from taskboerse.web.api.serialisers import (
    candidate_json,
    recommendation_json,
    task_json,
    task_page_json,
)
from taskboerse.web.api.validation import parse_optional_body, raise_validation, validated
from taskboerse.web.matching import matching_index


@bp.get("/tasks")
@auth()
@validated(query=TASK_LIST_PARAMS)
def list_tasks(params: dict):
    """Open tasks, searched, filtered, sorted and paginated."""
    page, per_page = params.get("page", 1), params.get("per_page", 20)
    skill_id = None
    if params.get("skill"):
        skill_id = match_vocabulary(params["skill"])
        skill_id = -1 if skill_id is None else skill_id  # an unknown skill finds nothing
    result = search.search_tasks(
        matching_index(),
        task_service.TaskQuery(
            q=params.get("q", ""),
            skill_id=skill_id,
            remote=params.get("remote"),
            form=TaskForm(params["form"]) if "form" in params else None,
            sort=params.get("sort", "relevance"),
            within_km=params.get("within_km"),
            page=page,
            per_page=per_page,
        ),
        g.api_user,
    )
    taken = task_service.count_taken_many([t.id for t in result.pagination.items])
    return jsonify(task_page_json(result, taken, page, per_page))


def _task_info(data: dict, base: Task | None = None) -> task_service.TaskInfo:
    """The task as sent, fields not sent taken from ``base`` (PATCH) or left empty (POST)."""

    def pick(key: str, current: Any) -> Any:
        return data[key] if key in data else current

    try:
        deadline = date.fromisoformat(data["deadline"]) if "deadline" in data else base.deadline
    except ValueError:
        raise_validation({"deadline": _("Not a valid date value.")})
    return task_service.TaskInfo(
        title=pick("title", base.title if base else ""),
        description=pick("description", base.description if base else ""),
        required_skills=pick(
            "required_skills", [s.label for s in base.required_skills] if base else []
        ),
        nice_skills=pick("nice_skills", [s.label for s in base.nice_skills] if base else []),
        hours=pick("hours", base.hours if base else 0),
        deadline=deadline,
        postcode=pick("postcode", base.postcode if base else None),
        remote=pick("remote", base.remote if base else False),
        capacity=pick("capacity", base.capacity if base else 1),
        learning=pick("learning", base.learning if base else ""),
        form=TaskForm(data["form"]) if "form" in data else (base.form if base else None),
        hourly_wage=pick("hourly_wage", base.hourly_wage if base else None),
        hours_per_week=pick("hours_per_week", base.hours_per_week if base else None),
        weeks=pick("weeks", base.weeks if base else None),
        uses_degree=pick("uses_degree", base.uses_degree if base else False),
    )


@bp.post("/tasks")
@auth(Role.ENTREPRENEUR)
@validated(body="TaskCreate")
def create_task(data: dict):
    """Create a task as a draft."""
    task = task_service.create_task(g.api_user, _task_info(data))
    return jsonify(task_json(task, 0)), 201


@bp.get("/tasks/<id:task_id>")
@auth()
def get_task(task_id: int):
    """A task (drafts only for their owner)."""
    task = task_service.get_visible_task(g.api_user, task_id)
    return jsonify(task_json(task, task_service.count_taken(task.id)))


@bp.patch("/tasks/<id:task_id>")
@auth(Role.ENTREPRENEUR)
@validated(body="TaskPatch")
def patch_task(task_id: int, data: dict):
    """Edit a draft or open task."""
    task = task_service.get_task_for_owner(g.api_user, task_id)
    task = task_service.update_task(g.api_user, task.id, _task_info(data, task))
    return jsonify(task_json(task, task_service.count_taken(task.id)))


@bp.post("/tasks/<id:task_id>/<any(publish, close, cancel):action>")
@auth(Role.ENTREPRENEUR)
def task_action(task_id: int, action: str):
    """Publish, close or cancel (a cancellation may carry a ``reason`` for the graduates)."""
    reason = parse_optional_body("ActionReason").get("reason", "") if action == "cancel" else ""
    task = task_service.change_task_status(g.api_user, task_id, action, reason)
    return jsonify(task_json(task, task_service.count_taken(task.id)))


@bp.get("/recommendations")
@auth(Role.JOBSEEKER)
def get_recommendations():
    """Ranked open tasks with reasons."""
    found = recommendations.recommend_tasks(
        matching_index(), g.api_user, k=20, locale=str(get_locale())
    )
    taken = task_service.count_taken_many([r.task.id for r in found])
    return jsonify([recommendation_json(r, taken.get(r.task.id, 0)) for r in found])


@bp.get("/tasks/<id:task_id>/candidates")
@auth(Role.ENTREPRENEUR)
def get_candidates(task_id: int):
    """Ranked graduates for the owner's task, with reasons."""
    found = recommendations.recommend_candidates(
        matching_index(), g.api_user, task_id, k=20, locale=str(get_locale())
    )
    return jsonify([candidate_json(c) for c in found])
