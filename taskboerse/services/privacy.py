"""Data-subject rights: export everything held about a person (GDPR Art. 15), erase it
(Art. 17), and the retention rule that anonymises accounts nobody has used for a long time.

Erasure anonymises rather than deletes the user row: applications stay (without motivation
or reference text) so an entrepreneur's task still shows how many places were filled, but
nothing left points to the person. The profile's vector is deleted, which every process's
matching index notices at its next sync.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.labels import action_label, purpose_label
from taskboerse.models import (
    AccessLogEntry,
    ApiToken,
    Application,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Company,
    Consent,
    Embedding,
    Invitation,
    JobseekerProfile,
    LoginSession,
    Message,
    Notification,
    NotificationPreference,
    OutboxMessage,
    Placement,
    PlacementHours,
    PlacementStatus,
    ProfileSkill,
    Reference,
    Role,
    Task,
    User,
)
from taskboerse.models.placement import LIVE_PLACEMENT_STATUSES
from taskboerse.models.types import utcnow
from taskboerse.services.conversations import erase_messages_of
from taskboerse.services.errors import Forbidden, ValidationFailed
from taskboerse.services.follow_up import own_flags
from taskboerse.services.notifications import ERASED_EMAIL_DOMAIN, render_email
from taskboerse.services.passwords import verify_password
from taskboerse.services.saved_searches import erase_saved_searches, export_saved_searches
from taskboerse.services.security import security_event
from taskboerse.services.tasks import close_company_tasks

ERASED_NAME = "Slettet bruger"
CLOSED_COMPANY_NAME = "Lukket virksomhed"
SELF_SERVICE_ROLES = (Role.JOBSEEKER, Role.ENTREPRENEUR)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


# --- Art. 15: everything held about the person -------------------------------------------


def export_personal_data(user: User) -> dict:
    """Every piece of data held about ``user`` as JSON-ready data (Art. 15)."""
    data: dict = {
        "format": "taskboerse-personal-data/1",
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "role": user.role.value,
            "language": user.locale,
            "created_at": _iso(user.created_at),
            "last_active_at": _iso(user.last_active_at),
        },
        "login_sessions": [
            {"started_at": _iso(s.created_at), "last_seen_at": _iso(s.last_seen_at)}
            for s in db.session.execute(
                select(LoginSession).where(LoginSession.user_id == user.id)
            ).scalars()
        ],
        "api_tokens": [
            {"created_at": _iso(t.created_at), "expires_at": _iso(t.expires_at)}
            for t in db.session.execute(
                select(ApiToken).where(ApiToken.user_id == user.id)
            ).scalars()
        ],
        "notifications": [
            {
                "kind": n.kind.value,
                "details": n.params,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in db.session.execute(
                select(Notification).where(Notification.user_id == user.id)
            ).scalars()
        ],
        "emails": [
            {
                "subject": m.subject,
                "body": m.body,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
            }
            for m in db.session.execute(
                select(OutboxMessage).where(OutboxMessage.to_email == user.email)
            ).scalars()
        ],
    }
    from taskboerse.services import notifications

    data["notification_settings"] = {
        category.value: channel.value
        for category, channel in notifications.preferences(user).items()
    }
    data["calendar_feed"] = user.calendar_token_hash is not None
    if user.role == Role.JOBSEEKER:
        data["saved_searches"] = export_saved_searches(user)
    data["messages_written"] = [
        {"task_id": m.task_id, "body": m.body, "created_at": _iso(m.created_at)}
        for m in db.session.execute(
            select(Message).where(Message.sender_id == user.id).order_by(Message.created_at)
        ).scalars()
    ]
    if user.role == Role.JOBSEEKER:
        data.update(_jobseeker_data(user))
    if user.role == Role.ENTREPRENEUR and user.company is not None:
        company = user.company
        data["company"] = {
            "name": company.name,
            "cvr": company.cvr,
            "phone": company.phone,
            "description": company.description,
            "website": company.website,
            "sector": company.sector,
            "address": company.address,
            "postcode": company.postcode,
            "has_logo": company.logo_updated_at is not None,
        }
        data["tasks"] = [
            {
                "id": t.id,
                "title": t.title,
                "status": t.status.value,
                "created_at": _iso(t.created_at),
            }
            for t in db.session.execute(select(Task).where(Task.company_id == company.id)).scalars()
        ]
    return data


def _jobseeker_data(user: User) -> dict:
    profile = db.session.execute(
        select(JobseekerProfile)
        .where(JobseekerProfile.user_id == user.id)
        .options(selectinload(JobseekerProfile.skills))
    ).scalar_one_or_none()
    applications = db.session.execute(
        select(Application)
        .where(Application.jobseeker_id == user.id)
        .options(
            selectinload(Application.task).selectinload(Task.company),
            selectinload(Application.reference).selectinload(Reference.endorsed_skills),
        )
        .order_by(Application.created_at)
    ).scalars()
    consent = db.session.get(Consent, user.id)
    assignment = db.session.get(CaseAssignment, user.id)
    outcome = db.session.get(CaseOutcome, user.id)
    vectors = db.session.execute(
        select(Embedding).where(
            Embedding.kind == Embedding.KIND_PROFILE,
            Embedding.owner_id == (profile.id if profile else -1),
        )
    ).scalars()
    return {
        "profile": None
        if profile is None
        else {
            "degree_level": profile.degree_level.value if profile.degree_level else None,
            "field_of_study": profile.field,
            "institution": profile.institution,
            "graduation_year": profile.graduation_year,
            "skills": [s.label for s in profile.skills],
            "languages": profile.languages,
            "hours_per_week": profile.hours_per_week,
            "postcode": profile.postcode,
            "remote_ok": profile.remote_ok,
            "about": profile.about,
            "phone": profile.phone,
            "updated_at": _iso(profile.updated_at),
        },
        "applications": [
            {
                "task": a.task.title,
                "company": a.task.company.name,
                "status": a.status.value,
                "motivation": a.motivation,
                "applied_at": _iso(a.created_at),
                "accepted_at": _iso(a.accepted_at),
                "decided_at": _iso(a.decided_at),
                "completed_at": _iso(a.completed_at),
                "reference": None
                if a.reference is None
                else {
                    "rating": a.reference.rating,
                    "text": a.reference.text,
                    "endorsed_skills": [s.label for s in a.reference.endorsed_skills],
                },
            }
            for a in applications
        ],
        "placements": [
            {
                "task": p.application.task.title,
                "company": p.company.name,
                "form": p.form.value,
                "status": p.status.value,
                "purpose": p.purpose,
                "start_on": p.start_on.isoformat(),
                "end_on": p.end_on.isoformat(),
                "hours_per_week": p.hours_per_week,
                "hourly_wage": p.hourly_wage,
                "decided_at": _iso(p.decided_at),
                "decision_reason": p.decision_reason,
                "hours": [
                    {
                        "date": h.work_date.isoformat(),
                        "hours": h.hours,
                        "note": h.note,
                        "confirmed": h.confirmed_at is not None,
                    }
                    for h in p.hours
                ],
            }
            for p in db.session.execute(
                select(Placement)
                .where(Placement.jobseeker_id == user.id)
                .options(selectinload(Placement.hours), selectinload(Placement.company))
                .order_by(Placement.start_on)
            ).scalars()
        ],
        "invitations": [
            {"task": i.task.title, "invited_at": _iso(i.created_at)}
            for i in db.session.execute(
                select(Invitation)
                .where(Invitation.jobseeker_id == user.id)
                .options(selectinload(Invitation.task))
            ).scalars()
        ],
        "job_centre": {
            "shares_activity": bool(consent and consent.shared),
            "consent_changed_at": _iso(consent.changed_at) if consent else None,
            "assigned_since": _iso(assignment.assigned_at) if assignment else None,
            # The job centre's notes are personal data about the graduate, so an access
            # request shows them, although the everyday pages do not.
            "notes": [
                {"text": n.text, "written_at": _iso(n.created_at)}
                for n in db.session.execute(
                    select(CaseNote).where(CaseNote.jobseeker_id == user.id)
                ).scalars()
            ],
            "outcome": None
            if outcome is None
            else {"status": outcome.status.value, "date": outcome.outcome_date.isoformat()},
            "flags": [{"code": f.code.value, "reason": str(f.reason)} for f in own_flags(user)],
            "access_log": [
                {
                    "at": _iso(e.created_at),
                    "what": str(action_label(e.action)),
                    "purpose": str(purpose_label(e.purpose)),
                }
                for e in db.session.execute(
                    select(AccessLogEntry)
                    .where(AccessLogEntry.jobseeker_id == user.id)
                    .order_by(AccessLogEntry.created_at)
                ).scalars()
            ],
        },
        "embedding_vectors": [
            {
                "of": "profile",
                "model": v.model,
                "dimensions": v.dim,
                "text_sha256": v.text_hash,
                "vector": [round(float(x), 6) for x in v.as_array()],
            }
            for v in vectors
        ],
    }


# --- Art. 17: erasure ------------------------------------------------------------------------


def delete_own_account(user: User, password: str) -> None:
    """The person deletes their account after confirming with their password."""
    if user.role not in SELF_SERVICE_ROLES:
        raise Forbidden(_l("Staff accounts are closed by an administrator."))
    if not verify_password(user.password_hash, password or ""):
        raise ValidationFailed(_l("The password is wrong."), field="password")
    anonymise_user(user)


def anonymise_user(user: User) -> None:
    """Erase or irreversibly anonymise every trace of ``user`` (one transaction)."""
    email, uid = user.email, user.id
    profile_id = db.session.execute(
        select(JobseekerProfile.id).where(JobseekerProfile.user_id == uid)
    ).scalar_one_or_none()
    for stmt in (
        delete(LoginSession).where(LoginSession.user_id == uid),
        delete(ApiToken).where(ApiToken.user_id == uid),
        delete(Notification).where(Notification.user_id == uid),
        delete(OutboxMessage).where(OutboxMessage.to_email == email),
        delete(Invitation).where(Invitation.jobseeker_id == uid),
        delete(Consent).where(Consent.jobseeker_id == uid),
        delete(CaseAssignment).where(CaseAssignment.jobseeker_id == uid),
        delete(CaseNote).where(CaseNote.jobseeker_id == uid),
        delete(CaseOutcome).where(CaseOutcome.jobseeker_id == uid),
        delete(AccessLogEntry).where(AccessLogEntry.jobseeker_id == uid),
        delete(NotificationPreference).where(NotificationPreference.user_id == uid),
    ):
        db.session.execute(stmt)
    erase_saved_searches(user)
    user.calendar_token_hash = None
    if profile_id is not None:
        db.session.execute(delete(ProfileSkill).where(ProfileSkill.profile_id == profile_id))
        db.session.execute(
            delete(Embedding).where(
                Embedding.kind == Embedding.KIND_PROFILE, Embedding.owner_id == profile_id
            )
        )
        # Blank, not deleted: its new updated_at tells every process's index to drop it.
        db.session.execute(
            update(JobseekerProfile)
            .where(JobseekerProfile.id == profile_id)
            .values(
                degree_level=None,
                field="",
                institution="",
                graduation_year=None,
                languages=[],
                hours_per_week=None,
                postcode="",
                remote_ok=False,
                about="",
                phone="",
                updated_at=utcnow(),
            )
        )
    applications = select(Application.id).where(Application.jobseeker_id == uid)
    db.session.execute(
        update(Application).where(Application.jobseeker_id == uid).values(motivation="")
    )
    # Placements: the hours and the written purpose go; the row stays (the company's count
    # of work done), and one still under way ends.
    own_placements = select(Placement.id).where(Placement.jobseeker_id == uid)
    db.session.execute(
        delete(PlacementHours).where(PlacementHours.placement_id.in_(own_placements))
    )
    db.session.execute(
        update(Placement)
        .where(Placement.jobseeker_id == uid)
        .values(purpose="", decision_reason="")
    )
    db.session.execute(
        update(Placement)
        .where(
            Placement.jobseeker_id == uid,
            Placement.status.in_(list(LIVE_PLACEMENT_STATUSES)),
        )
        .values(status=PlacementStatus.ENDED, ended_at=utcnow())
    )
    db.session.execute(
        update(Reference).where(Reference.application_id.in_(applications)).values(text="")
    )
    _close_company(uid)
    _scrub_mentions(uid)
    erase_messages_of(uid)
    user.name = ERASED_NAME
    user.email = f"slettet-{secrets.token_hex(12)}@{ERASED_EMAIL_DOMAIN}"
    user.password_hash = "!"  # matches no password
    user.signup_source = None
    user.is_disabled = True
    user.last_active_at = None
    user.anonymised_at = utcnow()
    db.session.commit()
    security_event("erasure", user=uid, role=user.role.value)


def _scrub_mentions(uid: int) -> None:
    """Others' notifications that name the person ("X applied"), found by reference, get the
    placeholder name; the emails written with them (sent or not) are rendered again from the
    scrubbed notification. Nothing is matched by substring, so no one else's text changes."""
    notes = db.session.execute(select(Notification).where(Notification.actor_id == uid)).scalars()
    for note in notes:
        # The name becomes the placeholder; a reason the person wrote goes with them.
        params = {k: v for k, v in note.params.items() if k != "reason"}
        note.params = {**params, "name": ERASED_NAME}
        note.actor_id = None
        emails = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.notification_id == note.id)
        ).scalars()
        for message in emails:  # waiting, sent or failed: the copy kept names no one erased
            message.subject, message.body = render_email(note.user, note.kind, note.params, note.id)


def _close_company(uid: int) -> None:
    """An erased entrepreneur's company: its unfinished tasks are cancelled (applicants told
    why) and its name leaves every listing. Completed applications and their references stay
    on the graduates' CVs, under the placeholder name."""
    company = db.session.execute(
        select(Company).where(Company.owner_id == uid)
    ).scalar_one_or_none()
    if company is None:
        return
    close_company_tasks(company)
    company.name = CLOSED_COMPANY_NAME
    company.phone = ""
    # The public profile goes too: nothing of it may stay on a page or the logo route.
    company.description = company.website = company.sector = ""
    company.address = company.postcode = ""
    company.logo = None
    company.logo_updated_at = None


# --- retention --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    """What one retention run did."""

    warned: int
    anonymised: int


def retention_run(now: datetime | None = None) -> RetentionResult:
    """Warn accounts inactive for the retention period less the notice, and anonymise those
    still inactive when the notice has run out. Running it again changes nothing."""
    now = now or utcnow()
    config = current_app.config
    limit = timedelta(days=30 * config["RETENTION_MONTHS"])
    notice = timedelta(days=config["RETENTION_NOTICE_DAYS"])
    candidates = (
        db.session.execute(
            select(User).where(User.role.in_(SELF_SERVICE_ROLES), User.anonymised_at.is_(None))
        )
        .scalars()
        .all()
    )
    warned = anonymised = 0
    for user in candidates:
        last = max(m for m in (user.last_active_at, user.created_at) if m is not None)
        if user.retention_warned_at is not None and last <= user.retention_warned_at:
            if now - user.retention_warned_at >= notice:
                anonymise_user(user)
                anonymised += 1
            continue
        if now - last >= limit - notice:
            _warn(user, now + notice)
            user.retention_warned_at = now
            db.session.commit()
            warned += 1
    return RetentionResult(warned=warned, anonymised=anonymised)


def _warn(user: User, deadline: datetime) -> None:
    from flask_babel import format_date

    with force_locale(user.locale or "da"):
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                _(
                    "You have not used Taskbørs for a long time. Log in before %(date)s to "
                    "keep your account; otherwise it and your data will be deleted.",
                    date=format_date(deadline, "long"),
                ),
            ]
        )
        subject = _("Your Taskbørs account will be deleted")
    db.session.add(OutboxMessage(to_email=user.email, subject=subject, body=body))
