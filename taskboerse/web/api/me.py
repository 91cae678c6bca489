"""The user's own things: /me, the profile, the company, consent, the access log, the
export and the deletion of the account."""

from __future__ import annotations

from flask import g, jsonify
from flask_babel import lazy_gettext as _l

from taskboerse.models import Role, User
from taskboerse.services import companies, consent, privacy, profiles
from taskboerse.services.access_log import access_log_of
from taskboerse.services.errors import NotFound
from taskboerse.services.security import security_event
from taskboerse.web.api import bp
from taskboerse.web.api.auth import auth
from taskboerse.web.api.openapi import PAGE_PARAMS
from taskboerse.web.api.serialisers import (
    access_log_page_json,
    company_json,
    consent_json,
    me_json,
    profile_json,
)
from taskboerse.web.api.validation import validated


def _profile(user: User) -> dict | None:
    """The graduate's serialised profile, or None before they have one."""
    profile = profiles.load_profile(user.id)
    if profile is None:
        return None
    return profile_json(profile, profiles.endorsed_skill_labels(user.id))


@bp.get("/me")
@auth()
def me():
    """The user, and their profile or company."""
    user = g.api_user
    company = user.company
    profile = _profile(user) if user.role == Role.JOBSEEKER else None
    return jsonify(me_json(user, profile, company))


@bp.patch("/me/profile")
@auth(Role.JOBSEEKER)
@validated(body="ProfilePatch")
def patch_profile(data: dict):
    """Update part or all of the profile."""
    profiles.update_profile(g.api_user, data)
    return jsonify(_profile(g.api_user))


def _company_out(company) -> dict:
    """The company as the API shows it to its owner, with its ordinary employees."""
    return {**company_json(company), "employees": company.employees}


@bp.get("/me/company")
@auth(Role.ENTREPRENEUR)
def get_company():
    """The entrepreneur's company (404 before it is registered)."""
    company = g.api_user.company
    if company is None:
        raise NotFound(_l("No such company."))
    return jsonify(_company_out(company))


@bp.put("/me/company")
@auth(Role.ENTREPRENEUR)
@validated(body="Company")
def put_company(data: dict):
    """Register or update the company; public-profile fields (and ``employees``) left out
    keep their value."""
    user = g.api_user
    profile = None
    if any(key in data for key in companies.PROFILE_FIELDS):
        current = user.company

        def kept(key: str):
            if current is not None:
                return getattr(current, key)
            return None if key == "employees" else ""

        profile = companies.CompanyProfile(
            **{key: data[key] if key in data else kept(key) for key in companies.PROFILE_FIELDS}
        )
    company = companies.save_company(
        user, data["name"], data["cvr"], data.get("phone", ""), profile=profile
    )
    return jsonify(_company_out(company))


@bp.put("/me/consent")
@auth(Role.JOBSEEKER)
@validated(body="ConsentBody")
def put_consent(data: dict):
    """Share, or stop sharing, activity with the job centre."""
    return jsonify(consent_json(consent.set_consent(g.api_user, data["share_with_jobcentre"])))


@bp.get("/me/access-log")
@auth(Role.JOBSEEKER)
@validated(query=PAGE_PARAMS)
def get_access_log(params: dict):
    """When and why the graduate's data was looked at; never by whom."""
    page, per_page = params.get("page", 1), params.get("per_page", 50)
    result = access_log_of(g.api_user, page=page, per_page=per_page)
    return jsonify(access_log_page_json(result, page, per_page))


@bp.get("/me/export")
@auth()
def export_me():
    """Everything held about the user (GDPR art. 15)."""
    data = privacy.export_personal_data(g.api_user)
    security_event("export", actor=g.api_user.id, what="own_data", via="api")
    return jsonify(data)


@bp.delete("/me")
@auth()
@validated(body="AccountDelete")
def delete_me(data: dict):
    """Delete the account after the password is confirmed (GDPR art. 17)."""
    privacy.delete_own_account(g.api_user, data["password"])
    return "", 204
