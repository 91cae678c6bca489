"""Data-subject rights: export everything held about a person (GDPR Art. 15), erase it
(Art. 17), and the retention rule that anonymises accounts nobody has used for a long time.

Erasure anonymises rather than deletes the user row: applications stay (without motivation
or reference text) so an entrepreneur's task still shows how many places were filled, but
nothing left points to the person. The profile's vector is deleted, which every process's
matching index notices at its next sync.

The mentor programme follows the same rule: the rows that the programme's statistics count
(needs, requests, mentorships, ratings, outcomes) stay without their text, and what the
person wrote goes (profile, descriptions, notes, agendas they set up, comments, questions
and answers). A mentorship in progress ends, and the other side is told.
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
    Answer,
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
    MeetingNote,
    MentorNeed,
    MentorNeedSkill,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorSkill,
    Message,
    NeedStatus,
    Notification,
    NotificationPreference,
    OutboxMessage,
    Placement,
    PlacementHours,
    PlacementStatus,
    ProfileSkill,
    Question,
    Reference,
    RequestStatus,
    Role,
    Task,
    User,
)
from taskboerse.models.placement import LIVE_PLACEMENT_STATUSES
from taskboerse.models.types import utcnow
from taskboerse.services.conversations import erase_messages_of
from taskboerse.services.errors import Forbidden, ValidationFailed
from taskboerse.services.follow_up import own_flags
from taskboerse.services.mentor_needs import release_requests_of
from taskboerse.services.mentorships import end_mentorships_of
from taskboerse.services.notifications import ERASED_EMAIL_DOMAIN, render_email
from taskboerse.services.passwords import verify_password
from taskboerse.services.saved_searches import erase_saved_searches, export_saved_searches
from taskboerse.services.security import security_event
from taskboerse.services.tasks import close_company_tasks

ERASED_NAME = "Slettet bruger"
CLOSED_COMPANY_NAME = "Lukket virksomhed"
# The roles a person signs up for themselves: they delete their own account, and the
# retention rule applies to them. Staff accounts are closed by an administrator.
SELF_SERVICE_ROLES = (Role.JOBSEEKER, Role.ENTREPRENEUR, Role.MENTOR)


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
        {
            "task_id": m.task_id,
            "mentorship_id": m.mentorship_id,
            "body": m.body,
            "created_at": _iso(m.created_at),
        }
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
    data.update(_mentoring_data(user))
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


def _mentoring_data(user: User) -> dict:
    """The person's part of the mentor programme: their mentor profile, needs, the requests
    they sent or received, their mentorships with the shared agendas and their OWN notes
    (never the other side's), the feedback they gave, and the questions and answers they
    wrote. Of other people only the name of the other side of a request or mentorship."""
    uid = user.id
    data: dict = {}
    profile = db.session.execute(
        select(MentorProfile)
        .where(MentorProfile.user_id == uid)
        .options(selectinload(MentorProfile.skills))
    ).scalar_one_or_none()
    if profile is not None:
        data["mentor_profile"] = {
            "headline": profile.headline,
            "bio": profile.bio,
            "expertise": [s.label for s in profile.skills],
            "sectors": profile.sectors,
            "languages": profile.languages,
            "hours_per_month": profile.hours_per_month,
            "capacity": profile.capacity,
            "postcode": profile.postcode,
            "max_distance_km": profile.max_distance_km,
            "online": profile.online,
            "approved_at": _iso(profile.approved_at),
            "paused_at": _iso(profile.paused_at),
            "created_at": _iso(profile.created_at),
        }
    needs = (
        db.session.execute(
            select(MentorNeed)
            .where(MentorNeed.entrepreneur_id == uid)
            .options(
                selectinload(MentorNeed.skills),
                selectinload(MentorNeed.requests).selectinload(MentorRequest.mentor),
            )
            .order_by(MentorNeed.created_at)
        )
        .scalars()
        .all()
    )
    if needs:
        data["mentor_needs"] = [
            {
                "id": n.id,
                "topic": n.topic,
                "stage": n.stage,
                "description": n.description,
                "frequency": n.frequency,
                "expertise": [s.label for s in n.skills],
                "postcode": n.postcode,
                "online": n.online,
                "status": n.status.value,
                "created_at": _iso(n.created_at),
                "closed_at": _iso(n.closed_at),
            }
            for n in needs
        ]
        data["mentor_requests_sent"] = [
            {
                "need_id": n.id,
                "mentor": r.mentor.name,
                "message": r.message,
                "status": r.status.value,
                # The mentor's answer was written to the person.
                "decline_reason": r.decline_reason,
                "sent_at": _iso(r.created_at),
                "answered_at": _iso(r.answered_at),
            }
            for n in needs
            for r in n.requests
        ]
    received = db.session.execute(
        select(MentorRequest)
        .where(MentorRequest.mentor_id == uid)
        .options(selectinload(MentorRequest.need).selectinload(MentorNeed.entrepreneur))
        .order_by(MentorRequest.created_at)
    ).scalars()
    # Only the mentor's own side of a received request: the entrepreneur's message is theirs,
    # as the messages of a thread are.
    received_rows = [
        {
            "from": r.need.entrepreneur.name,
            "topic": r.need.topic,
            "status": r.status.value,
            "decline_reason": r.decline_reason,
            "received_at": _iso(r.created_at),
            "answered_at": _iso(r.answered_at),
        }
        for r in received
    ]
    if received_rows:
        data["mentor_requests_received"] = received_rows
    ships = (
        db.session.execute(
            select(Mentorship)
            .where((Mentorship.mentor_id == uid) | (Mentorship.entrepreneur_id == uid))
            .options(
                selectinload(Mentorship.need),
                selectinload(Mentorship.mentor),
                selectinload(Mentorship.entrepreneur),
                selectinload(Mentorship.meetings),
            )
            .order_by(Mentorship.start_on)
        )
        .scalars()
        .all()
    )
    if ships:
        meeting_ids = [m.id for s in ships for m in s.meetings]
        own_notes = {
            n.meeting_id: n.body
            for n in db.session.execute(
                select(MeetingNote).where(
                    MeetingNote.meeting_id.in_(meeting_ids), MeetingNote.author_id == uid
                )
            ).scalars()
        }
        data["mentorships"] = [_mentorship_export(s, uid, own_notes) for s in ships]
    given = db.session.execute(
        select(MentorshipFeedback)
        .where(MentorshipFeedback.author_id == uid)
        .order_by(MentorshipFeedback.created_at)
    ).scalars()
    feedback = [
        {
            "mentorship_id": f.mentorship_id,
            "rating": f.rating,
            "comment": f.comment,
            "given_at": _iso(f.created_at),
        }
        for f in given
    ]
    if feedback:
        data["mentorship_feedback_given"] = feedback
    questions = [
        {
            "id": q.id,
            "title": q.title,
            "body": q.body,
            "public": q.is_public,
            "asked_at": _iso(q.created_at),
            "hidden_at": _iso(q.hidden_at),
            "hidden_reason": q.hidden_reason,
            "answers": len(q.answers),
        }
        for q in db.session.execute(
            select(Question)
            .where(Question.author_id == uid)
            .options(selectinload(Question.answers))
            .order_by(Question.created_at)
        ).scalars()
    ]
    if questions:
        data["questions"] = questions
    answers = [
        {
            "question_id": a.question_id,
            "body": a.body,
            "written_at": _iso(a.created_at),
            "marked_helpful_at": _iso(a.helpful_at),
            "hidden_at": _iso(a.hidden_at),
            "hidden_reason": a.hidden_reason,
        }
        for a in db.session.execute(
            select(Answer).where(Answer.author_id == uid).order_by(Answer.created_at)
        ).scalars()
    ]
    if answers:
        data["answers_written"] = answers
    return data


def _mentorship_export(ship: Mentorship, uid: int, own_notes: dict[int, str]) -> dict:
    as_mentor = ship.mentor_id == uid
    other = ship.entrepreneur if as_mentor else ship.mentor
    row = {
        "id": ship.id,
        "as": "mentor" if as_mentor else "entrepreneur",
        "with": other.name,
        "topic": ship.need.topic,
        "status": ship.status.value,
        "start_on": ship.start_on.isoformat(),
        "end_on": ship.end_on.isoformat(),
        "ended_at": _iso(ship.ended_at),
        "meetings": [
            {
                "held_on": m.held_on.isoformat(),
                "agenda": m.agenda,
                "my_note": own_notes.get(m.id, ""),
            }
            for m in ship.meetings
        ],
    }
    if not as_mentor:
        row["outcome"] = ship.outcome.value if ship.outcome else None
        row["outcome_note"] = ship.outcome_note
    return row


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
    _erase_mentoring(user)
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


def _erase_mentoring(user: User) -> None:
    """The person's part of the mentor programme (in the caller's transaction).

    As a mentor: the profile is blanked (not deleted: its new updated_at tells every
    process's matching index to drop it) and its expertise and vector go; pending requests
    to them are declined; their answers to "Spørg en mentor" are deleted (an answer without
    its author has no one to stand behind it). As an entrepreneur: their needs are closed
    (the matched ones keep their status for the statistics) and lose description, wishes,
    place and vector; pending requests are withdrawn and request messages blanked; their
    questions are deleted with their answers (an answer makes no sense without the
    question, and often quotes it). Either way: mentorships in progress end (the other side
    is told), their private meeting notes and the agendas they set up go, and their feedback
    keeps its rating (the statistics) but loses its comment, the outcome its note."""
    uid, now = user.id, utcnow()
    profile_id = db.session.execute(
        select(MentorProfile.id).where(MentorProfile.user_id == uid)
    ).scalar_one_or_none()
    if profile_id is not None:
        db.session.execute(delete(MentorSkill).where(MentorSkill.mentor_id == profile_id))
        db.session.execute(
            update(MentorProfile)
            .where(MentorProfile.id == profile_id)
            .values(
                headline="",
                bio="",
                sectors=[],
                languages=[],
                postcode="",
                online=False,
                paused_at=now,
                updated_at=now,
            )
        )
        db.session.execute(
            delete(Embedding).where(
                Embedding.kind == Embedding.KIND_MENTOR, Embedding.owner_id == uid
            )
        )
    release_requests_of(uid, ERASED_NAME)
    db.session.execute(
        update(MentorRequest).where(MentorRequest.mentor_id == uid).values(decline_reason="")
    )
    db.session.execute(delete(Answer).where(Answer.author_id == uid))
    db.session.execute(
        update(MentorProfile).where(MentorProfile.approved_by_id == uid).values(approved_by_id=None)
    )

    own_needs = select(MentorNeed.id).where(MentorNeed.entrepreneur_id == uid)
    db.session.execute(
        update(MentorRequest)
        .where(MentorRequest.need_id.in_(own_needs), MentorRequest.status == RequestStatus.PENDING)
        .values(status=RequestStatus.WITHDRAWN, answered_at=now)
    )
    db.session.execute(
        update(MentorRequest).where(MentorRequest.need_id.in_(own_needs)).values(message="")
    )
    db.session.execute(delete(MentorNeedSkill).where(MentorNeedSkill.need_id.in_(own_needs)))
    db.session.execute(
        delete(Embedding).where(
            Embedding.kind == Embedding.KIND_NEED, Embedding.owner_id.in_(own_needs)
        )
    )
    db.session.execute(
        update(MentorNeed)
        .where(MentorNeed.entrepreneur_id == uid, MentorNeed.status == NeedStatus.OPEN)
        .values(status=NeedStatus.CLOSED, closed_at=now)
    )
    db.session.execute(
        update(MentorNeed)
        .where(MentorNeed.entrepreneur_id == uid)
        .values(description="", postcode="", updated_at=now)
    )
    own_questions = select(Question.id).where(Question.author_id == uid)
    db.session.execute(delete(Answer).where(Answer.question_id.in_(own_questions)))
    db.session.execute(delete(Question).where(Question.author_id == uid))

    end_mentorships_of(uid, ERASED_NAME)
    db.session.execute(
        update(Mentorship).where(Mentorship.ended_by_id == uid).values(ended_by_id=None)
    )
    db.session.execute(
        update(Mentorship).where(Mentorship.entrepreneur_id == uid).values(outcome_note="")
    )
    db.session.execute(delete(MeetingNote).where(MeetingNote.author_id == uid))
    db.session.execute(
        update(MentorshipMeeting)
        .where(MentorshipMeeting.created_by_id == uid)
        .values(agenda="", created_by_id=None)
    )
    db.session.execute(
        update(MentorshipFeedback).where(MentorshipFeedback.author_id == uid).values(comment="")
    )
    # Staff who hid a question or an answer: their name goes from the moderation record.
    db.session.execute(
        update(Question).where(Question.hidden_by_id == uid).values(hidden_by_id=None)
    )
    db.session.execute(update(Answer).where(Answer.hidden_by_id == uid).values(hidden_by_id=None))


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
