"""Mentorships: a mentor's or an entrepreneur's own, with meetings, the shared agenda and only
the caller's own notes. Business-service staff and admins follow the programme elsewhere
(403 here)."""

from __future__ import annotations

from flask import g, jsonify

from taskboerse.models import Role
from taskboerse.services import mentorships as mentorship_service
from taskboerse.services.mentorships import MentorshipView
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user) -> dict:
    return {"id": user.id, "name": user.name}


def mentorship_json(view: MentorshipView) -> dict:
    """A Mentorship as the caller sees it: never the other side's notes or feedback."""
    m = view.mentorship
    mine = view.my_feedback
    return {
        "id": m.id,
        "status": m.status.value,
        "my_side": view.side,
        "need_id": m.need_id,
        "topic": m.need.topic,
        "need_description": m.need.description,
        "frequency": m.need.frequency,
        "mentor": _person(m.mentor),
        "entrepreneur": _person(m.entrepreneur),
        "start_on": m.start_on.isoformat(),
        "end_on": m.end_on.isoformat(),
        "period": {
            "week": view.period.week,
            "weeks": view.period.weeks,
            "started": view.period.started,
            "past_end": view.period.past_end,
        },
        "last_meeting_on": _iso(view.last_meeting_on),
        "overdue": view.overdue,
        "ended_at": _iso(m.ended_at),
        "ended_by_id": m.ended_by_id,
        "meetings": [
            {
                "id": mv.meeting.id,
                "held_on": mv.meeting.held_on.isoformat(),
                "planned": mv.planned,
                "agenda": mv.meeting.agenda,
                "my_note": mv.my_note,
            }
            for mv in view.meetings
        ],
        "my_feedback": (
            {"rating": mine.rating, "comment": mine.comment, "created_at": _iso(mine.created_at)}
            if mine is not None
            else None
        ),
        "other_gave_feedback": view.other_gave_feedback,
        "outcome": m.outcome.value if m.outcome else None,
        "outcome_note": m.outcome_note if view.is_entrepreneur else None,
        "may": {
            "add_meeting": view.may_add_meeting,
            "end": view.may_end,
            "give_feedback": view.may_give_feedback,
            "record_outcome": view.may_record_outcome,
        },
    }


@bp.get("/mentorships")
@auth(Role.MENTOR, Role.ENTREPRENEUR)
def list_mentorships():
    """The caller's own mentorships, active first."""
    return jsonify([mentorship_json(v) for v in mentorship_service.mentorship_views(g.api_user)])


@bp.get("/mentorships/<id:mentorship_id>")
@auth(Role.MENTOR, Role.ENTREPRENEUR)
def get_mentorship(mentorship_id: int):
    """One of the caller's mentorships (404 for anyone else's)."""
    return jsonify(mentorship_json(mentorship_service.mentorship_view(g.api_user, mentorship_id)))
