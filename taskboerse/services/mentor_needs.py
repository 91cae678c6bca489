"""Mentor needs and requests: an entrepreneur writes what they want a mentor for, asks one
mentor at a time with a message, and the mentor accepts (a mentorship starts) or declines with
a reason; a request left unanswered for ``MENTOR_REQUEST_DAYS`` expires, so the entrepreneur
can ask the next mentor. The ranking itself is ``mentor_matching``'s; the shared vocabulary and
limits are ``mentoring``'s.

Only the owner of a need sees or changes it (anyone else gets NotFound); a mentor sees only
the requests addressed to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    MentorNeed,
    MentorNeedSkill,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipStatus,
    NeedStatus,
    NotificationKind,
    RequestStatus,
    Role,
    Skill,
    User,
)
from taskboerse.services import clock, mentor_docs
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.mentoring import (
    DEFAULT_WEEKS,
    FREQUENCIES,
    MAX_MESSAGE,
    MAX_NEED_TEXT,
    MAX_OPEN_NEEDS,
    MAX_WEEKS,
    MIN_WEEKS,
    STAGES,
    TOPICS,
    is_waiting,
    topic_slugs,
    waiting_clause,
)
from taskboerse.services.mentors import active_mentorship_counts
from taskboerse.services.notifications import check_reason, notify
from taskboerse.services.places import check_postcode
from taskboerse.services.security import CPR_MESSAGE, contains_cpr
from taskboerse.services.skills import resolve_skills
from taskboerse.services.transactions import retry_on_conflict

# How long a mentor has to answer a request (config MENTOR_REQUEST_DAYS overrides it).
DEFAULT_REQUEST_DAYS = 7
# A mentorship may be agreed to start at most this many days ahead.
MAX_START_AHEAD_DAYS = 60
# The mentor's list of answered requests reaches this far back.
ANSWERED_SHOWN_DAYS = 90
ANSWERED_SHOWN_MAX = 20
# At most this many extra expertise areas on a need.
MAX_NEED_SKILLS = 10


def request_days() -> int:
    """Days a mentor has to answer a request before it expires."""
    return int(current_app.config.get("MENTOR_REQUEST_DAYS", DEFAULT_REQUEST_DAYS))


# --- needs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedInfo:
    """What the entrepreneur writes about a need. ``postcode`` None: the company's postcode;
    "" : no place (then ``online`` must be true)."""

    topic: str
    stage: str
    description: str
    frequency: str
    postcode: str | None = None
    online: bool = True
    skills: str | list[str] = ""


def _check_text(text: str | None, limit: int, field: str, missing) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(missing, field=field)
    if "\x00" in text:
        raise ValidationFailed(_l("The text holds a character that is not allowed."), field=field)
    if len(text) > limit:
        raise ValidationFailed(_l("At most %(max)d characters.", max=limit), field=field)
    if contains_cpr(text):
        raise ValidationFailed(CPR_MESSAGE, field=field)
    return text


def _entrepreneur(user: User) -> User:
    if user.role != Role.ENTREPRENEUR:
        raise Forbidden(_l("Only entrepreneurs can look for a mentor."))
    return user


def _apply_info(need: MentorNeed, user: User, info: NeedInfo) -> None:
    """Check ``info`` and copy it onto ``need``; nothing is changed when a field is wrong."""
    if info.topic not in TOPICS:
        raise ValidationFailed(_l("Choose what you want a mentor for."), field="topic")
    if info.stage not in STAGES:
        raise ValidationFailed(_l("Choose your company's stage."), field="stage")
    description = _check_text(
        info.description,
        MAX_NEED_TEXT,
        "description",
        _l("Write what you would like from a mentor."),
    )
    if info.frequency not in FREQUENCIES:
        raise ValidationFailed(_l("Choose how often you would like to meet."), field="frequency")
    if info.postcode is None:
        postcode = (user.company.postcode or "") if user.company is not None else ""
    else:
        postcode = info.postcode.strip()
    check_postcode(postcode)
    if not postcode and not info.online:
        raise ValidationFailed(
            _l("Give a postcode to meet near, or say that online meetings are fine."),
            field="postcode",
        )
    # The topic's own expertise is ranked already; repeating it would only repeat reasons.
    topic_ids = set(
        db.session.execute(
            select(Skill.id).where(Skill.slug.in_(topic_slugs(info.topic)))
        ).scalars()
    )
    skills = [s for s in resolve_skills(info.skills, field="skills") if s.skill_id not in topic_ids]
    if len(skills) > MAX_NEED_SKILLS:
        raise ValidationFailed(
            _l("At most %(n)d areas of expertise.", n=MAX_NEED_SKILLS), field="skills"
        )
    need.topic = info.topic
    need.stage = info.stage
    need.description = description
    need.frequency = info.frequency
    need.postcode = postcode
    need.online = bool(info.online)
    need.skills = [MentorNeedSkill(skill_id=s.skill_id, label=s.label) for s in skills]


def _waits_on_another_need(entrepreneur_id: int, mentor_id: int) -> bool:
    """Whether the mentor already has a waiting request from this entrepreneur."""
    return (
        db.session.execute(
            select(MentorRequest.id)
            .join(MentorNeed, MentorNeed.id == MentorRequest.need_id)
            .where(
                MentorNeed.entrepreneur_id == entrepreneur_id,
                MentorRequest.mentor_id == mentor_id,
                waiting_clause(clock.now()),
            )
            .limit(1)
        ).first()
        is not None
    )


def create_need(user: User, info: NeedInfo) -> MentorNeed:
    """Save a new, open need of the entrepreneur's (and their company's); at most
    MAX_OPEN_NEEDS open at once, so "one request at a time" means something."""
    _entrepreneur(user)
    open_needs = db.session.execute(
        select(func.count(MentorNeed.id)).where(
            MentorNeed.entrepreneur_id == user.id, MentorNeed.status == NeedStatus.OPEN
        )
    ).scalar_one()
    if open_needs >= MAX_OPEN_NEEDS:
        raise Conflict(
            _l(
                "You already have %(n)d needs looking for a mentor. Close one, or change one, "
                "before you write another.",
                n=MAX_OPEN_NEEDS,
            )
        )
    need = MentorNeed(
        entrepreneur_id=user.id,
        company_id=user.company.id if user.company is not None else None,
        status=NeedStatus.OPEN,
    )
    _apply_info(need, user, info)
    db.session.add(need)
    db.session.commit()
    return need


def update_need(user: User, need_id: int, info: NeedInfo) -> MentorNeed:
    """Change an open need (a matched or closed one is history)."""
    need = get_need(user, need_id)
    if need.status != NeedStatus.OPEN:
        raise Conflict(_l("Only a need that is still looking for a mentor can be changed."))
    _apply_info(need, user, info)
    db.session.commit()
    return need


def close_need(user: User, need_id: int) -> MentorNeed:
    """The entrepreneur no longer looks for a mentor for this need; a pending request is
    withdrawn with it."""
    need = _lock_need(get_need(user, need_id).id)
    if need.status != NeedStatus.OPEN:
        db.session.rollback()
        raise Conflict(_l("Only a need that is still looking for a mentor can be closed."))
    now = clock.now()
    for request in need.requests:
        if request.status == RequestStatus.PENDING:
            request.status = RequestStatus.WITHDRAWN
            request.answered_at = now
    need.status = NeedStatus.CLOSED
    need.closed_at = now
    db.session.commit()
    return need


def owns_need(user: User | None, need: MentorNeed) -> bool:
    """The one owner check: ``user`` is the entrepreneur who wrote ``need``."""
    return user is not None and user.role == Role.ENTREPRENEUR and need.entrepreneur_id == user.id


def _need_query():
    return select(MentorNeed).options(
        selectinload(MentorNeed.skills).selectinload(MentorNeedSkill.skill),
        selectinload(MentorNeed.requests).selectinload(MentorRequest.mentor),
        selectinload(MentorNeed.company),
    )


def get_need(user: User, need_id: int) -> MentorNeed:
    """The need if ``user`` wrote it; NotFound for anyone else."""
    need = db.session.execute(_need_query().where(MentorNeed.id == need_id)).scalar_one_or_none()
    if need is None or not owns_need(user, need):
        raise NotFound(_l("No such mentor need."))
    return need


def list_needs(user: User) -> list[MentorNeed]:
    """The entrepreneur's needs, newest first, with their requests and mentors loaded."""
    _entrepreneur(user)
    return list(
        db.session.execute(
            _need_query()
            .where(MentorNeed.entrepreneur_id == user.id)
            .order_by(MentorNeed.created_at.desc(), MentorNeed.id.desc())
        ).scalars()
    )


def release_requests_of(mentor_id: int, name: str) -> int:
    """Decline the requests waiting for a mentor who can no longer answer (account disabled
    or erased), so their entrepreneurs need not wait out the days: each is told, under
    ``name``, and sees the next candidates. In the caller's transaction; returns how many."""
    now = clock.now()
    waiting = db.session.execute(
        select(MentorRequest)
        .where(MentorRequest.mentor_id == mentor_id, MentorRequest.status == RequestStatus.PENDING)
        .options(selectinload(MentorRequest.need).selectinload(MentorNeed.entrepreneur))
    ).scalars()
    released = 0
    for request in waiting:
        request.status = RequestStatus.DECLINED
        request.answered_at = now
        need = request.need
        notify(
            need.entrepreneur,
            NotificationKind.MENTOR_REQUEST_DECLINED,
            params={"name": name, "topic": need.topic, "need_id": need.id},
        )
        released += 1
    return released


def pending_request(need: MentorNeed) -> MentorRequest | None:
    """The request waiting for an answer on ``need`` (at most one), if any."""
    now = clock.now()
    return next((r for r in need.requests if is_waiting(r, now)), None)


def latest_request(need: MentorNeed) -> MentorRequest | None:
    """The need's newest request, whatever became of it."""
    return need.requests[-1] if need.requests else None


def mentorship_ids(need_ids: list[int]) -> dict[int, int]:
    """The mentorship each matched need became, by need id (one query)."""
    if not need_ids:
        return {}
    rows = db.session.execute(
        select(Mentorship.need_id, Mentorship.id).where(Mentorship.need_id.in_(need_ids))
    )
    return {need_id: mentorship_id for need_id, mentorship_id in rows}


def _lock_need(need_id: int) -> MentorNeed:
    """Take the need's row lock (a no-op UPDATE, as ``tasks.lock_task`` does: a write lock on
    SQLite too), so two requests sent at once are checked one after the other."""
    db.session.execute(
        update(MentorNeed).where(MentorNeed.id == need_id).values(status=MentorNeed.status)
    )
    return db.session.execute(
        _need_query().where(MentorNeed.id == need_id).execution_options(populate_existing=True)
    ).scalar_one()


# --- mentors' availability -------------------------------------------------------------------


def active_mentorships(mentor_id: int) -> int:
    """How many mentorships the mentor has in progress."""
    return active_mentorship_counts([mentor_id]).get(mentor_id, 0)


def _visible_mentor(mentor_user_id: int) -> tuple[User, MentorProfile]:
    """An approved mentor who can still log in; NotFound for anyone else (unapproved mentors
    are not visible to entrepreneurs)."""
    row = db.session.execute(
        select(User, MentorProfile)
        .join(MentorProfile, MentorProfile.user_id == User.id)
        .where(User.id == mentor_user_id)
    ).first()
    if row is None:
        raise NotFound(_l("No such mentor."), field="mentor_id")
    user, profile = row
    if (
        user.role != Role.MENTOR
        or user.is_disabled
        or user.anonymised_at is not None
        or not profile.is_approved
    ):
        raise NotFound(_l("No such mentor."), field="mentor_id")
    return user, profile


# --- requests --------------------------------------------------------------------------------


@retry_on_conflict
def request_mentor(user: User, need_id: int, mentor_user_id: int, message: str) -> MentorRequest:
    """Ask one mentor to take on the need, with a message. One request at a time per need,
    each mentor at most once per need, and only a mentor who is available and has room."""
    _entrepreneur(user)
    get_need(user, need_id)  # 404 before anything else for someone else's need
    text = _check_text(message, MAX_MESSAGE, "message", _l("Write a message to the mentor."))
    need = _lock_need(need_id)
    try:
        if need.status != NeedStatus.OPEN:
            raise Conflict(_l("This need is no longer looking for a mentor."))
        # A request past its deadline that the worker has not marked yet: the entrepreneur
        # has seen it run out on the page, so it expires now, without the worker's notice.
        db.session.execute(
            update(MentorRequest)
            .where(
                MentorRequest.need_id == need.id,
                MentorRequest.status == RequestStatus.PENDING,
                MentorRequest.expires_at <= clock.now(),
            )
            .values(status=RequestStatus.EXPIRED)
            .execution_options(synchronize_session=False)
        )
        waiting = pending_request(need)
        if waiting is not None:
            raise Conflict(
                _l(
                    "You have already asked %(name)s and are waiting for an answer. Wait for "
                    "it, or withdraw that request first.",
                    name=waiting.mentor.name,
                )
            )
        mentor, profile = _visible_mentor(mentor_user_id)
        if any(r.mentor_id == mentor.id for r in need.requests):
            raise Conflict(
                _l("You have already asked %(name)s about this need.", name=mentor.name),
                field="mentor_id",
            )
        if _waits_on_another_need(user.id, mentor.id):
            raise Conflict(
                _l(
                    "%(name)s has a request from you on another need already. Wait for the "
                    "answer first.",
                    name=mentor.name,
                ),
                field="mentor_id",
            )
        if profile.is_paused:
            raise Conflict(
                _l("%(name)s is taking a break and does not take new mentees.", name=mentor.name),
                field="mentor_id",
            )
        active = active_mentorships(mentor.id)
        if not mentor_docs.is_available(profile, active):  # the one rule, as the list uses
            raise Conflict(
                _l("%(name)s has no room for another mentee right now.", name=mentor.name),
                field="mentor_id",
            )
    except (Conflict, NotFound):
        db.session.rollback()
        raise
    now = clock.now()
    request = MentorRequest(
        need_id=need.id,
        mentor_id=mentor.id,
        message=text,
        status=RequestStatus.PENDING,
        created_at=now,
        expires_at=now + timedelta(days=request_days()),
    )
    db.session.add(request)
    db.session.flush()
    notify(
        mentor,
        NotificationKind.MENTOR_REQUEST,
        actor=user,
        params={"topic": need.topic, "need_id": need.id, "request_id": request.id},
    )
    db.session.commit()
    return request


def _request_for_owner(user: User, request_id: int) -> MentorRequest:
    request = db.session.get(MentorRequest, request_id)
    if request is None or not owns_need(user, request.need):
        raise NotFound(_l("No such request."))
    return request


@retry_on_conflict
def withdraw_request(user: User, request_id: int) -> MentorRequest:
    """The entrepreneur takes back a request the mentor has not answered, to ask another."""
    _entrepreneur(user)
    request = _request_for_owner(user, request_id)
    request = _lock_request(request.id)
    if request.status != RequestStatus.PENDING:
        db.session.rollback()
        raise Conflict(_l("Only a request waiting for an answer can be withdrawn."))
    request.status = RequestStatus.WITHDRAWN
    request.answered_at = clock.now()
    db.session.commit()
    return request


def _mentor(user: User) -> User:
    if user.role != Role.MENTOR:
        raise Forbidden(_l("Only mentors answer requests."))
    return user


def _request_for_mentor(user: User, request_id: int) -> MentorRequest:
    request = db.session.get(MentorRequest, request_id)
    if request is None or request.mentor_id != user.id:
        raise NotFound(_l("No such request."))
    return request


def _lock_request(request_id: int) -> MentorRequest:
    return db.session.execute(
        select(MentorRequest)
        .where(MentorRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _check_answerable(request: MentorRequest) -> None:
    if request.status != RequestStatus.PENDING:
        raise Conflict(_l("This request has already been answered, withdrawn or expired."))
    if request.expires_at <= clock.now():
        raise Conflict(_l("This request has expired: it was not answered in time."))


def _lock_profile(mentor_id: int) -> MentorProfile:
    """The mentor's profile row, locked for the rest of the transaction, so two accepts at
    once are counted against the capacity one after the other (the no-op UPDATE first takes
    SQLite's write lock; on PostgreSQL the SELECT ... FOR UPDATE holds the row)."""
    db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.user_id == mentor_id)
        .values(capacity=MentorProfile.capacity)
    )
    profile = db.session.execute(
        select(MentorProfile)
        .where(MentorProfile.user_id == mentor_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if profile is None:
        raise Conflict(_l("Write your mentor profile first."))
    return profile


def check_start(start_on: date | None, weeks: int) -> tuple[date, date]:
    """The agreed start and end: the start today or within MAX_START_AHEAD_DAYS, the length
    MIN_WEEKS..MAX_WEEKS."""
    today = clock.today()
    start = start_on or today
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValidationFailed(
            _l("Agree on %(min)d to %(max)d weeks.", min=MIN_WEEKS, max=MAX_WEEKS), field="weeks"
        )
    if start < today:
        raise ValidationFailed(_l("The start cannot be in the past."), field="start_on")
    if start > today + timedelta(days=MAX_START_AHEAD_DAYS):
        raise ValidationFailed(
            _l("Start within %(n)d days.", n=MAX_START_AHEAD_DAYS), field="start_on"
        )
    return start, start + timedelta(weeks=weeks)


@retry_on_conflict
def accept_request(
    user: User, request_id: int, start_on: date | None = None, weeks: int = DEFAULT_WEEKS
) -> Mentorship:
    """The mentor says yes: a mentorship starts (never beyond the mentor's capacity, also
    when two are accepted at once), the need has a mentor, and the entrepreneur is told."""
    _mentor(user)
    request = _request_for_mentor(user, request_id)
    start, end = check_start(start_on, weeks)
    profile = _lock_profile(user.id)
    request = _lock_request(request.id)
    need = request.need
    try:
        _check_answerable(request)
        if need.status != NeedStatus.OPEN:
            raise Conflict(_l("The entrepreneur no longer looks for a mentor for this need."))
        active = active_mentorships(user.id)
        if active >= profile.capacity:
            raise Conflict(
                _l(
                    "You already have %(active)d mentorships in progress, as many as your "
                    "capacity of %(capacity)d. Raise your capacity in your mentor profile, or "
                    "decline.",
                    active=active,
                    capacity=profile.capacity,
                )
            )
    except Conflict:
        db.session.rollback()
        raise
    now = clock.now()
    request.status = RequestStatus.ACCEPTED
    request.answered_at = now
    mentorship = Mentorship(
        request_id=request.id,
        need_id=need.id,
        mentor_id=user.id,
        entrepreneur_id=need.entrepreneur_id,
        status=MentorshipStatus.ACTIVE,
        start_on=start,
        end_on=end,
        created_at=now,
    )
    db.session.add(mentorship)
    need.status = NeedStatus.MATCHED
    db.session.flush()
    notify(
        need.entrepreneur,
        NotificationKind.MENTOR_REQUEST_ACCEPTED,
        actor=user,
        params={"topic": need.topic, "mentorship_id": mentorship.id, "need_id": need.id},
    )
    db.session.commit()
    return mentorship


@retry_on_conflict
def decline_request(user: User, request_id: int, reason: str) -> MentorRequest:
    """The mentor says no, with a reason the entrepreneur reads beside the next candidates."""
    _mentor(user)
    request = _request_for_mentor(user, request_id)
    reason = check_decline_reason(reason)
    request = _lock_request(request.id)
    try:
        _check_answerable(request)
    except Conflict:
        db.session.rollback()
        raise
    request.status = RequestStatus.DECLINED
    request.decline_reason = reason
    request.answered_at = clock.now()
    need = request.need
    notify(
        need.entrepreneur,
        NotificationKind.MENTOR_REQUEST_DECLINED,
        actor=user,
        reason=reason,
        params={"topic": need.topic, "need_id": need.id},
    )
    db.session.commit()
    return request


def expire_requests(now: datetime | None = None) -> int:
    """Requests unanswered past their time expire, and the entrepreneur is pointed to the next
    mentors. Each request is expired by a guarded UPDATE, so two workers at once (or a rerun)
    never tell anyone twice; returns how many expired."""
    now = now or clock.now()
    days = request_days()
    due = list(
        db.session.execute(
            select(MentorRequest.id).where(
                MentorRequest.status == RequestStatus.PENDING, MentorRequest.expires_at <= now
            )
        ).scalars()
    )
    expired = 0
    for request_id in due:
        result = db.session.execute(
            update(MentorRequest)
            .where(MentorRequest.id == request_id, MentorRequest.status == RequestStatus.PENDING)
            .values(status=RequestStatus.EXPIRED)
        )
        if result.rowcount != 1:
            continue
        request = db.session.execute(
            select(MentorRequest)
            .where(MentorRequest.id == request_id)
            .execution_options(populate_existing=True)
        ).scalar_one()
        need = request.need
        notify(
            need.entrepreneur,
            NotificationKind.MENTOR_REQUEST_EXPIRED,
            actor=request.mentor,
            params={"topic": need.topic, "need_id": need.id, "days": days},
        )
        expired += 1
    db.session.commit()
    return expired


# --- the mentor's side -----------------------------------------------------------------------


@dataclass(frozen=True)
class MentorRequests:
    """What a mentor sees: requests waiting for their answer and the ones answered lately."""

    pending: list[MentorRequest]
    answered: list[MentorRequest]


def _request_query():
    return select(MentorRequest).options(
        selectinload(MentorRequest.need).selectinload(MentorNeed.company),
        selectinload(MentorRequest.need).selectinload(MentorNeed.entrepreneur),
        selectinload(MentorRequest.need)
        .selectinload(MentorNeed.skills)
        .selectinload(MentorNeedSkill.skill),
        selectinload(MentorRequest.mentor),
    )


def list_requests_for_mentor(user: User) -> MentorRequests:
    """The requests addressed to the mentor: pending ones (soonest to expire first), then
    those answered, withdrawn or expired in the last ANSWERED_SHOWN_DAYS."""
    _mentor(user)
    now = clock.now()
    pending = list(
        db.session.execute(
            _request_query()
            .where(
                MentorRequest.mentor_id == user.id,
                MentorRequest.status == RequestStatus.PENDING,
                MentorRequest.expires_at > now,
            )
            .order_by(MentorRequest.expires_at, MentorRequest.id)
        ).scalars()
    )
    answered = list(
        db.session.execute(
            _request_query()
            .where(
                MentorRequest.mentor_id == user.id,
                (MentorRequest.status != RequestStatus.PENDING) | (MentorRequest.expires_at <= now),
                MentorRequest.created_at >= now - timedelta(days=ANSWERED_SHOWN_DAYS),
            )
            .order_by(MentorRequest.created_at.desc(), MentorRequest.id.desc())
            .limit(ANSWERED_SHOWN_MAX)
        ).scalars()
    )
    return MentorRequests(pending, answered)


def mentor_profile(user: User) -> MentorProfile | None:
    """The mentor's own profile, if they have written one."""
    _mentor(user)
    return db.session.execute(
        select(MentorProfile).where(MentorProfile.user_id == user.id)
    ).scalar_one_or_none()


def get_request_for_mentor(user: User, request_id: int) -> MentorRequest:
    """One request addressed to the mentor; NotFound for anyone else's."""
    _mentor(user)
    return _request_for_mentor(user, request_id)


def days_left(request: MentorRequest, now: datetime | None = None) -> int:
    """Whole days (rounded up) until the request expires; 0 once it has."""
    remaining = request.expires_at - (now or clock.now())
    if remaining.total_seconds() <= 0:
        return 0
    return max(1, remaining.days + (1 if remaining.seconds or remaining.microseconds else 0))


def check_decline_reason(reason: str | None) -> str:
    """A decline's reason as stored (required, at most MAX_REASON characters, no CPR)."""
    cleaned = check_reason(reason)
    if not cleaned:
        raise ValidationFailed(_l("Tell the entrepreneur briefly why you decline."), field="reason")
    return cleaned
