"""Jobseekers' profiles and their verified task experience."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.matching.educations import link_education
from taskboerse.models import (
    Application,
    ApplicationStatus,
    DegreeLevel,
    JobseekerProfile,
    ProfileSkill,
    Reference,
    Role,
    Task,
    User,
)
from taskboerse.services import clock
from taskboerse.services.errors import Forbidden, ValidationFailed
from taskboerse.services.phones import check_phone
from taskboerse.services.places import DEFAULT_MAX_DISTANCE_KM, MAX_DISTANCE_KM, check_postcode
from taskboerse.services.skills import resolve_skills

MAX_LANGUAGES = 10
MAX_FIELD = 120
MAX_INSTITUTION = 160


@dataclass(frozen=True)
class ProfileInfo:
    """Everything a graduate can state in their profile."""

    degree_level: str | None
    field: str
    institution: str
    graduation_year: int | None
    skills: str | list[str]
    languages: str
    hours_per_week: int | None
    postcode: str
    remote_ok: bool
    about: str
    max_distance_km: int = DEFAULT_MAX_DISTANCE_KM
    phone: str = ""  # shown only to a company that has accepted the graduate
    show_ratings: bool = False  # companies' ratings on the CV, only when the graduate says so


def get_or_create_profile(user: User) -> JobseekerProfile:
    """The jobseeker's profile, created empty on first use (committed by the caller's service)."""
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_l("Only graduates have a profile."))
    if user.profile is None:
        user.profile = JobseekerProfile(user_id=user.id, languages=[])
        db.session.add(user.profile)
        db.session.flush()
    return user.profile


def save_profile(user: User, info: ProfileInfo) -> JobseekerProfile:
    """Validate and store the profile; typed skills are normalised onto the vocabulary and
    the field of study is linked to the education vocabulary (kept as typed either way)."""
    level = None
    if info.degree_level:
        try:
            level = DegreeLevel(info.degree_level)
        except ValueError:
            raise ValidationFailed(_l("Choose a degree level."), field="degree_level") from None
    field = (info.field or "").strip()
    if len(field) > MAX_FIELD:
        raise ValidationFailed(
            _l("Write the field of study in at most %(n)d characters.", n=MAX_FIELD),
            field="field",
        )
    institution = (info.institution or "").strip()
    if len(institution) > MAX_INSTITUTION:
        raise ValidationFailed(
            _l("Write the institution in at most %(n)d characters.", n=MAX_INSTITUTION),
            field="institution",
        )
    this_year = clock.today().year
    if info.graduation_year is not None and not 1950 <= info.graduation_year <= this_year + 1:
        raise ValidationFailed(
            _l("Enter a graduation year between 1950 and %(y)d.", y=this_year + 1),
            field="graduation_year",
        )
    if info.hours_per_week is not None and not 1 <= info.hours_per_week <= 60:
        raise ValidationFailed(_l("Enter between 1 and 60 hours a week."), field="hours_per_week")
    check_postcode(info.postcode)
    if not 1 <= info.max_distance_km <= MAX_DISTANCE_KM:
        raise ValidationFailed(
            _l("Enter a distance between 1 and %(n)d km.", n=MAX_DISTANCE_KM),
            field="max_distance_km",
        )
    languages = [x.strip() for x in re.split(r"[,\n;]", info.languages or "") if x.strip()]
    if len(languages) > MAX_LANGUAGES or any(len(x) > 40 for x in languages):
        raise ValidationFailed(
            _l("List at most %(n)d languages, each at most 40 characters.", n=MAX_LANGUAGES),
            field="languages",
        )
    resolved = resolve_skills(info.skills, field="skills")
    phone = check_phone(info.phone)

    profile = get_or_create_profile(user)
    profile.degree_level = level
    profile.field = field
    profile.education_code = link_education(field) if field else None
    profile.institution = institution
    profile.graduation_year = info.graduation_year
    profile.languages = languages
    profile.hours_per_week = info.hours_per_week
    profile.postcode = info.postcode.strip()
    profile.remote_ok = info.remote_ok
    profile.max_distance_km = info.max_distance_km
    profile.about = info.about.strip()
    profile.phone = phone
    profile.show_ratings = bool(info.show_ratings)
    profile.skills = [ProfileSkill(skill_id=r.skill_id, label=r.label) for r in resolved]
    db.session.commit()
    return profile


def update_profile(user: User, changes: dict[str, Any]) -> JobseekerProfile:
    """Change only the fields named in ``changes`` (the API's PATCH: ``education`` a nested
    object whose own fields merge too, ``skills`` and ``languages`` lists, ``show_ratings``);
    the rest keep their stored values, or the empty profile's when there is none yet. The
    education's vocabulary code is always derived from the field, never set directly."""
    profile = load_profile(user.id)
    if profile is None:
        education: dict[str, Any] = {"level": None, "field": "", "institution": "", "year": None}
        current: dict[str, Any] = {
            "skills": [],
            "languages": [],
            "hours_per_week": None,
            "postcode": "",
            "max_distance_km": DEFAULT_MAX_DISTANCE_KM,
            "remote_ok": True,
            "about": "",
            "phone": "",
            "show_ratings": False,
        }
    else:
        education = {
            "level": profile.degree_level.value if profile.degree_level else None,
            "field": profile.field,
            "institution": profile.institution,
            "year": profile.graduation_year,
        }
        current = {
            "skills": [s.label for s in profile.skills],
            "languages": list(profile.languages),
            "hours_per_week": profile.hours_per_week,
            "postcode": profile.postcode,
            "max_distance_km": profile.max_distance_km,
            "remote_ok": profile.remote_ok,
            "about": profile.about,
            "phone": profile.phone,
            "show_ratings": profile.show_ratings,
        }
    education |= changes.get("education", {})
    current |= {k: v for k, v in changes.items() if k != "education"}
    return save_profile(
        user,
        ProfileInfo(
            degree_level=education["level"],
            field=education["field"],
            institution=education["institution"],
            graduation_year=education["year"],
            skills=current["skills"],
            languages=", ".join(current["languages"]),
            hours_per_week=current["hours_per_week"],
            postcode=current["postcode"],
            remote_ok=current["remote_ok"],
            about=current["about"],
            max_distance_km=current["max_distance_km"],
            phone=current["phone"] or "",
            show_ratings=current["show_ratings"],
        ),
    )


def load_profile(user_id: int) -> JobseekerProfile | None:
    """A profile with its skills loaded in one go."""
    return db.session.execute(
        select(JobseekerProfile)
        .where(JobseekerProfile.user_id == user_id)
        .options(selectinload(JobseekerProfile.skills).selectinload(ProfileSkill.skill))
    ).scalar_one_or_none()


def verified_experience(user_id: int) -> list[Application]:
    """Completed applications with their references and endorsed skills, newest first."""
    return list(
        db.session.execute(
            select(Application)
            .where(
                Application.jobseeker_id == user_id,
                Application.status == ApplicationStatus.COMPLETED,
            )
            .options(
                selectinload(Application.task).selectinload(Task.company),
                selectinload(Application.reference).selectinload(Reference.endorsed_skills),
                selectinload(Application.placement),
            )
            .order_by(Application.completed_at.desc())
        ).scalars()
    )


def endorsed_skill_labels(user_id: int) -> list[str]:
    """The skills references endorsed, counted only from companies the job centre verified,
    as the CV does."""
    return [
        s.label
        for a in verified_experience(user_id)
        if a.reference_confirmed
        for s in a.reference.endorsed_skills
    ]


def link_educations(relink: bool = False) -> tuple[int, int]:
    """Link every profile's typed field to the education vocabulary (idempotent): profiles
    without a code, or all with ``relink`` (after the vocabulary changed). Returns (profiles
    checked, codes changed)."""
    query = select(JobseekerProfile)
    if not relink:
        query = query.where(JobseekerProfile.education_code.is_(None))
    checked = changed = 0
    for profile in db.session.execute(query).scalars():
        checked += 1
        field = (profile.field or "").strip()
        code = link_education(field) if field else None
        if code != profile.education_code:
            profile.education_code = code
            changed += 1
    db.session.commit()
    return checked, changed
