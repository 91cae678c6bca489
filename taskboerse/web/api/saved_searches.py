"""The graduate's saved searches: list, save (with an alert frequency) and delete."""

from __future__ import annotations

from flask import g, jsonify

from taskboerse.models import Role, SavedSearch
from taskboerse.services import saved_searches as alert_service
from taskboerse.services.saved_searches import SavedSearchInfo
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.validation import validated


def saved_search_json(search: SavedSearch) -> dict:
    """A SavedSearch."""
    return {
        "id": search.id,
        "name": search.name,
        "q": search.q,
        "skill_id": search.skill_id,
        "within_km": search.within_km,
        "max_hours": search.max_hours,
        "remote": search.remote,
        "form": search.form,
        "frequency": search.frequency.value,
        "created_at": search.created_at.isoformat(),
        "sent_at": search.sent_at.isoformat() if search.sent_at else None,
    }


@bp.get("/me/saved-searches")
@auth(Role.JOBSEEKER)
def list_saved_searches():
    """The graduate's saved searches, oldest first."""
    searches = alert_service.list_saved_searches(g.api_user)
    return jsonify([saved_search_json(s) for s in searches])


@bp.post("/me/saved-searches")
@auth(Role.JOBSEEKER)
@validated(body="SavedSearchCreate")
def create_saved_search(data: dict):
    """Save a search with a name and an alert frequency (daily unless given)."""
    info = SavedSearchInfo(
        name=data["name"],
        q=data.get("q", ""),
        skill_id=data.get("skill_id"),
        within_km=data.get("within_km"),
        max_hours=data.get("max_hours"),
        remote=data.get("remote"),
        frequency=data.get("frequency", SavedSearchInfo.frequency),
        form=data.get("form"),
    )
    search = alert_service.create_saved_search(g.api_user, info)
    return jsonify(saved_search_json(search)), 201


@bp.delete("/me/saved-searches/<id:saved_search_id>")
@auth(Role.JOBSEEKER)
def delete_saved_search(saved_search_id: int):
    """Delete one of the graduate's saved searches (404 for anyone else's)."""
    alert_service.delete_saved_search(g.api_user, saved_search_id)
    return "", 204
