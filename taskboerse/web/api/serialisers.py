"""Objects to the JSON shapes of the OpenAPI document. No queries here: what a shape needs
beyond the object (places taken, endorsed skills) is loaded by the view and passed in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from flask import url_for
from flask_sqlalchemy.pagination import Pagination

from taskboerse.labels import action_label, education_label, purpose_label
from taskboerse.matching.geo import postcodes
from taskboerse.matching.ranker import Match
from taskboerse.models import (
    Application,
    Company,
    Consent,
    JobseekerProfile,
    Message,
    OutcomeStatus,
    Placement,
    PlacementHours,
    Task,
    User,
)
from taskboerse.services import caseload
from taskboerse.services.conversations import Contact
from taskboerse.services.placements import hours_summary
from taskboerse.services.recommendations import (
    CandidateRecommendation,
    TaskRecommendation,
    explanation_sentence,
    similarity_phrase,
)
from taskboerse.services.search import SearchResult
from taskboerse.services.tasks import places_left


def _iso(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def user_json(user: User) -> dict:
    """A User."""
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role.value}


def company_json(company: Company) -> dict:
    """A Company, with its public profile and the address of its logo (null for none)."""
    logo = None
    if company.logo_updated_at is not None:
        logo = url_for("main.company_logo", company_id=company.id, _external=True)
    return {
        "name": company.name,
        "cvr": company.cvr,
        "phone": company.phone,
        "description": company.description,
        "website": company.website,
        "sector": company.sector or None,
        "address": company.address,
        "postcode": company.postcode,
        "logo_url": logo,
        "verified": company.is_verified,
    }


def profile_json(profile: JobseekerProfile, endorsed: Sequence[str]) -> dict:
    """A Profile; ``endorsed`` the skills references from verified companies confirmed. The
    education's ``code`` and ``label`` name the vocabulary entry the field is linked to."""
    code = profile.education_code
    return {
        "education": {
            "level": profile.degree_level.value if profile.degree_level else None,
            "field": profile.field,
            "institution": profile.institution,
            "year": profile.graduation_year,
            "code": code,
            "label": education_label(code) or None if code else None,
        },
        "skills": [s.label for s in profile.skills],
        "endorsed_skills": list(endorsed),
        "languages": list(profile.languages),
        "hours_per_week": profile.hours_per_week,
        "postcode": profile.postcode,
        "place": postcodes().display(profile.postcode) or None,
        "max_distance_km": profile.max_distance_km,
        "remote_ok": profile.remote_ok,
        "about": profile.about,
        "phone": profile.phone,
        "show_ratings": profile.show_ratings,
    }


def me_json(user: User, profile: dict | None, company: Company | None) -> dict:
    """Me: the user, their serialised profile (graduates) and their company (entrepreneurs)."""
    return {
        "user": user_json(user),
        "profile": profile,
        "company": company_json(company) if company else None,
    }


def task_json(task: Task, taken: int) -> dict:
    """A Task; ``taken`` the places already taken."""
    return {
        "id": task.id,
        "company": task.company.name,
        "status": task.status.value,
        "places_left": places_left(task.capacity, taken),
        "title": task.title,
        "description": task.description,
        "required_skills": [s.label for s in task.required_skills],
        "nice_skills": [s.label for s in task.nice_skills],
        "hours": task.hours,
        "deadline": task.deadline.isoformat(),
        "postcode": task.postcode,
        "place": postcodes().display(task.postcode) or None,
        "remote": task.remote,
        "capacity": task.capacity,
        "learning": task.learning,
        "form": task.form.value,
        "hourly_wage": task.hourly_wage,
        "hours_per_week": task.hours_per_week,
        "weeks": task.weeks,
        "uses_degree": task.uses_degree,
    }


def task_page_json(result: SearchResult, taken: dict[int, int], page: int, per_page: int) -> dict:
    """A page of the task list (a search result), each task with its distance when known."""
    listed = []
    for task in result.pagination.items:
        item = task_json(task, taken.get(task.id, 0))
        if task.id in result.distances:
            item["distance_km"] = result.distances[task.id]
        listed.append(item)
    return {
        "items": listed,
        "page": page,
        "per_page": per_page,
        "total": result.pagination.total,
        "sort": result.sort,
        "notices": result.notices,
    }


def application_json(application: Application) -> dict:
    """An Application."""
    return {
        "id": application.id,
        "task_id": application.task_id,
        "jobseeker_id": application.jobseeker_id,
        "status": application.status.value,
        "motivation": application.motivation,
        "created_at": application.created_at.isoformat(),
        "worked_for_company": application.worked_for_company,
        "placement_id": application.placement.id if application.placement else None,
        "placement_status": (application.placement.status.value if application.placement else None),
    }


def placement_json(placement: Placement, checks: list | None = None) -> dict:
    """A Placement with its hours; ``checks`` (the rule checks) for the caseworker."""
    logged, confirmed = hours_summary(placement)
    task = placement.application.task
    body = {
        "id": placement.id,
        "application_id": placement.application_id,
        "task_id": task.id,
        "task": task.title,
        "company": placement.company.name,
        "cvr": placement.company.cvr,
        "jobseeker_id": placement.jobseeker_id,
        "jobseeker": placement.jobseeker.name,
        "form": placement.form.value,
        "status": placement.status.value,
        "purpose": placement.purpose,
        "start_on": placement.start_on.isoformat(),
        "end_on": placement.end_on.isoformat(),
        "hours_per_week": placement.hours_per_week,
        "hourly_wage": placement.hourly_wage,
        "decided_at": placement.decided_at.isoformat() if placement.decided_at else None,
        "decision_reason": placement.decision_reason,
        "hours_logged": logged,
        "hours_confirmed": confirmed,
        "hours": [hours_json(h) for h in placement.hours],
    }
    if checks is not None:
        body["checks"] = [
            {"rule": c.rule, "label": c.label, "holds": c.holds, "detail": c.detail} for c in checks
        ]
    return body


def hours_json(row: PlacementHours) -> dict:
    """One day's hours."""
    return {
        "id": row.id,
        "date": row.work_date.isoformat(),
        "hours": row.hours,
        "note": row.note,
        "confirmed": row.confirmed_at is not None,
    }


def contact_json(contact: Contact) -> dict:
    """The other side's contact details (only once an application is accepted)."""
    body = {"name": contact.name, "email": contact.email, "phone": contact.phone or None}
    if contact.company is not None:
        body["company"] = contact.company
    return body


def message_json(message: Message, reader: User) -> dict:
    """A Message as ``reader`` sees it (``mine`` when they wrote it)."""
    return {
        "id": message.id,
        "sender_id": message.sender_id,
        "sender_name": message.sender.name if message.sender is not None else None,
        "mine": message.sender_id == reader.id,
        "body": message.body,
        "erased": message.erased_at is not None,
        "created_at": message.created_at.isoformat(),
    }


def explanation_json(match: Match, for_graduate: bool) -> dict:
    """An Explanation of a match, worded for the graduate or for the entrepreneur."""
    e = match.explanation
    return {
        "sentence": explanation_sentence(match, for_graduate),
        "matched": [
            {
                "skill": m.task_label,
                "profile_skill": m.profile_label,
                "certainty": m.certainty,
                "endorsed": m.endorsed,
                "required": m.required,
                "related": m.related,
            }
            for m in e.matched
        ],
        "missing_required": list(e.missing_required),
        "similarity": e.similarity,
        "text_fit": e.text_fit,
        "text_similarity": similarity_phrase(e.text_fit, for_graduate),
        "coverage": e.coverage,
        "distance_km": e.distance_km,
        "remote": e.remote,
    }


def recommendation_json(found: TaskRecommendation, taken: int) -> dict:
    """A Recommendation: a task for the graduate, with its score and reasons."""
    return {
        "task": task_json(found.task, taken),
        "score": found.match.score,
        "explanation": explanation_json(found.match, True),
    }


def candidate_json(candidate: CandidateRecommendation) -> dict:
    """A Candidate: a graduate for a task, with the score and reasons."""
    return {
        "jobseeker_id": candidate.user.id,
        "name": candidate.user.name,
        "score": candidate.match.score,
        "invited": candidate.invited,
        "explanation": explanation_json(candidate.match, False),
    }


def consent_json(consent: Consent) -> dict:
    """Consent: whether the graduate shares with the job centre, and since when."""
    return {"share_with_jobcentre": consent.shared, "changed_at": consent.changed_at.isoformat()}


def access_log_page_json(result: Pagination, page: int, per_page: int) -> dict:
    """An AccessLogPage: when and why the graduate's data was looked at, never by whom."""
    return {
        "items": [
            {
                "at": e.created_at.isoformat(),
                "action": e.action.value,
                "purpose": e.purpose.value,
                "description": str(action_label(e.action)),
                "purpose_text": str(purpose_label(e.purpose)),
            }
            for e in result.items
        ],
        "page": page,
        "per_page": per_page,
        "total": result.total,
    }


def outcome_json(status: OutcomeStatus | None, on: date | None) -> dict | None:
    """An outcome, or None when none is recorded."""
    return None if status is None else {"status": status.value, "date": on.isoformat()}


def caseload_row_json(row: caseload.CaseloadRow) -> dict:
    """One graduate in the caseload."""
    return {
        "jobseeker_id": row.jobseeker_id,
        "name": row.name,
        "email": row.email,
        "education": row.education,
        "education_code": row.education_code,
        "education_label": row.education_label,
        "registered_at": row.registered_at.isoformat(),
        "days_since_registration": row.days_registered,
        "applications": row.applications,
        "withdrawn": row.withdrawn,
        "accepted": row.accepted,
        "completed": row.completed,
        "last_activity": row.last_activity.isoformat(),
        "flags": [{"code": f.code.value, "reason": str(f.reason)} for f in row.flags],
        "outcome": outcome_json(row.outcome, row.outcome_date),
    }


def case_file_json(file: caseload.CaseFile) -> dict:
    """A CaseFile: the caseload row, the timeline of applications, and the notes."""
    return {
        "summary": caseload_row_json(file.row),
        "timeline": [
            {
                "application_id": e.application_id,
                "task_title": e.task_title,
                "company": e.company_name,
                "status": e.status.value,
                "applied_at": e.applied_at.isoformat(),
                "accepted_at": _iso(e.accepted_at),
                "ended_at": _iso(e.ended_at),
                "completed_at": _iso(e.completed_at),
                "deadline": e.deadline.isoformat(),
                "rating": e.rating,
                "reference": e.reference,
                "endorsed_skills": e.endorsed_skills,
            }
            for e in file.timeline
        ],
        "notes": [
            {
                "text": n.text,
                "author": n.author.name if n.author else None,
                "created_at": n.created_at.isoformat(),
            }
            for n in file.notes
        ],
    }
