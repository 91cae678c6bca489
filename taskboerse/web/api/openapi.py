"""The OpenAPI 3.1 document of /api/v1. Request bodies are validated against these very
schemas, so the document and the implementation cannot drift apart."""

from __future__ import annotations

from typing import Any

from taskboerse import __version__
from taskboerse.models import AlertFrequency, OutcomeStatus, PlacementStatus, Role, TaskForm
from taskboerse.models.user import SELF_SIGNUP_ROLES
from taskboerse.services import companies, placement_rules, placements, saved_searches, tasks
from taskboerse.services.caseload import SORT_KEYS
from taskboerse.services.follow_up import FlagCode
from taskboerse.services.notifications import MAX_REASON
from taskboerse.services.search import DISTANCES_KM, MAX_WITHIN_KM
from taskboerse.services.search import SORTS as SEARCH_SORTS

NAME = {"type": "string", "minLength": 1, "maxLength": 120}
TEXT = {"type": "string", "maxLength": 10000}
EMAIL = {"type": "string", "format": "email", "maxLength": 254}
PASSWORD = {"type": "string", "minLength": 8, "maxLength": 128}
POSTCODE = {"type": "string", "pattern": "^[0-9]{4}$"}
SKILLS = {
    "type": "array",
    "maxItems": 25,
    "items": {"type": "string", "minLength": 1, "maxLength": 120},
}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}


# Optional; shown to the other side only once an application is accepted.
PHONE = {"type": "string", "maxLength": 30}


def obj(properties: dict, required: list[str] | None = None) -> dict:
    """A closed object schema: unknown fields are refused."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def nullable(schema: dict) -> dict:
    """``schema`` or null."""
    return {"oneOf": [schema, {"type": "null"}]}


TASK_FIELDS = {
    "title": {"type": "string", "minLength": 1, "maxLength": tasks.MAX_TITLE, "pattern": r"\S"},
    "description": {
        "type": "string",
        "minLength": 1,
        "maxLength": tasks.MAX_DESCRIPTION,
        "pattern": r"\S",
    },
    "required_skills": SKILLS,
    "nice_skills": SKILLS,
    "hours": {"type": "integer", "minimum": 1, "maximum": tasks.MAX_HOURS},
    "deadline": DATE,
    "postcode": nullable(POSTCODE),
    "remote": {"type": "boolean"},
    "capacity": {"type": "integer", "minimum": 1, "maximum": tasks.MAX_CAPACITY},
    "learning": {"type": "string", "maxLength": tasks.MAX_LEARNING},
    # What the task is for a graduate on dagpenge (services/placement_rules.py).
    "form": {
        "type": "string",
        "enum": [f.value for f in TaskForm],
        "description": "praktik (virksomhedspraktik, unpaid, needs the job centre's approval), "
        "paid (a paid small job) or voluntary (a non-profit association only)",
    },
    "hourly_wage": nullable(
        {"type": "integer", "minimum": 1, "maximum": placement_rules.MAX_HOURLY_WAGE}
    ),
    "hours_per_week": nullable({"type": "integer", "minimum": 1, "maximum": 168}),
    "weeks": nullable({"type": "integer", "minimum": 1, "maximum": 52}),
    "uses_degree": {"type": "boolean"},
}

EXPLANATION = obj(
    {
        "sentence": {"type": "string"},
        "matched": {
            "type": "array",
            "items": obj(
                {
                    "skill": {"type": "string"},
                    "profile_skill": {"type": "string"},
                    "certainty": {"type": "number"},
                    "endorsed": {"type": "boolean"},
                    "required": {"type": "boolean"},
                    "related": {"type": "boolean"},
                },
                ["skill", "profile_skill", "certainty", "endorsed", "required", "related"],
            ),
        },
        "missing_required": {"type": "array", "items": {"type": "string"}},
        "similarity": {"type": "number"},
        "text_fit": {"type": "number", "minimum": 0, "maximum": 1},
        "text_similarity": {"type": "string"},
        "coverage": {"type": "number"},
        "distance_km": {"type": ["number", "null"]},
        "remote": {"type": "boolean"},
    },
    [
        "sentence",
        "matched",
        "missing_required",
        "similarity",
        "text_fit",
        "text_similarity",
        "coverage",
        "distance_km",
        "remote",
    ],
)

FLAG_CODES = [code.value for code in FlagCode]
OUTCOMES = [status.value for status in OutcomeStatus]
CASELOAD_PARAMS = {
    "q": {"type": "string", "maxLength": 200},
    "education": {"type": "string", "maxLength": 120},
    "flag": {"type": "string", "enum": ["any", "none", *FLAG_CODES]},
    "sort": {"type": "string", "enum": list(SORT_KEYS)},
    "dir": {"type": "string", "enum": ["asc", "desc"]},
}
PAGE_PARAMS = {
    "page": {"type": "integer", "minimum": 1, "maximum": 10000},
    "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
}
TASK_LIST_PARAMS = {
    "q": {"type": "string", "maxLength": 200},
    "skill": {"type": "string", "maxLength": 120},
    "remote": {"type": "boolean"},
    "form": {"type": "string", "enum": [f.value for f in TaskForm]},
    "sort": {"type": "string", "enum": list(SEARCH_SORTS)},
    "within_km": {"type": "integer", "minimum": 1, "maximum": MAX_WITHIN_KM},
    **PAGE_PARAMS,
}

FREQUENCIES = [f.value for f in AlertFrequency]
SAVED_SEARCH_FIELDS = {
    "name": {
        "type": "string",
        "minLength": 1,
        "maxLength": saved_searches.MAX_NAME,
        "pattern": r"\S",
    },
    "q": {"type": "string", "maxLength": saved_searches.MAX_Q},
    "skill_id": nullable(ID),
    "within_km": nullable({"type": "integer", "enum": list(DISTANCES_KM)}),
    "max_hours": nullable({"type": "integer", "minimum": 1, "maximum": saved_searches.MAX_HOURS}),
    "remote": {
        **nullable({"type": "boolean"}),
        "description": "true: remote tasks only; false: on site only; null: both.",
    },
    "form": {
        **nullable({"type": "string", "enum": [f.value for f in TaskForm]}),
        "description": "Only tasks of this form (praktik, paid, voluntary); null: every form.",
    },
    "frequency": {
        "type": "string",
        "enum": FREQUENCIES,
        "description": "How often new matching tasks are emailed (default daily).",
    },
}

SCHEMAS: dict[str, dict] = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                ["code", "message", "fields"],
            )
        },
        ["error"],
    ),
    "UserCreate": obj(
        {
            "email": EMAIL,
            "password": PASSWORD,
            "name": NAME,
            "role": {"type": "string", "enum": [r.value for r in SELF_SIGNUP_ROLES]},
        },
        ["email", "password", "name", "role"],
    ),
    "User": obj(
        {
            "id": ID,
            "email": {"type": "string"},
            "name": {"type": "string"},
            "role": {
                "type": "string",
                "enum": [r.value for r in Role],
            },
        },
        ["id", "email", "name", "role"],
    ),
    "TokenCreate": obj(
        {
            "email": {"type": "string", "maxLength": 254},
            "password": {"type": "string", "maxLength": 128},
        },
        ["email", "password"],
    ),
    "Token": obj({"token": {"type": "string"}, "expires_at": DATETIME}, ["token", "expires_at"]),
    "PasswordResetRequest": obj({"email": EMAIL}, ["email"]),
    "PasswordResetAccepted": obj(
        {"status": {"type": "string", "enum": ["accepted"]}, "message": {"type": "string"}},
        ["status", "message"],
    ),
    "Education": obj(
        {
            "level": nullable(
                {"type": "string", "enum": ["professional_bachelor", "bachelor", "master", "phd"]}
            ),
            "field": {"type": "string", "maxLength": 120},
            "institution": {"type": "string", "maxLength": 160},
            "year": nullable({"type": "integer", "minimum": 1950, "maximum": 2100}),
        }
    ),
    "EducationOut": obj(
        {
            "level": nullable(
                {"type": "string", "enum": ["professional_bachelor", "bachelor", "master", "phd"]}
            ),
            "field": {"type": "string", "maxLength": 120},
            "institution": {"type": "string", "maxLength": 160},
            "year": nullable({"type": "integer", "minimum": 1950, "maximum": 2100}),
            "code": {
                **nullable({"type": "string"}),
                "description": "The education in the vocabulary the field is linked to; "
                "set from the field, never sent.",
            },
            "label": {
                **nullable({"type": "string"}),
                "description": "The vocabulary's name of the education, in the reader's language.",
            },
        },
        ["level", "field", "institution", "year", "code", "label"],
    ),
    "ProfilePatch": obj(
        {
            "education": {"$ref": "#/components/schemas/Education"},
            "skills": SKILLS,
            "languages": {
                "type": "array",
                "maxItems": 10,
                "items": {"type": "string", "minLength": 1, "maxLength": 40},
            },
            "hours_per_week": nullable({"type": "integer", "minimum": 1, "maximum": 60}),
            "postcode": {"oneOf": [POSTCODE, {"type": "string", "maxLength": 0}]},
            "max_distance_km": {"type": "integer", "minimum": 1, "maximum": 500},
            "remote_ok": {"type": "boolean"},
            "about": {"type": "string", "maxLength": 3000},
            "phone": PHONE,
            "show_ratings": {"type": "boolean"},
        }
    ),
    "Profile": obj(
        {
            "education": {"$ref": "#/components/schemas/EducationOut"},
            "skills": {"type": "array", "items": {"type": "string"}},
            "endorsed_skills": {"type": "array", "items": {"type": "string"}},
            "languages": {"type": "array", "items": {"type": "string"}},
            "hours_per_week": nullable({"type": "integer"}),
            "postcode": {"type": "string"},
            "place": nullable({"type": "string"}),
            "max_distance_km": {"type": "integer"},
            "remote_ok": {"type": "boolean"},
            "about": {"type": "string"},
            "phone": {"type": "string"},
            "show_ratings": {"type": "boolean"},
        },
        [
            "education",
            "skills",
            "endorsed_skills",
            "languages",
            "hours_per_week",
            "postcode",
            "place",
            "max_distance_km",
            "remote_ok",
            "about",
        ],
    ),
    "Company": obj(
        {
            "name": {"type": "string", "minLength": 1, "maxLength": 160, "pattern": r"\S"},
            "cvr": {"type": "string", "pattern": "^[0-9]{8}$"},
            "phone": PHONE,
            "description": {"type": "string", "maxLength": companies.MAX_COMPANY_DESCRIPTION},
            "website": {"type": "string", "maxLength": companies.MAX_WEBSITE},
            "sector": {"type": "string", "enum": ["", *companies.SECTORS]},
            "address": {"type": "string", "maxLength": companies.MAX_ADDRESS},
            "postcode": {"type": "string", "pattern": "^([0-9]{4})?$"},
            "employees": nullable(
                {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 100_000,
                    "description": "Ordinary employees (the praktik ratio rule counts them)",
                }
            ),
        },
        ["name", "cvr"],
    ),
    "CompanyOut": obj(
        {
            "name": {"type": "string"},
            "cvr": {"type": "string"},
            "phone": {"type": "string"},
            "description": {"type": "string"},
            "website": {"type": "string"},
            "sector": {"type": ["string", "null"], "enum": [None, *companies.SECTORS]},
            "address": {"type": "string"},
            "postcode": {"type": "string"},
            "logo_url": {"type": ["string", "null"], "format": "uri"},
            "verified": {"type": "boolean"},
            "employees": nullable({"type": "integer"}),
        },
        ["name", "cvr"],
    ),
    "Me": obj(
        {
            "user": {"$ref": "#/components/schemas/User"},
            "profile": nullable({"$ref": "#/components/schemas/Profile"}),
            "company": nullable({"$ref": "#/components/schemas/CompanyOut"}),
        },
        ["user", "profile", "company"],
    ),
    "TaskCreate": obj(TASK_FIELDS, ["title", "description", "hours", "deadline", "remote", "form"]),
    "TaskPatch": obj(TASK_FIELDS),
    "Task": obj(
        {
            "id": ID,
            "company": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["draft", "open", "in_progress", "completed", "cancelled"],
            },
            "places_left": {"type": "integer"},
            **{k: v for k, v in TASK_FIELDS.items() if k not in ("title", "description")},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "place": nullable({"type": "string"}),
        },
        [
            "id",
            "company",
            "status",
            "places_left",
            "title",
            "description",
            "required_skills",
            "nice_skills",
            "hours",
            "deadline",
            "postcode",
            "place",
            "remote",
            "capacity",
            "learning",
        ],
    ),
    "TaskPage": obj(
        {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
        },
        ["items", "page", "per_page", "total"],
    ),
    "Explanation": EXPLANATION,
    "Recommendation": obj(
        {
            "task": {"$ref": "#/components/schemas/Task"},
            "score": {"type": "number"},
            "explanation": {"$ref": "#/components/schemas/Explanation"},
        },
        ["task", "score", "explanation"],
    ),
    "Candidate": obj(
        {
            "jobseeker_id": ID,
            "name": {"type": "string"},
            "score": {"type": "number"},
            "invited": {"type": "boolean"},
            "explanation": {"$ref": "#/components/schemas/Explanation"},
        },
        ["jobseeker_id", "name", "score", "invited", "explanation"],
    ),
    "InvitationCreate": obj(
        {"jobseeker_id": ID, "message": {"type": "string", "maxLength": 2000}}, ["jobseeker_id"]
    ),
    "Invitation": obj(
        {"task_id": ID, "jobseeker_id": ID, "message": {"type": ["string", "null"]}},
        ["task_id", "jobseeker_id"],
    ),
    "ActionReason": obj({"reason": {"type": "string", "maxLength": MAX_REASON}}, []),
    "MessageCreate": obj(
        {"body": {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": r"\S"}},
        ["body"],
    ),
    "Message": obj(
        {
            "id": ID,
            "sender_id": {"type": ["integer", "null"]},
            "sender_name": {"type": ["string", "null"]},
            "mine": {"type": "boolean"},
            "body": {"type": "string"},
            "erased": {"type": "boolean"},
            "created_at": DATETIME,
        },
        ["id", "sender_id", "sender_name", "mine", "body", "erased", "created_at"],
    ),
    "Contact": obj(
        {
            "name": {"type": "string"},
            "email": {"type": "string"},
            "phone": {"type": ["string", "null"]},
            "company": {"type": "string"},
        },
        ["name", "email", "phone"],
    ),
    "ApplicationCreate": obj(
        {
            "motivation": {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": r"\S"},
            "worked_for_company": {
                "type": "boolean",
                "description": "The graduate has worked for the company (no praktik there)",
            },
        },
        ["motivation"],
    ),
    "AcceptBody": obj(
        {
            "purpose": {"type": "string", "maxLength": placements.MAX_PURPOSE},
            "start_on": DATE,
        }
    ),
    "DecisionReason": obj(
        {"reason": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S"}},
        ["reason"],
    ),
    "HoursBody": obj(
        {
            "date": DATE,
            "hours": {
                "type": ["number", "string"],
                "description": 'Quarter hours from 0.25 to 24 (7.5, "7,5" or "7:30")',
            },
            "note": {"type": "string", "maxLength": placements.MAX_HOURS_NOTE},
        },
        ["date", "hours"],
    ),
    "HoursConfirm": obj({"hours_ids": {"type": "array", "items": ID, "maxItems": 400}}),
    "PlacementHours": obj(
        {
            "id": ID,
            "date": DATE,
            "hours": {"type": "number"},
            "note": {"type": "string"},
            "confirmed": {"type": "boolean"},
        },
        ["id", "date", "hours", "confirmed"],
    ),
    "RuleCheck": obj(
        {
            "rule": {"type": "string"},
            "label": {"type": "string"},
            "holds": {"type": "boolean"},
            "detail": {"type": "string"},
        },
        ["rule", "holds", "detail"],
    ),
    "Placement": obj(
        {
            "id": ID,
            "application_id": ID,
            "task_id": ID,
            "task": {"type": "string"},
            "company": {"type": "string"},
            "cvr": {"type": "string"},
            "jobseeker_id": ID,
            "jobseeker": {"type": "string"},
            "form": {"type": "string", "enum": [f.value for f in TaskForm]},
            "status": {"type": "string", "enum": [s.value for s in PlacementStatus]},
            "purpose": {"type": "string"},
            "start_on": DATE,
            "end_on": DATE,
            "hours_per_week": nullable({"type": "integer"}),
            "hourly_wage": nullable({"type": "integer"}),
            "decided_at": nullable(DATETIME),
            "decision_reason": {"type": "string"},
            "hours_logged": {"type": "number"},
            "hours_confirmed": {"type": "number"},
            "hours": {"type": "array", "items": {"$ref": "#/components/schemas/PlacementHours"}},
            "checks": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/RuleCheck"},
                "description": "For the caseworker: decision support, never a decision",
            },
        },
        ["id", "application_id", "task_id", "form", "status", "start_on", "end_on"],
    ),
    "Application": obj(
        {
            "id": ID,
            "task_id": ID,
            "jobseeker_id": ID,
            "status": {
                "type": "string",
                "enum": ["pending", "accepted", "rejected", "withdrawn", "completed"],
            },
            "motivation": {"type": "string"},
            "created_at": DATETIME,
            # Only on GET /applications/{id}, once accepted or completed.
            "contact": {"$ref": "#/components/schemas/Contact"},
            "worked_for_company": {"type": "boolean"},
            "placement_id": nullable(ID),
            "placement_status": nullable(
                {"type": "string", "enum": [s.value for s in PlacementStatus]}
            ),
        },
        ["id", "task_id", "jobseeker_id", "status", "motivation", "created_at"],
    ),
    "AccountDelete": obj({"password": {"type": "string", "maxLength": 128}}, ["password"]),
    "ConsentBody": obj({"share_with_jobcentre": {"type": "boolean"}}, ["share_with_jobcentre"]),
    "Consent": obj(
        {"share_with_jobcentre": {"type": "boolean"}, "changed_at": DATETIME},
        ["share_with_jobcentre", "changed_at"],
    ),
    "Flag": obj(
        {"code": {"type": "string", "enum": FLAG_CODES}, "reason": {"type": "string"}},
        ["code", "reason"],
    ),
    "Outcome": obj(
        {"status": {"type": "string", "enum": OUTCOMES}, "date": DATE}, ["status", "date"]
    ),
    "OutcomeBody": obj(
        {"status": {"type": "string", "enum": OUTCOMES}, "date": DATE}, ["status", "date"]
    ),
    "CaseloadRow": obj(
        {
            "jobseeker_id": ID,
            "name": {"type": "string"},
            "email": {"type": "string"},
            "education": {"type": "string"},
            "education_code": nullable({"type": "string"}),
            "education_label": {"type": "string"},
            "registered_at": DATETIME,
            "days_since_registration": {"type": "integer"},
            "applications": {
                "type": "integer",
                "description": "All applications, withdrawn ones included.",
            },
            "withdrawn": {"type": "integer", "description": "Of which withdrawn."},
            "accepted": {"type": "integer"},
            "completed": {"type": "integer"},
            "last_activity": DATETIME,
            "flags": {"type": "array", "items": {"$ref": "#/components/schemas/Flag"}},
            "outcome": {"oneOf": [{"$ref": "#/components/schemas/Outcome"}, {"type": "null"}]},
        },
        [
            "jobseeker_id",
            "name",
            "email",
            "education",
            "registered_at",
            "days_since_registration",
            "applications",
            "accepted",
            "completed",
            "last_activity",
            "flags",
            "outcome",
        ],
    ),
    "TimelineEntry": obj(
        {
            "application_id": ID,
            "task_title": {"type": "string"},
            "company": {"type": "string"},
            "status": {"type": "string"},
            "applied_at": DATETIME,
            "accepted_at": nullable(DATETIME),
            "ended_at": nullable(DATETIME),
            "completed_at": nullable(DATETIME),
            "deadline": DATE,
            "rating": nullable({"type": "integer"}),
            "reference": nullable({"type": "string"}),
            "endorsed_skills": {"type": "array", "items": {"type": "string"}},
        },
        ["application_id", "task_title", "company", "status", "applied_at", "deadline"],
    ),
    "CaseFile": obj(
        {
            "summary": {"$ref": "#/components/schemas/CaseloadRow"},
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/TimelineEntry"}},
            "notes": {
                "type": "array",
                "items": obj(
                    {
                        "text": {"type": "string"},
                        "author": nullable({"type": "string"}),
                        "created_at": DATETIME,
                    },
                    ["text", "author", "created_at"],
                ),
            },
        },
        ["summary", "timeline", "notes"],
    ),
    "AccessLogEntry": obj(
        {
            "at": DATETIME,
            "action": {"type": "string"},
            "purpose": {"type": "string"},
            "description": {"type": "string"},
            "purpose_text": {"type": "string"},
        },
        ["at", "action", "purpose", "description", "purpose_text"],
    ),
    "AccessLogPage": obj(
        {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/AccessLogEntry"}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
        },
        ["items", "page", "per_page", "total"],
    ),
    "CompleteBody": obj(
        {
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "reference": {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": r"\S"},
            "skills_used": SKILLS,
        },
        ["rating", "reference"],
    ),
    "SavedSearchCreate": obj(SAVED_SEARCH_FIELDS, ["name"]),
    "SavedSearch": obj(
        {
            "id": ID,
            **SAVED_SEARCH_FIELDS,
            "name": {"type": "string"},
            "q": {"type": "string"},
            "created_at": DATETIME,
            "sent_at": {
                **nullable(DATETIME),
                "description": "When the search last sent an alert.",
            },
        },
        [
            "id",
            "name",
            "q",
            "skill_id",
            "within_km",
            "max_hours",
            "remote",
            "frequency",
            "created_at",
            "sent_at",
        ],
    ),
}

NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _forbid_nul(node: object) -> None:
    """No text field accepts a NUL character (PostgreSQL cannot store one)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "format" not in node:
            pattern = node.get("pattern")
            if pattern is None:
                node["pattern"] = NO_NUL
            elif pattern == r"\S":
                node["pattern"] = NOT_BLANK
        for value in node.values():
            _forbid_nul(value)
    elif isinstance(node, list):
        for value in node:
            _forbid_nul(value)


_forbid_nul(SCHEMAS)

EXAMPLES = {
    "UserCreate": {
        "email": "freja@example.com",
        "password": "en lang sætning",
        "name": "Freja Dimittend",
        "role": "jobseeker",
    },
    "TokenCreate": {"email": "freja@example.com", "password": "en lang sætning"},
    "PasswordResetRequest": {"email": "freja@example.com"},
    "ProfilePatch": {
        "education": {"level": "master", "field": "Cand.merc.", "institution": "CBS", "year": 2025},
        "skills": ["Excel", "markedsanalyse"],
        "languages": ["Dansk", "Engelsk"],
        "hours_per_week": 20,
        "postcode": "2200",
        "remote_ok": True,
        "about": "Nysgerrig og grundig.",
    },
    "Company": {"name": "Fjordlys ApS", "cvr": "10150817"},
    "TaskCreate": {
        "title": "Markedsanalyse for ny café",
        "description": "Analyser konkurrenter og målgrupper i Aarhus C.",
        "required_skills": ["Markedsanalyse", "Excel"],
        "nice_skills": [],
        "hours": 25,
        "deadline": "2027-03-01",
        "postcode": "8000",
        "remote": True,
        "capacity": 1,
        "learning": "Konkurrentanalyse i praksis",
        "form": "paid",
        "hourly_wage": 180,
    },
    "TaskPatch": {"hours": 30},
    "InvitationCreate": {"jobseeker_id": 12, "message": "Vi tror, opgaven passer dig."},
    "MessageCreate": {"body": "Hej! Hvornår kan du starte?"},
    "ApplicationCreate": {
        "motivation": "Jeg har lavet markedsanalyser på studiet.",
        "worked_for_company": False,
    },
    "AcceptBody": {"purpose": "Lære at lave en markedsanalyse i praksis", "start_on": "2027-01-04"},
    "DecisionReason": {"reason": "Formålet skal beskrives nærmere."},
    "HoursBody": {"date": "2027-01-04", "hours": 7.5, "note": "Interviews"},
    "HoursConfirm": {"hours_ids": [1, 2]},
    "AccountDelete": {"password": "en lang sætning"},
    "ConsentBody": {"share_with_jobcentre": True},
    "OutcomeBody": {"status": "employed", "date": "2027-02-01"},
    "CompleteBody": {"rating": 5, "reference": "Grundigt arbejde.", "skills_used": ["Excel"]},
    "SavedSearchCreate": {
        "name": "Excel i Aarhus",
        "q": "excel",
        "skill_id": None,
        "within_km": 25,
        "max_hours": 40,
        "remote": None,
        "frequency": "daily",
    },
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(schema: str | dict, description: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def _body(schema: str, required: bool = True) -> dict:
    content: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{schema}"}}
    if schema in EXAMPLES:
        content["example"] = EXAMPLES[schema]
    return {"required": required, "content": {"application/json": content}}


def op(
    summary: str,
    responses: dict,
    body: str | None = None,
    auth: bool = True,
    params: list | None = None,
    body_required: bool = True,
) -> dict:
    """One operation with the error responses every operation can give."""
    operation: dict[str, Any] = {"summary": summary, "responses": dict(responses)}
    operation["responses"].setdefault("400", _error("Malformed request"))
    operation["responses"].setdefault("429", _error("Rate limited"))
    operation["responses"].setdefault("422", _error("Validation failed"))
    if body:
        operation["requestBody"] = _body(body, body_required)
    if auth:
        operation["responses"].setdefault("401", _error("Missing or bad token"))
        operation["responses"].setdefault("403", _error("Not allowed for this role"))
    else:
        operation["security"] = []
    if params:
        operation["parameters"] = params
    return operation


def path_id(name: str) -> dict:
    """An id in the path."""
    return {"name": name, "in": "path", "required": True, "schema": ID}


def query(name: str, schema: dict) -> dict:
    """An optional query parameter."""
    return {"name": name, "in": "query", "required": False, "schema": schema}


NOT_FOUND = _error("Unknown, or not yours")
CONFLICT = _error("Not possible in the current state")


def listed_task_page() -> dict:
    """GET /tasks: a TaskPage whose tasks may carry ``distance_km`` (from the graduate's
    postcode), with the sort applied and notices (e.g. distance asked without a postcode)."""
    task = SCHEMAS["Task"]
    listed = {**task, "properties": {**task["properties"], "distance_km": {"type": "number"}}}
    page = SCHEMAS["TaskPage"]
    properties = {
        **page["properties"],
        "items": {"type": "array", "items": listed},
        "sort": {"type": "string", "enum": list(SEARCH_SORTS)},
        "notices": {"type": "array", "items": {"type": "string"}},
    }
    return {**page, "properties": properties, "required": [*page["required"], "sort", "notices"]}


def document() -> dict:
    """The whole OpenAPI 3.1 document."""
    task_id = [path_id("task_id")]
    app_id = [path_id("application_id")]
    paths = {
        "/users": {
            "post": op(
                "Sign up as a graduate or an entrepreneur",
                {"201": _json("User", "Created"), "409": CONFLICT},
                body="UserCreate",
                auth=False,
            )
        },
        "/tokens": {
            "post": op(
                "Get a bearer token for email and password",
                {"201": _json("Token", "Created"), "401": _error("Wrong email or password")},
                body="TokenCreate",
                auth=False,
            )
        },
        "/password-reset": {
            "post": op(
                "Ask for a link to choose a new password, sent by email if an account has "
                "the address; the same 202 answer either way",
                {"202": _json("PasswordResetAccepted", "Accepted")},
                body="PasswordResetRequest",
                auth=False,
            )
        },
        "/tokens/current": {
            "delete": op(
                "Revoke the token used for this request", {"204": {"description": "Revoked"}}
            )
        },
        "/me": {
            "get": op("The user and their profile or company", {"200": _json("Me", "OK")}),
            "delete": op(
                "Delete the account: personal data erased or anonymised (GDPR art. 17)",
                {"204": {"description": "Deleted"}},
                body="AccountDelete",
            ),
        },
        "/me/export": {
            "get": op(
                "Everything held about the user (GDPR art. 15)",
                {"200": _json({"type": "object"}, "OK")},
            )
        },
        "/me/profile": {
            "patch": op(
                "Update the graduate's profile",
                {"200": _json("Profile", "Updated")},
                body="ProfilePatch",
            )
        },
        "/me/company": {
            "get": op(
                "The entrepreneur's company, with its ordinary employees",
                {"200": _json("CompanyOut", "OK"), "404": NOT_FOUND},
            ),
            "put": op(
                "Register or update the entrepreneur's company",
                {"200": _json("CompanyOut", "Saved"), "409": CONFLICT},
                body="Company",
            ),
        },
        "/tasks": {
            "get": op(
                "Open tasks",
                {"200": _json(listed_task_page(), "OK")},
                params=[query(name, schema) for name, schema in TASK_LIST_PARAMS.items()],
            ),
            "post": op(
                "Create a task (as a draft)",
                {"201": _json("Task", "Created"), "409": CONFLICT},
                body="TaskCreate",
            ),
        },
        "/tasks/{task_id}": {
            "get": op("A task", {"200": _json("Task", "OK"), "404": NOT_FOUND}, params=task_id),
            "patch": op(
                "Edit a draft or open task",
                {"200": _json("Task", "Updated"), "404": NOT_FOUND, "409": CONFLICT},
                body="TaskPatch",
                params=task_id,
            ),
        },
        **{
            f"/tasks/{{task_id}}/{action}": {
                "post": op(
                    f"{action.capitalize()} the task"
                    + (
                        " (an optional reason goes to the graduates it affects)"
                        if action == "cancel"
                        else ""
                    ),
                    {"200": _json("Task", "Done"), "404": NOT_FOUND, "409": CONFLICT},
                    params=task_id,
                    **(
                        {"body": "ActionReason", "body_required": False}
                        if action == "cancel"
                        else {}
                    ),
                )
            }
            for action in ("publish", "close", "cancel")
        },
        "/recommendations": {
            "get": op(
                "Ranked open tasks for the graduate, with reasons",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Recommendation"}},
                        "OK",
                    )
                },
            )
        },
        "/tasks/{task_id}/candidates": {
            "get": op(
                "Ranked graduates for the owner's task, with reasons",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Candidate"}}, "OK"
                    ),
                    "404": NOT_FOUND,
                },
                params=task_id,
            )
        },
        "/tasks/{task_id}/invitations": {
            "post": op(
                "Invite a graduate to apply",
                {"201": _json("Invitation", "Invited"), "404": NOT_FOUND, "409": CONFLICT},
                body="InvitationCreate",
                params=task_id,
            )
        },
        "/tasks/{task_id}/applications": {
            "post": op(
                "Apply for a task",
                {"201": _json("Application", "Created"), "404": NOT_FOUND, "409": CONFLICT},
                body="ApplicationCreate",
                params=task_id,
            )
        },
        "/applications": {
            "get": op(
                "Own applications (graduate) or those to own tasks",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Application"}},
                        "OK",
                    )
                },
            )
        },
        **{
            f"/applications/{{application_id}}/{action}": {
                "post": op(
                    f"{action.capitalize()} the application"
                    + (
                        " (an optional reason goes to the other side)" if action != "accept" else ""
                    ),
                    {"200": _json("Application", "Done"), "404": NOT_FOUND, "409": CONFLICT},
                    params=app_id,
                    **(
                        {"body": "ActionReason", "body_required": False}
                        if action != "accept"
                        else {"body": "AcceptBody", "body_required": False}
                    ),
                )
            }
            for action in ("accept", "reject", "withdraw")
        },
        "/placements": {
            "get": op(
                "Placements: the caseworker's approval queue (praktik awaiting approval of "
                "graduates assigned to them or to no one); a graduate's or a company's own",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Placement"}},
                        "OK",
                    )
                },
            )
        },
        "/placements/{placement_id}": {
            "get": op(
                "One placement with its hours (and, for the caseworker, the rule checks; logged)",
                {"200": _json("Placement", "OK"), "404": NOT_FOUND},
                params=[path_id("placement_id")],
            )
        },
        "/placements/{placement_id}/approve": {
            "post": op(
                "The caseworker approves a virksomhedspraktik (logged; both sides are told)",
                {"200": _json("Placement", "Approved"), "404": NOT_FOUND, "409": CONFLICT},
                params=[path_id("placement_id")],
            )
        },
        "/placements/{placement_id}/decline": {
            "post": op(
                "The caseworker declines a virksomhedspraktik with a reason (logged)",
                {"200": _json("Placement", "Declined"), "404": NOT_FOUND, "409": CONFLICT},
                body="DecisionReason",
                params=[path_id("placement_id")],
            )
        },
        "/placements/{placement_id}/hours": {
            "post": op(
                "The graduate logs the hours of one day (again until confirmed)",
                {"201": _json("PlacementHours", "Logged"), "404": NOT_FOUND, "409": CONFLICT},
                body="HoursBody",
                params=[path_id("placement_id")],
            )
        },
        "/placements/{placement_id}/hours/confirm": {
            "post": op(
                "The company confirms logged hours (all unconfirmed, or those of hours_ids)",
                {
                    "200": _json(
                        obj({"confirmed": {"type": "integer"}}, ["confirmed"]), "Confirmed"
                    ),
                    "404": NOT_FOUND,
                },
                body="HoursConfirm",
                body_required=False,
                params=[path_id("placement_id")],
            )
        },
        "/applications/{application_id}": {
            "get": op(
                "One application (its graduate or the task's company); with the other side's "
                "contact once accepted or completed",
                {"200": _json("Application", "OK"), "404": NOT_FOUND},
                params=app_id,
            )
        },
        "/applications/{application_id}/messages": {
            "get": op(
                "The application's conversation, oldest first (marks it read)",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                        "OK",
                    ),
                    "404": NOT_FOUND,
                },
                params=app_id,
            ),
            "post": op(
                "Write to the other side (plain text; read-only once the task is closed)",
                {"201": _json("Message", "Sent"), "404": NOT_FOUND, "409": CONFLICT},
                body="MessageCreate",
                params=app_id,
            ),
        },
        "/applications/{application_id}/complete": {
            "post": op(
                "Mark the work completed with a reference and the skills used",
                {"200": _json("Application", "Completed"), "404": NOT_FOUND, "409": CONFLICT},
                body="CompleteBody",
                params=app_id,
            )
        },
        "/applications/{application_id}/calendar.ics": {
            "get": op(
                "The deadline, and the agreed start date once there is one, as an iCalendar file "
                "(RFC 5545) in Europe/Copenhagen time and the user's language; for the graduate "
                "and the task's company once accepted or completed",
                {
                    "200": {
                        "description": "An iCalendar file (VCALENDAR with a VTIMEZONE and one "
                        "VEVENT per date; stable UIDs)",
                        "headers": {
                            "Content-Disposition": {
                                "description": "attachment; filename=taskboerse-<task>.ics",
                                "schema": {"type": "string"},
                            }
                        },
                        "content": {"text/calendar": {"schema": {"type": "string"}}},
                    },
                    "404": NOT_FOUND,
                },
                params=app_id,
            )
        },
        "/me/consent": {
            "put": op(
                "Share (true) or stop sharing (false) activity with the job centre",
                {"200": _json("Consent", "Saved")},
                body="ConsentBody",
            )
        },
        "/me/access-log": {
            "get": op(
                "When and why the job centre looked at the graduate's data (not by whom)",
                {"200": _json("AccessLogPage", "OK")},
                params=[query(name, schema) for name, schema in PAGE_PARAMS.items()],
            )
        },
        "/me/saved-searches": {
            "get": op(
                "The graduate's saved searches, oldest first",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/SavedSearch"}},
                        "OK",
                    )
                },
            ),
            "post": op(
                f"Save a search (at most {saved_searches.MAX_SAVED_SEARCHES}) with an alert "
                "frequency",
                {"201": _json("SavedSearch", "Created"), "409": CONFLICT},
                body="SavedSearchCreate",
            ),
        },
        "/me/saved-searches/{saved_search_id}": {
            "delete": op(
                "Delete one of the graduate's saved searches",
                {"204": {"description": "Deleted"}, "404": NOT_FOUND},
                params=[path_id("saved_search_id")],
            )
        },
        "/caseload": {
            "get": op(
                "The caseworker's consenting graduates with counts and flags (logged)",
                {
                    "200": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/CaseloadRow"}},
                        "OK",
                    )
                },
                params=[query(name, schema) for name, schema in CASELOAD_PARAMS.items()],
            )
        },
        "/caseload/{jobseeker_id}": {
            "get": op(
                "One graduate's timeline, flags, notes and outcome (logged)",
                {"200": _json("CaseFile", "OK"), "404": NOT_FOUND},
                params=[path_id("jobseeker_id")],
            )
        },
        "/caseload/{jobseeker_id}/outcome": {
            "post": op(
                "Record the graduate's outcome",
                {"200": _json("Outcome", "Saved"), "404": NOT_FOUND},
                body="OutcomeBody",
                params=[path_id("jobseeker_id")],
            )
        },
    }
    for part in PARTS:
        paths.update(part.paths())
    _forbid_nul(paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Taskbørs API",
            "version": __version__,
            "description": "JSON API v1. Authenticate with `Authorization: Bearer <token>` "
            "from POST /tokens. Errors are "
            '`{"error": {"code", "message", "fields"}}`.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": paths,
    }


# The mentoring modules keep their schemas and paths beside them (they use the helpers above,
# so they are imported last); their schemas join the one table requests are validated with.
from taskboerse.web.api import (  # noqa: E402
    openapi_mentor_needs,
    openapi_mentorships,
    openapi_questions,
)

PARTS = (openapi_mentor_needs, openapi_mentorships, openapi_questions)
for _part in PARTS:
    _forbid_nul(_part.SCHEMAS)
    SCHEMAS.update(_part.SCHEMAS)
