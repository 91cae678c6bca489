"""Mentor needs, ranked mentors, requests and their answers.

Entrepreneurs write needs, see the ranked mentors and ask one; mentors list their requests and
accept or decline. Business-service staff and admins follow needs through the programme pages,
not here: these endpoints answer them 403.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import g, jsonify

from taskboerse.matching.geo import postcodes
from taskboerse.models import MentorNeed, MentorRequest, Mentorship, Role
from taskboerse.services import mentor_matching
from taskboerse.services import mentor_needs as service
from taskboerse.services.mentoring import DEFAULT_WEEKS, topic_label
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.validation import parse_date, parse_optional_body, validated
from taskboerse.web.matching import matching_index


def _iso(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _need_fields(need: MentorNeed) -> dict:
    return {
        "id": need.id,
        "topic": need.topic,
        "topic_label": topic_label(need.topic),
        "stage": need.stage,
        "frequency": need.frequency,
        "description": need.description,
        "postcode": need.postcode or "",
        "place": postcodes().display(need.postcode) or None,
        "online": bool(need.online),
        "skills": [s.label for s in need.skills],
    }


def request_json(request: MentorRequest, mentorship_id: int | None = None) -> dict:
    """A MentorRequest as the entrepreneur sees it."""
    return {
        "id": request.id,
        "need_id": request.need_id,
        "mentor_id": request.mentor_id,
        "mentor_name": request.mentor.name,
        "message": request.message,
        "status": request.status.value,
        "decline_reason": request.decline_reason or "",
        "created_at": _iso(request.created_at),
        "expires_at": _iso(request.expires_at),
        "answered_at": _iso(request.answered_at),
        "mentorship_id": mentorship_id,
    }


def need_json(need: MentorNeed, mentorship_id: int | None = None) -> dict:
    """A MentorNeed with its requests (oldest first)."""
    return {
        **_need_fields(need),
        "status": need.status.value,
        "created_at": _iso(need.created_at),
        "closed_at": _iso(need.closed_at),
        "mentorship_id": mentorship_id,
        "requests": [
            request_json(r, mentorship_id if r.status.value == "accepted" else None)
            for r in need.requests
        ],
    }


def mentor_request_json(request: MentorRequest, mentorship_id: int | None = None) -> dict:
    """A MentorRequestForMentor: the request with the need and who sent it."""
    need = request.need
    return {
        **request_json(request, mentorship_id),
        "days_left": service.days_left(request) if request.status.value == "pending" else 0,
        "entrepreneur_name": need.entrepreneur.name,
        "company": need.company.name if need.company is not None else None,
        "need": _need_fields(need),
    }


def _needs_json(needs: list[MentorNeed]) -> list[dict]:
    mentorships = service.mentorship_ids([n.id for n in needs])
    return [need_json(n, mentorships.get(n.id)) for n in needs]


@bp.post("/mentor-needs")
@auth(Role.ENTREPRENEUR)
@validated(body="MentorNeedCreate")
def create_need(data: dict):
    """Write a mentor need."""
    info = service.NeedInfo(
        topic=data["topic"],
        stage=data["stage"],
        description=data["description"],
        frequency=data["frequency"],
        postcode=data.get("postcode"),
        online=data.get("online", True),
        skills=data.get("skills", []),
    )
    need = service.create_need(g.api_user, info)
    return jsonify(need_json(need)), 201


@bp.get("/mentor-needs")
@auth(Role.ENTREPRENEUR)
def list_needs():
    """The entrepreneur's own needs."""
    return jsonify(_needs_json(service.list_needs(g.api_user)))


@bp.get("/mentor-needs/<id:need_id>")
@auth(Role.ENTREPRENEUR)
def get_need(need_id: int):
    """One of the entrepreneur's needs."""
    [row] = _needs_json([service.get_need(g.api_user, need_id)])
    return jsonify(row)


@bp.post("/mentor-needs/<id:need_id>/close")
@auth(Role.ENTREPRENEUR)
def close_need(need_id: int):
    """Stop looking for a mentor for the need."""
    need = service.close_need(g.api_user, need_id)
    return jsonify(need_json(need))


@bp.get("/mentor-needs/<id:need_id>/mentors")
@auth(Role.ENTREPRENEUR)
def mentors_for_need(need_id: int):
    """The ranked, explained mentors for an open need with nobody asked at the moment."""
    need = service.get_need(g.api_user, need_id)
    if service.pending_request(need) is not None:
        return jsonify({"items": [], "notice": ""})
    ranking = mentor_matching.mentors_for_need(matching_index(), need)
    items = [
        {
            "mentor_id": m.mentor.user_id,
            "name": m.mentor.user.name,
            "headline": m.mentor.headline or "",
            "score": max(0.0, min(1.0, float(m.score))),
            "reasons": list(m.reasons),
            "matched": [
                {"skill": skill, "mentor_skill": mentor_skill, "related": bool(related)}
                for skill, mentor_skill, related in m.matched
            ],
            "distance_km": m.distance_km,
            "online": bool(getattr(m, "online", False)),
            "capacity_left": m.capacity_left,
        }
        for m in ranking
    ]
    return jsonify({"items": items, "notice": ranking.notice or ""})


@bp.post("/mentor-needs/<id:need_id>/requests")
@auth(Role.ENTREPRENEUR)
@validated(body="MentorRequestCreate")
def request_mentor(need_id: int, data: dict):
    """Ask one mentor, with a message."""
    request = service.request_mentor(g.api_user, need_id, data["mentor_id"], data["message"])
    return jsonify(request_json(request)), 201


@bp.post("/mentor-requests/<id:request_id>/withdraw")
@auth(Role.ENTREPRENEUR)
def withdraw_request(request_id: int):
    """Take back a request that waits for an answer."""
    return jsonify(request_json(service.withdraw_request(g.api_user, request_id)))


@bp.get("/mentor-requests")
@auth(Role.MENTOR)
def list_requests():
    """The mentor's requests: waiting ones, then those answered lately."""
    found = service.list_requests_for_mentor(g.api_user)
    rows = [*found.pending, *found.answered]
    mentorships = service.mentorship_ids([r.need_id for r in rows])
    return jsonify(
        [
            mentor_request_json(
                r, mentorships.get(r.need_id) if r.status.value == "accepted" else None
            )
            for r in rows
        ]
    )


def _mentorship_json(mentorship: Mentorship) -> dict:
    return {
        "id": mentorship.id,
        "start_on": _iso(mentorship.start_on),
        "end_on": _iso(mentorship.end_on),
        "status": mentorship.status.value,
    }


@bp.post("/mentor-requests/<id:request_id>/accept")
@auth(Role.MENTOR)
def accept_request(request_id: int):
    """Accept: a mentorship starts on ``start_on`` (default today) for ``weeks`` weeks."""
    service.get_request_for_mentor(g.api_user, request_id)
    body = parse_optional_body("MentorRequestAccept")
    start_on = parse_date(body["start_on"], "start_on") if "start_on" in body else None
    mentorship = service.accept_request(
        g.api_user, request_id, start_on, body.get("weeks", DEFAULT_WEEKS)
    )
    request = service.get_request_for_mentor(g.api_user, request_id)
    return jsonify(
        {
            "request": mentor_request_json(request, mentorship.id),
            "mentorship": _mentorship_json(mentorship),
        }
    )


@bp.post("/mentor-requests/<id:request_id>/decline")
@auth(Role.MENTOR)
@validated(body="MentorRequestDecline")
def decline_request(request_id: int, data: dict):
    """Decline with a reason."""
    request = service.decline_request(g.api_user, request_id, data["reason"])
    return jsonify(mentor_request_json(request))
