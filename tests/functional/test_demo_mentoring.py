"""seed-demo's mentor programme: enough mentors, needs in every state, mentorships in every
state within the mentors' capacity, answered questions, logins that work, no duplicates."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.matching.geo import postcodes
from taskboerse.models import (
    Answer,
    MeetingNote,
    MentorNeed,
    MentorNeedSkill,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    MentorSkill,
    Message,
    NeedStatus,
    Notification,
    Question,
    RequestStatus,
    Role,
    ThreadRead,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services import companies, mentoring
from taskboerse.services.demo_mentoring import MENTORS

MENTORING_TABLES = (
    MentorProfile,
    MentorSkill,
    MentorNeed,
    MentorNeedSkill,
    MentorRequest,
    Mentorship,
    MentorshipMeeting,
    MeetingNote,
    MentorshipFeedback,
    Question,
    Answer,
    Message,
    ThreadRead,
)


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _all(model) -> list:
    return list(db.session.execute(select(model)).scalars())


def _aware(moment):
    """SQLite hands back naive UTC datetimes; PostgreSQL aware ones."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_seed_demo_builds_the_mentor_programme_once(runner, client) -> None:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "mentors: 17" in result.output
    now = utcnow()

    # --- people ---------------------------------------------------------------------------
    staff = db.session.execute(
        select(User).where(User.email == "erhverv1@demo.example.com")
    ).scalar_one()
    assert staff.role == Role.BUSINESS_STAFF
    profiles = _all(MentorProfile)
    assert {p.user.role for p in profiles} == {Role.MENTOR}
    available = [p for p in profiles if p.is_approved and not p.is_paused]
    assert len(available) >= 12
    assert sum(1 for p in profiles if p.is_paused) == 1
    assert sum(1 for p in profiles if not p.is_approved) >= 2
    emails = {p.user.email for p in profiles}
    assert {f"mentor{i}@demo.example.com" for i in range(1, len(MENTORS) + 1)} == emails
    known = postcodes()
    for p in profiles:
        assert p.bio and p.headline and p.languages
        assert p.sectors and set(p.sectors) <= set(companies.SECTORS)
        assert 1 <= p.capacity <= 3
        assert p.postcode == "" and p.online or known.get(p.postcode) is not None
        assert p.skills and all(s.skill_id is not None for s in p.skills)
        assert all(s.label == s.skill.label_da for s in p.skills)
    assert sum(1 for p in profiles if p.postcode == "") >= 2  # online only
    # Every topic has at least two available mentors whose expertise covers it.
    for code in mentoring.TOPICS:
        slugs = set(mentoring.topic_slugs(code))
        covering = [p for p in available if slugs & {s.skill.slug for s in p.skills}]
        assert len(covering) >= 2, code

    # --- needs and requests -------------------------------------------------------------
    needs = _all(MentorNeed)
    assert len(needs) >= 10
    assert {n.status for n in needs} == set(NeedStatus)
    assert len({n.topic for n in needs}) >= 8
    assert all(n.topic in mentoring.TOPICS and n.stage in mentoring.STAGES for n in needs)
    assert all(n.frequency in mentoring.FREQUENCIES and n.description for n in needs)
    assert all(n.company_id == n.entrepreneur.company.id for n in needs)
    assert {n.entrepreneur.email.endswith("@demo.example.com") for n in needs} == {True}
    open_needs = [n for n in needs if n.status == NeedStatus.OPEN]
    assert sum(1 for n in open_needs if not n.requests) >= 3
    last = {n.id: n.requests[-1].status for n in open_needs if n.requests}
    assert {RequestStatus.PENDING, RequestStatus.DECLINED, RequestStatus.EXPIRED} <= set(
        last.values()
    )
    assert any(
        now - _aware(n.created_at) > timedelta(days=mentoring.NEED_WAITING_FLAG_DAYS)
        for n in open_needs
    )
    requests = _all(MentorRequest)
    pending = Counter(r.need_id for r in requests if r.status == RequestStatus.PENDING)
    assert pending and max(pending.values()) == 1
    for r in requests:
        assert r.expires_at - r.created_at == timedelta(days=7)
        assert r.mentor.role == Role.MENTOR and r.message
        if r.status == RequestStatus.PENDING:
            assert _aware(r.expires_at) > now
        if r.status == RequestStatus.DECLINED:
            assert r.decline_reason
    # No request is pending with a mentor the entrepreneurs cannot see.
    assert all(
        r.mentor_id in {p.user_id for p in available}
        for r in requests
        if r.status == RequestStatus.PENDING
    )

    # --- mentorships ----------------------------------------------------------------------
    ships = _all(Mentorship)
    assert {s.status for s in ships} == set(MentorshipStatus)
    for s in ships:
        assert s.request.status == RequestStatus.ACCEPTED
        assert (s.request.need_id, s.request.mentor_id) == (s.need_id, s.mentor_id)
        assert s.entrepreneur_id == s.need.entrepreneur_id
        assert s.need.status == NeedStatus.MATCHED
        assert mentoring.MIN_WEEKS * 7 <= (s.end_on - s.start_on).days <= mentoring.MAX_WEEKS * 7
        assert s.meetings
    active = Counter(s.mentor_id for s in ships if s.is_active)
    capacity = {p.user_id: p.capacity for p in profiles}
    assert all(n <= capacity[mentor] for mentor, n in active.items())
    today = now.date()
    for s in ships:
        if not s.is_active:
            continue
        held = [m for m in s.meetings if m.held_on <= today]
        assert len(held) >= 2 and all(m.agenda for m in s.meetings)
        authors = {n.author_id for m in held for n in m.notes}
        assert authors == {s.mentor_id, s.entrepreneur_id}
        thread = _all(Message)
        mine = [m for m in thread if m.mentorship_id == s.id]
        assert mine and all(m.task_id is None and m.jobseeker_id is None for m in mine)
        assert {m.sender_id for m in mine} <= {s.mentor_id, s.entrepreneur_id}
    overdue = [
        s
        for s in ships
        if s.is_active
        and (today - max(m.held_on for m in s.meetings if m.held_on <= today)).days
        > mentoring.OVERDUE_AFTER_DAYS[s.need.frequency]
    ]
    assert len(overdue) == 1
    completed = [s for s in ships if s.status == MentorshipStatus.COMPLETED]
    assert len(completed) >= 2
    for s in completed:
        sides = {f.side: f for f in s.feedback}
        assert set(sides) == {"mentor", "entrepreneur"}
        assert sides["mentor"].author_id == s.mentor_id
        assert all(1 <= f.rating <= 5 and f.comment for f in sides.values())
        assert s.outcome is not None and s.ended_at is not None
    assert len({s.outcome for s in completed}) == len(completed)
    ended = [s for s in ships if s.status == MentorshipStatus.ENDED]
    assert ended and all(s.ended_at and s.ended_by_id for s in ended)

    # --- Spørg en mentor -----------------------------------------------------------------
    questions = _all(Question)
    assert len(questions) >= 8
    visible = [q for q in questions if q.hidden_at is None]
    assert sum(1 for q in visible if q.answers) >= 5
    assert sum(1 for q in visible if not q.answers) >= 1
    assert sum(1 for q in visible if any(a.helpful_at for a in q.answers)) >= 3
    assert any(not q.is_public for q in questions) and any(q.is_public for q in questions)
    hidden = [q for q in questions if q.hidden_at is not None]
    assert len(hidden) == 1 and hidden[0].hidden_reason and hidden[0].hidden_by_id == staff.id
    approved_ids = {p.user_id for p in profiles if p.is_approved}
    for q in questions:
        assert q.author.role == Role.ENTREPRENEUR
        assert 1 <= len(q.answers) <= 3 or not q.answers
        assert all(a.author_id in approved_ids for a in q.answers)
        assert sum(1 for a in q.answers if a.helpful_at) <= 1

    # The demo tells no one anything: no mentoring notifications were sent.
    kinds = {n.kind.value for n in _all(Notification)}
    assert not {k for k in kinds if k.startswith(("mentor", "question"))}

    # --- idempotent -----------------------------------------------------------------------
    before = {m.__tablename__: _count(m) for m in MENTORING_TABLES}
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert {m.__tablename__: _count(m) for m in MENTORING_TABLES} == before

    # --- the logins worth showing work ------------------------------------------------------
    for email in (
        "mentor1@demo.example.com",
        "erhverv1@demo.example.com",
        "virksomhed2@demo.example.com",
    ):
        response = client.post("/auth/login", data={"email": email, "password": "taskboerse-demo"})
        assert response.status_code == 302, email
        client.post("/auth/logout")
    mentor1 = db.session.execute(
        select(User).where(User.email == "mentor1@demo.example.com")
    ).scalar_one()
    assert active[mentor1.id] >= 1
    assert any(r.mentor_id == mentor1.id for r in requests if r.status == RequestStatus.PENDING)
