"""The course of a mentorship: from the accepted request to the end, with meetings (a shared
agenda both sides see and a private note per side that only its author ever sees), the end by
either side, feedback from both sides and the entrepreneur's word on what came of it.

Only the two parties open a mentorship: anyone else gets NotFound, staff included (the
business service follows the programme in ``mentor_programme``, never the notes). The
conversation of a mentorship lives in ``conversations`` with the task threads' rules.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ParamSpec, TypeVar

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    MeetingNote,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    NotificationKind,
    Outcome,
    User,
)
from taskboerse.services import clock
from taskboerse.services.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from taskboerse.services.mentoring import (
    MAX_AGENDA,
    MAX_FEEDBACK,
    MAX_NOTE,
    OUTCOMES,
    OVERDUE_AFTER_DAYS,
)
from taskboerse.services.notifications import notify
from taskboerse.services.security import CPR_MESSAGE, contains_cpr
from taskboerse.services.transactions import retry_on_conflict

P = ParamSpec("P")
R = TypeVar("R")

# A meeting may be logged this many days before the start (the first talk before the formal
# start) and after the agreed end (the closing talk), and is never planned further ahead than
# MAX_PLAN_AHEAD_DAYS from today.
MEETING_EARLY_DAYS = 14
MEETING_LATE_DAYS = 30
MAX_PLAN_AHEAD_DAYS = 365
# More meetings than this in one mentorship is not a course but a mistake (or a script).
MAX_MEETINGS = 200
# An active mentorship this many days past its agreed end is completed by the worker.
COMPLETE_AFTER_DAYS = 30
MAX_OUTCOME_NOTE = 500
RATINGS = (1, 2, 3, 4, 5)
# The overdue threshold when a need's frequency is unknown.
DEFAULT_OVERDUE_DAYS = 60


# --- pure helpers (the business service's follow-up imports these two) ------------------------


def meeting_overdue(frequency: str, last_meeting_on: date, today: date) -> bool:
    """True when the last meeting (or the start, before any) lies further back than the need's
    frequency allows (services.mentoring.OVERDUE_AFTER_DAYS): time to meet again."""
    limit = OVERDUE_AFTER_DAYS.get(frequency, DEFAULT_OVERDUE_DAYS)
    return (today - last_meeting_on).days > limit


def last_meetings(mentorship_ids: Iterable[int], today: date | None = None) -> dict[int, date]:
    """The date of the last meeting held (not planned: on or before ``today``) per mentorship,
    in one query; mentorships without one are left out."""
    ids = list(mentorship_ids)
    if not ids:
        return {}
    today = today or clock.today()
    rows = db.session.execute(
        select(MentorshipMeeting.mentorship_id, func.max(MentorshipMeeting.held_on))
        .where(MentorshipMeeting.mentorship_id.in_(ids), MentorshipMeeting.held_on <= today)
        .group_by(MentorshipMeeting.mentorship_id)
    ).all()
    return {mentorship_id: held_on for mentorship_id, held_on in rows}


@dataclass(frozen=True)
class Period:
    """Where a mentorship is in its agreed weeks ("week 3 of 12")."""

    start_on: date
    end_on: date
    week: int  # 0 before the start; at most ``weeks``
    weeks: int
    started: bool
    past_end: bool  # today is on or after the agreed end


def period_of(mentorship: Mentorship, today: date) -> Period:
    """The agreed period and today's week in it."""
    weeks = max(1, math.ceil((mentorship.end_on - mentorship.start_on).days / 7))
    started = today >= mentorship.start_on
    week = min(weeks, (today - mentorship.start_on).days // 7 + 1) if started else 0
    return Period(
        start_on=mentorship.start_on,
        end_on=mentorship.end_on,
        week=week,
        weeks=weeks,
        started=started,
        past_end=today >= mentorship.end_on,
    )


def _check_text(value: str | None, limit: int, field: str, too_long) -> str:
    """Free text as stored: trimmed, at most ``limit`` characters (else ``too_long``), no
    NUL character, no CPR number."""
    text = (value or "").strip() if isinstance(value, str | None) else None
    if text is None or "\x00" in text:
        raise ValidationFailed(_l("The text contains a character that is not allowed."), field)
    if len(text) > limit:
        raise ValidationFailed(too_long, field)
    if contains_cpr(text):
        raise ValidationFailed(CPR_MESSAGE, field)
    return text


def side_of(mentorship: Mentorship, user: User) -> str:
    """ "mentor" or "entrepreneur": which party ``user`` is."""
    return "mentor" if user.id == mentorship.mentor_id else "entrepreneur"


def other_of(mentorship: Mentorship, user: User) -> User:
    """The other party."""
    return mentorship.entrepreneur if user.id == mentorship.mentor_id else mentorship.mentor


def _refusal_rolls_back(use_case: Callable[P, R]) -> Callable[P, R]:
    """A use case that locks the mentorship row gives the lock back when it refuses: the
    transaction is rolled back before the error leaves (nothing was changed yet)."""

    @functools.wraps(use_case)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return use_case(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return wrapped


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentorshipSummary:
    """One line of a party's list of mentorships."""

    mentorship: Mentorship
    other: User
    topic: str
    period: Period
    last_meeting_on: date | None
    next_meeting_on: date | None
    overdue: bool


@dataclass(frozen=True)
class MeetingView:
    """A meeting as one party sees it: the shared agenda and their own note only."""

    meeting: MentorshipMeeting
    my_note: str
    planned: bool  # in the future


@dataclass(frozen=True)
class MentorshipView:
    """A mentorship as one party sees it, with what they may do now."""

    mentorship: Mentorship
    viewer: User
    side: str
    other: User
    period: Period
    meetings: list[MeetingView]
    my_feedback: MentorshipFeedback | None
    other_gave_feedback: bool
    last_meeting_on: date | None
    overdue: bool
    may_add_meeting: bool
    may_end: bool
    may_give_feedback: bool
    may_record_outcome: bool

    @property
    def is_entrepreneur(self) -> bool:
        """True when the viewer is the entrepreneur."""
        return self.side == "entrepreneur"


def _party_filter(user: User):
    return or_(Mentorship.mentor_id == user.id, Mentorship.entrepreneur_id == user.id)


def _load_options():
    return (
        selectinload(Mentorship.need),
        selectinload(Mentorship.mentor),
        selectinload(Mentorship.entrepreneur),
        selectinload(Mentorship.meetings),
        selectinload(Mentorship.feedback),
    )


def _order_key(m: Mentorship):
    # Active first; then the newest start first.
    return (0 if m.is_active else 1, -m.start_on.toordinal(), -m.id)


def list_mentorships(user: User) -> list[MentorshipSummary]:
    """The user's own mentorships (as mentor or entrepreneur), active first, each with the
    other side, the topic, the period, the last meeting and whether a meeting is overdue.
    Anyone else has none."""
    rows = list(
        db.session.execute(
            select(Mentorship).where(_party_filter(user)).options(*_load_options())
        ).scalars()
    )
    rows.sort(key=_order_key)
    today = clock.today()
    out = []
    for m in rows:
        held = [x.held_on for x in m.meetings if x.held_on <= today]
        planned = [x.held_on for x in m.meetings if x.held_on > today]
        last = max(held) if held else None
        out.append(
            MentorshipSummary(
                mentorship=m,
                other=other_of(m, user),
                topic=m.need.topic,
                period=period_of(m, today),
                last_meeting_on=last,
                next_meeting_on=min(planned) if planned else None,
                overdue=m.is_active
                and meeting_overdue(m.need.frequency, last or m.start_on, today),
            )
        )
    return out


def _party_mentorship(user: User, mentorship_id: int, lock: bool = False) -> Mentorship:
    """The mentorship if ``user`` is a party; NotFound for anyone else."""
    query = select(Mentorship).where(Mentorship.id == mentorship_id)
    if lock:  # the row as it is now, held until the commit: two ends or feedbacks wait
        query = query.with_for_update().execution_options(populate_existing=True)
    mentorship = db.session.execute(query).scalar_one_or_none()
    if mentorship is None or user.id not in (mentorship.mentor_id, mentorship.entrepreneur_id):
        raise NotFound(_l("No such mentorship."))
    return mentorship


def get_mentorship(user: User, mentorship_id: int) -> Mentorship:
    """One of the user's mentorships; NotFound for anyone but the two parties."""
    return _party_mentorship(user, mentorship_id)


def _my_notes(user: User, meeting_ids: list[int]) -> dict[int, str]:
    """The user's own notes per meeting: the only way notes are ever read."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        select(MeetingNote.meeting_id, MeetingNote.body).where(
            MeetingNote.meeting_id.in_(meeting_ids), MeetingNote.author_id == user.id
        )
    ).all()
    return dict(rows)


def _view(user: User, m: Mentorship, notes: dict[int, str], today: date) -> MentorshipView:
    side = side_of(m, user)
    mine = next((f for f in m.feedback if f.author_id == user.id), None)
    other_gave = any(f.side != side for f in m.feedback)
    held = [x.held_on for x in m.meetings if x.held_on <= today]
    last = max(held) if held else None
    period = period_of(m, today)
    feedback_open = not m.is_active or period.past_end
    return MentorshipView(
        mentorship=m,
        viewer=user,
        side=side,
        other=other_of(m, user),
        period=period,
        meetings=[
            MeetingView(meeting=x, my_note=notes.get(x.id, ""), planned=x.held_on > today)
            for x in m.meetings
        ],
        my_feedback=mine,
        other_gave_feedback=other_gave,
        last_meeting_on=last,
        overdue=m.is_active and meeting_overdue(m.need.frequency, last or m.start_on, today),
        may_add_meeting=m.is_active,
        may_end=m.is_active,
        may_give_feedback=feedback_open and mine is None,
        may_record_outcome=side == "entrepreneur" and not m.is_active,
    )


def mentorship_view(user: User, mentorship_id: int) -> MentorshipView:
    """One mentorship as ``user`` sees it: meetings with the shared agenda and only the
    user's own notes, the user's own feedback and whether the other side has given theirs.
    NotFound for anyone but the two parties."""
    _party_mentorship(user, mentorship_id)
    m = db.session.execute(
        select(Mentorship).where(Mentorship.id == mentorship_id).options(*_load_options())
    ).scalar_one()
    notes = _my_notes(user, [x.id for x in m.meetings])
    return _view(user, m, notes, clock.today())


def mentorship_views(user: User) -> list[MentorshipView]:
    """All of the user's mentorships as they see them (active first), in a fixed number of
    queries (the API's list)."""
    rows = list(
        db.session.execute(
            select(Mentorship).where(_party_filter(user)).options(*_load_options())
        ).scalars()
    )
    rows.sort(key=_order_key)
    notes = _my_notes(user, [x.id for m in rows for x in m.meetings])
    today = clock.today()
    return [_view(user, m, notes, today) for m in rows]


# --- meetings and notes ----------------------------------------------------------------------


def _check_meeting_date(mentorship: Mentorship, held_on: date | None) -> date:
    if not isinstance(held_on, date):
        raise ValidationFailed(_l("Enter the date of the meeting."), "held_on")
    earliest = mentorship.start_on - timedelta(days=MEETING_EARLY_DAYS)
    latest = min(
        mentorship.end_on + timedelta(days=MEETING_LATE_DAYS),
        clock.today() + timedelta(days=MAX_PLAN_AHEAD_DAYS),
    )
    if held_on < earliest or held_on > latest:
        raise ValidationFailed(
            _l(
                "Choose a date from %(first)s to %(last)s: around the mentorship's period.",
                first=format_date(earliest, "long"),
                last=format_date(latest, "long"),
            ),
            "held_on",
        )
    return held_on


@retry_on_conflict
@_refusal_rolls_back
def add_meeting(
    user: User, mentorship_id: int, held_on: date | None, agenda: str = ""
) -> MentorshipMeeting:
    """Log a meeting held or plan one ahead, with an agenda both sides see; only while the
    mentorship is active. Commits."""
    mentorship = _party_mentorship(user, mentorship_id, lock=True)
    if not mentorship.is_active:
        raise Conflict(_l("The mentorship has ended, so no meetings can be added."))
    held_on = _check_meeting_date(mentorship, held_on)
    agenda = _check_text(
        agenda,
        MAX_AGENDA,
        "agenda",
        _l("The agenda can be at most %(n)d characters.", n=MAX_AGENDA),
    )
    count = db.session.execute(
        select(func.count(MentorshipMeeting.id)).where(
            MentorshipMeeting.mentorship_id == mentorship.id
        )
    ).scalar_one()
    if count >= MAX_MEETINGS:
        raise Conflict(_l("This mentorship has as many meetings as it can hold."))
    meeting = MentorshipMeeting(
        mentorship_id=mentorship.id, held_on=held_on, agenda=agenda, created_by_id=user.id
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def meeting_of(user: User, meeting_id: int) -> MentorshipMeeting:
    """A meeting of one of the user's mentorships; NotFound for anyone else."""
    meeting = db.session.get(MentorshipMeeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("No such meeting."))
    m = meeting.mentorship
    if user.id not in (m.mentor_id, m.entrepreneur_id):
        raise NotFound(_l("No such meeting."))
    return meeting


@retry_on_conflict
@_refusal_rolls_back
def update_agenda(user: User, meeting_id: int, agenda: str) -> MentorshipMeeting:
    """Change a meeting's shared agenda (either side, while the mentorship is active; the
    mentorship row is locked, so an end at the same moment wins). Commits."""
    meeting = meeting_of(user, meeting_id)
    mentorship = _party_mentorship(user, meeting.mentorship_id, lock=True)
    if not mentorship.is_active:
        raise Conflict(_l("The mentorship has ended, so the agenda can no longer be changed."))
    meeting.agenda = _check_text(
        agenda,
        MAX_AGENDA,
        "agenda",
        _l("The agenda can be at most %(n)d characters.", n=MAX_AGENDA),
    )
    db.session.commit()
    return meeting


def save_note(user: User, meeting_id: int, body: str) -> MeetingNote | None:
    # Allowed after the end on purpose: one's own notes stay one's own to finish.
    """Save the user's private note on a meeting (one per author and meeting; an empty note
    deletes it). Only its author ever reads it: not the other side, not staff. Commits."""
    meeting = meeting_of(user, meeting_id)
    body = _check_text(
        body, MAX_NOTE, "body", _l("A note can be at most %(n)d characters.", n=MAX_NOTE)
    )
    where = (MeetingNote.meeting_id == meeting.id, MeetingNote.author_id == user.id)
    note = db.session.execute(select(MeetingNote).where(*where)).scalar_one_or_none()
    if not body:
        if note is not None:
            db.session.delete(note)
        db.session.commit()
        return None
    if note is None:
        note = MeetingNote(meeting_id=meeting.id, author_id=user.id, body=body)
        try:
            with db.session.begin_nested():
                db.session.add(note)
        except IntegrityError:  # the same author saving twice at once: keep the last
            note = db.session.execute(select(MeetingNote).where(*where)).scalar_one()
    note.body = body
    db.session.commit()
    return note


# --- the end ---------------------------------------------------------------------------------


def _close(mentorship: Mentorship, by: User | None, today: date) -> None:
    mentorship.status = (
        MentorshipStatus.COMPLETED if today >= mentorship.end_on else MentorshipStatus.ENDED
    )
    mentorship.ended_at = clock.now()
    mentorship.ended_by_id = by.id if by is not None else None


def _tell_ended(mentorship: Mentorship, by: User) -> None:
    other = other_of(mentorship, by)
    if other.is_disabled:
        return
    notify(
        other,
        NotificationKind.MENTORSHIP_ENDED,
        actor=by,
        params={
            "name": by.name,
            "topic": mentorship.need.topic,
            "mentorship_id": mentorship.id,
        },
    )


@retry_on_conflict
@_refusal_rolls_back
def end_mentorship(user: User, mentorship_id: int) -> Mentorship:
    """End the mentorship (either side): completed from the agreed end on, ended early
    before it. The other side is told and asked for feedback. Commits."""
    mentorship = _party_mentorship(user, mentorship_id, lock=True)
    if not mentorship.is_active:
        raise Conflict(_l("The mentorship has already ended."))
    _close(mentorship, user, clock.today())
    _tell_ended(mentorship, user)
    db.session.commit()
    return mentorship


@retry_on_conflict
@_refusal_rolls_back
def give_feedback(
    user: User, mentorship_id: int, rating: int | None, comment: str = ""
) -> MentorshipFeedback:
    """The user's feedback (1-5 and a sentence), once per side, after the end or from the
    agreed end date on. Feedback on an active mentorship past its end completes it (and the
    other side is asked for theirs). Commits."""
    mentorship = _party_mentorship(user, mentorship_id, lock=True)
    today = clock.today()
    if mentorship.is_active and today < mentorship.end_on:
        raise Conflict(_l("Feedback can be given when the mentorship has ended."))
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise ValidationFailed(_l("Choose a rating from 1 to 5."), "rating")
    comment = _check_text(
        comment,
        MAX_FEEDBACK,
        "comment",
        _l("The comment can be at most %(n)d characters.", n=MAX_FEEDBACK),
    )
    side = side_of(mentorship, user)
    exists = db.session.execute(
        select(MentorshipFeedback.id).where(
            MentorshipFeedback.mentorship_id == mentorship.id,
            or_(MentorshipFeedback.author_id == user.id, MentorshipFeedback.side == side),
        )
    ).first()
    if exists is not None:
        raise Conflict(_l("You have already given your feedback."))
    feedback = MentorshipFeedback(
        mentorship_id=mentorship.id,
        author_id=user.id,
        side=side,
        rating=rating,
        comment=comment,
        created_at=clock.now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
    except IntegrityError:
        raise Conflict(_l("You have already given your feedback.")) from None
    if mentorship.is_active:
        _close(mentorship, user, today)
        _tell_ended(mentorship, user)
    db.session.commit()
    return feedback


@retry_on_conflict
@_refusal_rolls_back
def record_outcome(
    user: User, mentorship_id: int, outcome: Outcome | str | None, note: str = ""
) -> Mentorship:
    """The entrepreneur's word on what came of the mentorship, after the end (it may be
    changed later: the funding may come a month after). Commits."""
    mentorship = _party_mentorship(user, mentorship_id, lock=True)
    if user.id != mentorship.entrepreneur_id:
        raise Forbidden(_l("Only the entrepreneur says what came of the mentorship."))
    if mentorship.is_active:
        raise Conflict(_l("You can say what came of it when the mentorship has ended."))
    try:
        code = Outcome(outcome)
    except (ValueError, TypeError):
        code = None
    if code is None or code not in OUTCOMES:
        raise ValidationFailed(_l("Choose what came of the mentorship."), "outcome")
    mentorship.outcome = code
    mentorship.outcome_note = _check_text(
        note,
        MAX_OUTCOME_NOTE,
        "note",
        _l("The note can be at most %(n)d characters.", n=MAX_OUTCOME_NOTE),
    )
    db.session.commit()
    return mentorship


def end_mentorships_of(user_id: int, name: str) -> int:
    """End the active mentorships of someone who can no longer take part (account disabled
    or erased); the other side is told, under ``name``. In the caller's transaction; returns
    how many."""
    active = db.session.execute(
        select(Mentorship)
        .where(
            or_(Mentorship.mentor_id == user_id, Mentorship.entrepreneur_id == user_id),
            Mentorship.status == MentorshipStatus.ACTIVE,
        )
        .options(
            selectinload(Mentorship.need),
            selectinload(Mentorship.mentor),
            selectinload(Mentorship.entrepreneur),
        )
    ).scalars()
    ended = 0
    for ship in active:
        ship.status = MentorshipStatus.ENDED
        ship.ended_at = clock.now()
        ship.ended_by_id = None
        other = ship.entrepreneur if ship.mentor_id == user_id else ship.mentor
        notify(
            other,
            NotificationKind.MENTORSHIP_ENDED,
            params={"name": name, "topic": ship.need.topic, "mentorship_id": ship.id},
        )
        ended += 1
    return ended


def complete_due(today: date | None = None) -> int:
    """Complete the active mentorships COMPLETE_AFTER_DAYS past their agreed end (nobody
    closed them), and ask both sides for their feedback; for the worker. Each is closed by
    a guarded UPDATE, so a party ending it at the same moment wins and nobody is told twice.
    Returns how many. Commits."""
    today = today or clock.today()
    due = list(
        db.session.execute(
            select(Mentorship)
            .where(
                Mentorship.status == MentorshipStatus.ACTIVE,
                Mentorship.end_on <= today - timedelta(days=COMPLETE_AFTER_DAYS),
            )
            .options(
                selectinload(Mentorship.need),
                selectinload(Mentorship.mentor),
                selectinload(Mentorship.entrepreneur),
            )
        ).scalars()
    )
    completed = 0
    for mentorship in due:
        closed = db.session.execute(
            update(Mentorship)
            .where(Mentorship.id == mentorship.id, Mentorship.status == MentorshipStatus.ACTIVE)
            .values(status=MentorshipStatus.COMPLETED, ended_at=clock.now(), ended_by_id=None)
            .execution_options(synchronize_session=False)
        )
        if closed.rowcount != 1:
            continue
        completed += 1
        for reader in (mentorship.mentor, mentorship.entrepreneur):
            notify(
                reader,
                NotificationKind.MENTORSHIP_COMPLETED,
                params={"topic": mentorship.need.topic, "mentorship_id": mentorship.id},
            )
    db.session.commit()
    return completed
