"""JSON API v1: token auth, JSON bodies validated against the OpenAPI schemas, JSON errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from werkzeug.exceptions import HTTPException

from taskboerse.extensions import csrf, db, limiter
from taskboerse.matching.geo import postcodes
from taskboerse.models import Application, Role, Task, User
from taskboerse.services import (
    accounts,
    caseload,
    companies,
    privacy,
    profiles,
    recommendations,
    search,
    signups,
    tasks,
    tokens,
)
from taskboerse.services import applications as application_service
from taskboerse.services import consent as consent_service
from taskboerse.services.access_log import access_log_of, action_label, purpose_label
from taskboerse.services.errors import DomainError, ValidationFailed
from taskboerse.services.login_throttle import account_key
from taskboerse.services.recommendations import explanation_sentence, similarity_phrase
from taskboerse.services.security import security_event
from taskboerse.services.skills import match_vocabulary
from taskboerse.web.api.openapi import CASELOAD_PARAMS, PAGE_PARAMS, SCHEMAS, document
from taskboerse.web.auth_support import (
    client_ip,
    log_lockout,
    login_result,
    login_wait,
    too_many_attempts,
)
from taskboerse.web.errors import api_error as error
from taskboerse.web.forms_support import is_whole_number

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

_VALIDATORS: dict[str, Draft202012Validator] = {}


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    db.session.rollback()
    fields = {exc.field: str(exc.message)} if exc.field else {}
    return error(exc.status_code, exc.code, str(exc.message), fields)


HTTP_CODES = {
    400: "malformed",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "malformed",
    429: "rate_limited",
}
HTTP_MESSAGES = {
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    413: _l("The request is too large."),
    415: _l("Send the body as JSON."),
    429: _l("Too many requests. Wait a minute and try again."),
}


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    status = exc.code or 500
    message = HTTP_MESSAGES.get(status) or exc.description or exc.name
    return error(status, HTTP_CODES.get(status, "error"), str(message))


def _validator(schema: str) -> Draft202012Validator:
    if schema not in _VALIDATORS:
        _VALIDATORS[schema] = Draft202012Validator(
            {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}},
            format_checker=FormatChecker(),
        )
    return _VALIDATORS[schema]


# An error answer lists at most this many fields, and names an unknown field by at most
# this many characters: input is never echoed back beyond a short excerpt.
MAX_REPORTED_FIELDS = 20
MAX_ECHOED_NAME = 40

TYPE_MESSAGES = {
    "string": _l("Enter text."),
    "integer": _l("Enter a whole number."),
    "number": _l("Enter a number."),
    "boolean": _l("Use true or false."),
    "array": _l("Enter a list."),
    "object": _l("Enter an object with fields."),
    "null": _l("Leave it empty (null)."),
}


def _field_message(err) -> str:
    """Our own wording for a schema error, in the user's language; never the value sent."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        return _field_message(best_match(err.context))
    rule, schema = err.validator, err.schema
    if rule == "type":
        expected = rule_value = err.validator_value
        if isinstance(rule_value, list):
            expected = rule_value[0]
        return str(TYPE_MESSAGES.get(expected, _l("Wrong type of value.")))
    if rule == "maxLength":
        return _("At most %(max)d characters.", max=schema["maxLength"])
    if (
        rule in ("minLength", "pattern")
        and schema.get("minLength", 0) <= 1
        and (schema.get("pattern") in (None, r"\S"))
    ):
        return _("This field is required.")
    if rule == "pattern":
        return _("The value does not have the expected form.")
    if rule in ("minimum", "maximum"):
        return _(
            "Enter a number from %(min)s to %(max)s.",
            min=schema.get("minimum", "…"),
            max=schema.get("maximum", "…"),
        )
    if rule == "enum":
        return _("Use one of: %(values)s.", values=", ".join(map(str, schema["enum"])))
    if rule == "maxItems":
        return _("At most %(max)d items.", max=schema["maxItems"])
    if rule == "minItems":
        return _("At least %(min)d items.", min=schema["minItems"])
    if rule == "format" and schema.get("format") == "date":
        return _("Enter a date as YYYY-MM-DD.")
    if rule == "format" and schema.get("format") == "email":
        return _("Enter a valid email address.")
    return _("This value is not valid here.")


def _excerpt(name: object) -> str:
    text = str(name)
    return text if len(text) <= MAX_ECHOED_NAME else text[: MAX_ECHOED_NAME - 1] + "…"


def body(schema: str) -> dict:
    """The JSON body, validated against ``schema``; 400 when not JSON, 422 when invalid.

    Every object in the document is closed, nested ones too: an unknown field anywhere is
    named in the answer (by its path, shortened), never silently ignored."""
    data = request.get_json(silent=True)
    if data is None and not (request.data or b"").strip().startswith(b"null"):
        abort(400, description=_("The body must be JSON."))
    fields: dict[str, str] = {}
    for err in sorted(_validator(schema).iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = ".".join(_excerpt(p) for p in err.path)
        if err.validator == "additionalProperties":
            known = set(err.schema.get("properties", {}))
            for name in sorted(set(err.instance) - known, key=str)[:MAX_REPORTED_FIELDS]:
                fields[f"{path}.{_excerpt(name)}".strip(".")] = _("Unknown field.")
        elif err.validator == "required":
            for name in err.validator_value:
                if isinstance(err.instance, dict) and name not in err.instance:
                    fields[f"{path}.{name}".strip(".")] = _("This field is required.")
        else:
            fields[path or "body"] = _field_message(err)
        if len(fields) >= MAX_REPORTED_FIELDS:
            break
    if fields:
        raise_validation(dict(list(fields.items())[:MAX_REPORTED_FIELDS]))
    return data


def raise_validation(fields: dict[str, str]) -> None:
    """Stop with a 422 listing the fields."""
    response = error(422, "validation_failed", _("Check the fields."), fields)
    abort(response)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def auth(*roles: Role) -> Callable:
    """Require a valid token (401) and, when given, one of ``roles`` (403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            token = _bearer()
            user = tokens.user_for_token(token) if token else None
            if user is None:
                return error(401, "unauthorized", _("A valid bearer token is required."))
            if roles and user.role not in roles:
                return error(403, "forbidden", _("Your role cannot do this."))
            g.api_user, g.api_token = user, token
            accounts.record_activity(
                user, timedelta(minutes=current_app.config["ACTIVITY_RESOLUTION_MINUTES"])
            )
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- serialisation -----------------------------------------------------------------------------


def user_json(user: User) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role.value}


def profile_json(user: User) -> dict | None:
    profile = profiles.load_profile(user.id)
    if profile is None:
        return None
    endorsed = [  # only from companies the job centre verified, as the CV says
        s.label
        for a in profiles.verified_experience(user.id)
        if a.reference and a.task.company.is_verified
        for s in a.reference.endorsed_skills
    ]
    return {
        "education": {
            "level": profile.degree_level.value if profile.degree_level else None,
            "field": profile.field,
            "institution": profile.institution,
            "year": profile.graduation_year,
        },
        "skills": [s.label for s in profile.skills],
        "endorsed_skills": endorsed,
        "languages": list(profile.languages),
        "hours_per_week": profile.hours_per_week,
        "postcode": profile.postcode,
        "place": postcodes().display(profile.postcode) or None,
        "max_distance_km": profile.max_distance_km,
        "remote_ok": profile.remote_ok,
        "about": profile.about,
    }


def task_json(task: Task, taken: int | None = None) -> dict:
    taken = tasks.count_taken(task.id) if taken is None else taken
    return {
        "id": task.id,
        "company": task.company.name,
        "status": task.status.value,
        "places_left": max(0, task.capacity - taken),
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
    }


def application_json(application: Application) -> dict:
    return {
        "id": application.id,
        "task_id": application.task_id,
        "jobseeker_id": application.jobseeker_id,
        "status": application.status.value,
        "motivation": application.motivation,
        "created_at": application.created_at.isoformat(),
    }


def explanation_json(match, for_graduate: bool) -> dict:
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


# --- endpoints ---------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document."""
    return jsonify(document())


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


@bp.post("/users")
@limiter.shared_limit(_signup_limit, scope="signup")
def create_user():
    """Public sign-up."""
    data = body("UserCreate")
    user = accounts.sign_up(
        accounts.NewUser(
            email=data["email"],
            name=data["name"],
            role=Role(data["role"]),
            password=data["password"],
        )
    )
    signups.record_signup(user, client_ip(), None)
    return jsonify(user_json(user)), 201


def _token_limit() -> str:
    return current_app.config["API_TOKEN_RATE_LIMIT"]


@bp.post("/tokens")
@limiter.limit(_token_limit, on_breach=log_lockout)
def create_token():
    """A bearer token for email and password (the same per-account delay as the login)."""
    data = body("TokenCreate")
    account = account_key(data["email"])
    wait = login_wait(data["email"])
    if wait:
        response = error(429, "rate_limited", too_many_attempts(wait))
        response.headers["Retry-After"] = str(wait)
        return response
    issued = tokens.issue_token(data["email"], data["password"])
    login_result(data["email"], ok=issued is not None)
    if issued is None:
        security_event("login_failed", account=account, ip=client_ip(), via="api")
        return error(401, "unauthorized", _("Wrong email or password."))
    token, expires = issued
    security_event("login_ok", account=account, ip=client_ip(), via="api")
    return jsonify({"token": token, "expires_at": expires.isoformat()}), 201


@bp.delete("/tokens/current")
@auth()
def delete_token():
    """Revoke the token of this request."""
    tokens.revoke_token(g.api_token)
    return "", 204


@bp.get("/me")
@auth()
def me():
    """The user, and their profile or company."""
    user = g.api_user
    company = user.company
    return jsonify(
        {
            "user": user_json(user),
            "profile": profile_json(user) if user.role == Role.JOBSEEKER else None,
            "company": {"name": company.name, "cvr": company.cvr} if company else None,
        }
    )


@bp.patch("/me/profile")
@auth(Role.JOBSEEKER)
def patch_profile():
    """Update part or all of the profile."""
    data = body("ProfilePatch")
    current = profile_json(g.api_user) or {
        "education": {"level": None, "field": "", "institution": "", "year": None},
        "skills": [],
        "languages": [],
        "hours_per_week": None,
        "postcode": "",
        "max_distance_km": 25,
        "remote_ok": True,
        "about": "",
    }
    education = {**current["education"], **data.get("education", {})}
    merged = {**current, **{k: v for k, v in data.items() if k != "education"}}
    merged.pop("place", None)
    profiles.save_profile(
        g.api_user,
        profiles.ProfileInfo(
            degree_level=education["level"],
            field=education["field"],
            institution=education["institution"],
            graduation_year=education["year"],
            skills=merged["skills"],
            languages=", ".join(merged["languages"]),
            hours_per_week=merged["hours_per_week"],
            postcode=merged["postcode"],
            remote_ok=merged["remote_ok"],
            about=merged["about"],
            max_distance_km=merged["max_distance_km"],
        ),
    )
    return jsonify(profile_json(g.api_user))


@bp.put("/me/company")
@auth(Role.ENTREPRENEUR)
def put_company():
    """Register or update the company."""
    data = body("Company")
    company = companies.save_company(g.api_user, data["name"], data["cvr"])
    return jsonify({"name": company.name, "cvr": company.cvr})


@bp.get("/tasks")
@auth()
def list_tasks():
    """Open tasks, searched, filtered, sorted and paginated."""
    args = request.args
    known = ("q", "skill", "remote", "sort", "within_km", "page", "per_page")
    unknown = [name for name in args if name not in known][:MAX_REPORTED_FIELDS]
    fields = {_excerpt(name): _("Unknown parameter.") for name in unknown}
    for name, limit in (("q", 200), ("skill", 120)):
        if len(args.get(name, "")) > limit:
            fields[name] = _("At most %(max)d characters.", max=limit)
    numbers = {}
    for name, default, top in (
        ("page", 1, 10_000),
        ("per_page", 20, 100),
        ("within_km", None, search.MAX_WITHIN_KM),
    ):
        raw = args.get(name)
        if raw is None:
            numbers[name] = default
        elif not is_whole_number(raw) or not 1 <= int(raw) <= top:
            fields[name] = _("Enter a whole number from 1 to %(max)d.", max=top)
        else:
            numbers[name] = int(raw)
    remote = {"true": True, "false": False, None: None}.get(args.get("remote"), "bad")
    if remote == "bad":
        fields["remote"] = _("Use true or false.")
    sort = args.get("sort", "relevance")
    if sort not in search.SORTS:
        fields["sort"] = _("Use one of: %(values)s.", values=", ".join(search.SORTS))
    if fields:
        raise_validation(fields)
    page, per_page = numbers["page"], numbers["per_page"]
    skill_id = None
    if args.get("skill"):
        skill_id = match_vocabulary(args["skill"])
        skill_id = -1 if skill_id is None else skill_id
    result = search.search_tasks(
        tasks.TaskQuery(
            q=args.get("q", ""),
            skill_id=skill_id,
            remote=remote,
            sort=sort,
            within_km=numbers["within_km"],
            page=page,
            per_page=per_page,
        ),
        g.api_user,
    )
    items = result.pagination.items
    taken = tasks.count_taken_many([t.id for t in items])
    listed = []
    for task in items:
        item = task_json(task, taken.get(task.id, 0))
        if task.id in result.distances:
            item["distance_km"] = result.distances[task.id]
        listed.append(item)
    return jsonify(
        {
            "items": listed,
            "page": page,
            "per_page": per_page,
            "total": result.pagination.total,
            "sort": result.sort,
            "notices": result.notices,
        }
    )


def _task_info(data: dict, base: Task | None = None) -> tasks.TaskInfo:
    from datetime import date

    def pick(key: str, current: Any) -> Any:
        return data[key] if key in data else current

    try:
        deadline = date.fromisoformat(data["deadline"]) if "deadline" in data else base.deadline
    except ValueError:
        raise_validation({"deadline": _("Not a valid date value.")})
    return tasks.TaskInfo(
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
    )


@bp.post("/tasks")
@auth(Role.ENTREPRENEUR)
def create_task():
    """Create a task as a draft."""
    task = tasks.create_task(g.api_user, _task_info(body("TaskCreate")))
    return jsonify(task_json(task, 0)), 201


@bp.get("/tasks/<id:task_id>")
@auth()
def get_task(task_id: int):
    """A task (drafts only for their owner)."""
    return jsonify(task_json(tasks.get_visible_task(g.api_user, task_id)))


@bp.patch("/tasks/<id:task_id>")
@auth(Role.ENTREPRENEUR)
def patch_task(task_id: int):
    """Edit a draft or open task."""
    data = body("TaskPatch")
    task = tasks.get_task_for_owner(g.api_user, task_id)
    task = tasks.update_task(g.api_user, task.id, _task_info(data, task))
    return jsonify(task_json(task))


@bp.post("/tasks/<id:task_id>/<any(publish, close, cancel):action>")
@auth(Role.ENTREPRENEUR)
def task_action(task_id: int, action: str):
    """Publish, close or cancel."""
    return jsonify(task_json(tasks.change_task_status(g.api_user, task_id, action)))


@bp.get("/recommendations")
@auth(Role.JOBSEEKER)
def get_recommendations():
    """Ranked open tasks with reasons."""
    found = recommendations.recommend_tasks(g.api_user, k=20, locale=str(get_locale()))
    taken = tasks.count_taken_many([r.task.id for r in found])
    return jsonify(
        [
            {
                "task": task_json(r.task, taken.get(r.task.id, 0)),
                "score": r.match.score,
                "explanation": explanation_json(r.match, True),
            }
            for r in found
        ]
    )


@bp.get("/tasks/<id:task_id>/candidates")
@auth(Role.ENTREPRENEUR)
def get_candidates(task_id: int):
    """Ranked graduates for the owner's task, with reasons."""
    found = recommendations.recommend_candidates(
        g.api_user, task_id, k=20, locale=str(get_locale())
    )
    return jsonify(
        [
            {
                "jobseeker_id": c.user.id,
                "name": c.user.name,
                "score": c.match.score,
                "invited": c.invited,
                "explanation": explanation_json(c.match, False),
            }
            for c in found
        ]
    )


@bp.post("/tasks/<id:task_id>/invitations")
@auth(Role.ENTREPRENEUR)
def invite(task_id: int):
    """Invite a graduate."""
    data = body("InvitationCreate")
    invitation = application_service.invite_jobseeker(g.api_user, task_id, data["jobseeker_id"])
    return jsonify({"task_id": invitation.task_id, "jobseeker_id": invitation.jobseeker_id}), 201


@bp.post("/tasks/<id:task_id>/applications")
@auth(Role.JOBSEEKER)
def apply(task_id: int):
    """Apply with a motivation."""
    data = body("ApplicationCreate")
    application = application_service.apply_to_task(g.api_user, task_id, data["motivation"])
    return jsonify(application_json(application)), 201


@bp.get("/applications")
@auth(Role.JOBSEEKER, Role.ENTREPRENEUR)
def list_applications():
    """The graduate's own applications, or those to the entrepreneur's tasks."""
    user = g.api_user
    if user.role == Role.JOBSEEKER:
        rows = application_service.applications_of_jobseeker(user)
    else:
        rows = application_service.applications_to_company(user)
    return jsonify([application_json(a) for a in rows])


@bp.post("/applications/<id:application_id>/<any(accept, reject, withdraw):action>")
@auth(Role.JOBSEEKER, Role.ENTREPRENEUR)
def application_action(application_id: int, action: str):
    """Accept or reject (the task's owner), withdraw (the graduate)."""
    user = g.api_user
    if action == "withdraw":
        if user.role != Role.JOBSEEKER:
            return error(403, "forbidden", _("Your role cannot do this."))
        application = application_service.withdraw_application(user, application_id)
    else:
        if user.role != Role.ENTREPRENEUR:
            return error(403, "forbidden", _("Your role cannot do this."))
        service = {
            "accept": application_service.accept_application,
            "reject": application_service.reject_application,
        }[action]
        application = service(user, application_id)
    return jsonify(application_json(application))


@bp.post("/applications/<id:application_id>/complete")
@auth(Role.ENTREPRENEUR)
def complete(application_id: int):
    """Mark completed with a reference and the skills used (labels of the task's skills)."""
    data = body("CompleteBody")
    application = application_service.get_application_for_owner(g.api_user, application_id)
    by_label = {s.label.casefold(): s.id for s in application.task.skills}
    unknown = [s for s in data.get("skills_used", []) if s.casefold() not in by_label]
    if unknown:
        raise ValidationFailed(_("Choose skills from the task."), field="skills_used")
    ids = tuple(by_label[s.casefold()] for s in data.get("skills_used", []))
    application = application_service.complete_application(
        g.api_user,
        application.id,
        application_service.ReferenceInfo(
            rating=data["rating"], text=data["reference"], skill_ids=ids
        ),
    )
    return jsonify(application_json(application))


def query_params(spec: dict[str, dict]) -> dict[str, Any]:
    """Query parameters checked against their schemas in the document; 422 on anything else."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    for name in request.args:
        if name not in spec and len(fields) < MAX_REPORTED_FIELDS:
            fields[_excerpt(name)] = _("Unknown parameter.")
    for name, schema in spec.items():
        raw = request.args.get(name)
        if raw is None:
            continue
        if schema["type"] == "integer":
            low, high = schema["minimum"], schema["maximum"]
            if not is_whole_number(raw) or not low <= int(raw) <= high:
                fields[name] = _("Enter a whole number from %(min)d to %(max)d.", min=low, max=high)
            else:
                values[name] = int(raw)
        elif "enum" in schema and raw not in schema["enum"]:
            fields[name] = _("Use one of: %(values)s.", values=", ".join(schema["enum"]))
        elif len(raw) > schema.get("maxLength", 10_000):
            fields[name] = _("At most %(max)d characters.", max=schema["maxLength"])
        else:
            values[name] = raw
    if fields:
        raise_validation(fields)
    return values


def outcome_json(status, on) -> dict | None:
    """An outcome, or None when none is recorded."""
    return None if status is None else {"status": status.value, "date": on.isoformat()}


def caseload_row_json(row: caseload.CaseloadRow) -> dict:
    """One graduate in the caseload."""
    return {
        "jobseeker_id": row.jobseeker_id,
        "name": row.name,
        "email": row.email,
        "education": row.education,
        "registered_at": row.registered_at.isoformat(),
        "days_since_registration": row.days_registered,
        "applications": row.applications,
        "accepted": row.accepted,
        "completed": row.completed,
        "last_activity": row.last_activity.isoformat(),
        "flags": [{"code": f.code.value, "reason": str(f.reason)} for f in row.flags],
        "outcome": outcome_json(row.outcome, row.outcome_date),
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


@bp.put("/me/consent")
@auth(Role.JOBSEEKER)
def put_consent():
    """Share, or stop sharing, activity with the job centre."""
    data = body("ConsentBody")
    consent = consent_service.set_consent(g.api_user, data["share_with_jobcentre"])
    return jsonify(
        {"share_with_jobcentre": consent.shared, "changed_at": consent.changed_at.isoformat()}
    )


@bp.get("/me/access-log")
@auth(Role.JOBSEEKER)
def get_access_log():
    """When and why the graduate's data was looked at; never by whom."""
    params = query_params(PAGE_PARAMS)
    page, per_page = params.get("page", 1), params.get("per_page", 50)
    result = access_log_of(g.api_user, page=page, per_page=per_page)
    return jsonify(
        {
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
    )


@bp.get("/caseload")
@auth(Role.CASEWORKER)
def get_caseload():
    """The caseworker's consenting graduates with counts and flags (each one logged)."""
    params = query_params(CASELOAD_PARAMS)
    rows = caseload.view_caseload(
        g.api_user,
        caseload.CaseloadQuery(
            q=params.get("q", ""),
            education=params.get("education", ""),
            flag=params.get("flag", ""),
            sort=params.get("sort", "name"),
            descending=params.get("dir") == "desc",
        ),
        via="api",
    )
    return jsonify([caseload_row_json(r) for r in rows])


@bp.get("/caseload/<id:jobseeker_id>")
@auth(Role.CASEWORKER)
def get_case_file(jobseeker_id: int):
    """One graduate's timeline, flags, notes and outcome (logged)."""
    file = caseload.person_file(g.api_user, jobseeker_id, via="api")
    return jsonify(
        {
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
    )


@bp.post("/caseload/<id:jobseeker_id>/outcome")
@auth(Role.CASEWORKER)
def post_outcome(jobseeker_id: int):
    """Record the outcome (employed, in education, other) and its date."""
    data = body("OutcomeBody")
    try:
        on = date.fromisoformat(data["date"])
    except ValueError:
        raise_validation({"date": _("Use a date like 2027-02-01.")})
    outcome = caseload.record_outcome(g.api_user, jobseeker_id, data["status"], on)
    return jsonify(outcome_json(outcome.status, outcome.outcome_date))


@bp.get("/me/export")
@auth()
def export_me():
    """Everything held about the user (GDPR art. 15)."""
    data = privacy.export_personal_data(g.api_user)
    security_event("export", actor=g.api_user.id, what="own_data", via="api")
    return jsonify(data)


@bp.delete("/me")
@auth()
def delete_me():
    """Delete the account after the password is confirmed (GDPR art. 17)."""
    data = body("AccountDelete")
    privacy.delete_own_account(g.api_user, data["password"])
    return "", 204
