"""The business service's follow-up on the mentor programme (erhvervsservice, and admins):
needs waiting for a mentor and for how long, mentorships in progress and overdue for a
meeting, and what came of the ended ones, with the same small-group folding as the job
centre's statistics.

Names of entrepreneurs and mentors are personal data. The overview lists them, so it is in
the access log (VIEW_PROGRAMME, at most once a day per staff member and person); a need's or
a mentorship's page and an export with names are logged every time. Aggregated figures
carry no names and fold groups smaller than ``STATS_MIN_GROUP``.

Feedback sentences are their authors' words: the overview lists them without names (and
without the author's erased words), but with the topic, date, side and a link they still
point at two people, so both parties of each mentorship quoted are in the overview's access
log, and the sentences are shown only once at least ``STATS_MIN_GROUP`` mentorships have
ended. The mentorship page, which is logged, shows who wrote what. Private meeting notes and
the conversation are never read here.
"""

from __future__ import annotations

import statistics as pystats
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessPurpose,
    MentorNeed,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    NeedStatus,
    Outcome,
    RequestStatus,
    User,
)
from taskboerse.models.user import MENTOR_PROGRAMME_ROLES
from taskboerse.services import clock
from taskboerse.services.access_log import log_access
from taskboerse.services.errors import Forbidden, NotFound
from taskboerse.services.mentoring import (
    NEED_WAITING_FLAG_DAYS,
    OUTCOMES,
    TOPICS,
    need_flagged,
    outcome_label,
    request_status_label,
    topic_label,
)
from taskboerse.services.mentors import active_mentorship_counts, mentor_state

# The course's rules: "overdue for a meeting", the last meeting held, the week of the period.
from taskboerse.services.mentorships import last_meetings, meeting_overdue, period_of
from taskboerse.services.questions import unanswered_count
from taskboerse.services.statistics import fold_small_groups, other_groups_label

LOCAL = ZoneInfo("Europe/Copenhagen")
# A mentorship whose agreed end is this close is pointed out (time to ask for feedback).
ENDING_SOON_DAYS = 14
# The overview lists this many of the newest feedback sentences.
MAX_COMMENTS = 30
MONTHS = 12
# The state of a need's latest request, "none" when it never had one.
NO_REQUEST = "none"
ENDED_STATUSES = (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def _require_staff(actor: User) -> None:
    if actor.role not in MENTOR_PROGRAMME_ROLES:
        raise Forbidden(_l("Only the business service follows the mentor programme."))


def min_group() -> int:
    """The smallest group a figure is shown for: the job centre's statistics' threshold."""
    return current_app.config["STATS_MIN_GROUP"]


# --- small-group folding (statistics.fold_small_groups) --------------------------------------


@dataclass(frozen=True)
class CountLine:
    """One line of a breakdown: a group and how many it holds."""

    label: str
    count: int
    folded: bool = False  # the "other groups" line


@dataclass(frozen=True)
class Breakdown:
    """A folded breakdown; ``lines`` is empty when the groups are too small to show."""

    title: str
    unit: str  # what is counted ("mentorships", "needs")
    total: int
    lines: list[CountLine]


def _breakdown(
    title: str,
    unit: str,
    items: list[T],
    key: Callable[[T], K],
    label: Callable[[K], str],
    order: Sequence[K] | None = None,
) -> Breakdown:
    """Count ``items`` by ``key`` with small groups folded; lines in ``order`` (known keys
    first, in that order), else largest first."""
    groups: dict[K, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    if order is not None:
        rank = {k: i for i, k in enumerate(order)}
        ordered = sorted(groups.items(), key=lambda kv: (rank.get(kv[0], len(rank)), str(kv[0])))
    else:
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))
    threshold = min_group()
    shown, rest, widened = fold_small_groups(ordered, threshold)
    lines = [CountLine(label(k), len(m)) for k, m in shown]
    if rest:
        lines.append(CountLine(other_groups_label(threshold, widened), len(rest), folded=True))
    return Breakdown(title=title, unit=unit, total=len(items), lines=lines)


# --- the overview ---------------------------------------------------------------------------


def local_date(moment: datetime) -> date:
    """The Copenhagen calendar day of a stored moment."""
    return moment.astimezone(LOCAL).date()


@dataclass(frozen=True)
class WaitingNeed:
    """An open need without a mentor, as the business service sees it."""

    need_id: int
    entrepreneur_id: int
    entrepreneur_name: str
    company_name: str
    topic: str
    topic_label: str
    created_at: datetime
    days_waiting: int
    request_state: str  # "none" or the latest request's RequestStatus value
    request_state_label: str
    requests: int
    flagged: bool


@dataclass(frozen=True)
class RunningMentorship:
    """A mentorship in progress: where it stands and whether it needs a nudge."""

    mentorship_id: int
    mentor_id: int
    mentor_name: str
    entrepreneur_id: int
    entrepreneur_name: str
    topic_label: str
    start_on: date
    end_on: date
    week: int
    weeks: int
    last_meeting: date | None
    days_since_meeting: int
    overdue: bool
    ends_soon: bool
    days_left: int


@dataclass(frozen=True)
class Comment:
    """A feedback sentence without its author's name (the parties' ids are for the access
    log only)."""

    mentorship_id: int
    mentor_id: int
    entrepreneur_id: int
    side: str  # "mentor" or "entrepreneur"
    rating: int
    comment: str
    topic_label: str
    created_at: datetime


@dataclass(frozen=True)
class Rating:
    """The average rating one side gave; ``average`` is None under the threshold."""

    side: str
    count: int
    average: float | None


@dataclass(frozen=True)
class Outcomes:
    """What came of the ended mentorships, and the programme in figures."""

    ended: int
    by_outcome: Breakdown
    by_topic: Breakdown
    by_end: Breakdown  # completed vs ended early
    needs_by_topic: Breakdown
    ratings: list[Rating]
    median_days_to_mentorship: float | None
    matched: int  # mentorships the median is over
    per_month: list[tuple[date, int, int]]  # month, needs posted, mentorships started
    comments: list[Comment]  # empty while fewer than ``min_group`` mentorships have ended
    min_group: int

    @property
    def comments_withheld(self) -> bool:
        """Mentorships have ended, but too few to show their sentences."""
        return 0 < self.ended < self.min_group


@dataclass(frozen=True)
class Overview:
    """Everything the programme page shows."""

    waiting: list[WaitingNeed]
    running: list[RunningMentorship]
    outcomes: Outcomes
    mentors_available: int
    mentors_paused: int
    mentors_full: int
    mentors_awaiting: int
    questions_unanswered: int
    flag_days: int = NEED_WAITING_FLAG_DAYS
    ending_soon_days: int = ENDING_SOON_DAYS

    @property
    def flagged(self) -> int:
        """Needs waiting longer than the flag allows."""
        return sum(1 for n in self.waiting if n.flagged)

    @property
    def overdue(self) -> int:
        """Mentorships overdue for a meeting."""
        return sum(1 for m in self.running if m.overdue)

    @property
    def ending_soon(self) -> int:
        """Mentorships whose agreed end is near."""
        return sum(1 for m in self.running if m.ends_soon)

    @property
    def people_listed(self) -> list[int]:
        """Everyone the overview names or points at (for the access log): the waiting needs'
        entrepreneurs, both parties of each running mentorship and of each mentorship whose
        feedback sentence is quoted."""
        ids = [n.entrepreneur_id for n in self.waiting]
        for m in self.running:
            ids += [m.entrepreneur_id, m.mentor_id]
        for c in self.outcomes.comments:
            ids += [c.entrepreneur_id, c.mentor_id]
        return list(dict.fromkeys(ids))


def waiting_needs(now: datetime | None = None) -> list[WaitingNeed]:
    """Open needs without a mentorship: flagged ones first, then the longest waiting (two
    queries however many). Days waiting are whole days since the need was posted, counted
    as the caseload counts days since registration."""
    now = now or clock.now()
    has_mentorship = select(Mentorship.id).where(Mentorship.need_id == MentorNeed.id).exists()
    needs = (
        db.session.execute(
            select(MentorNeed)
            .where(MentorNeed.status == NeedStatus.OPEN, ~has_mentorship)
            .options(selectinload(MentorNeed.entrepreneur), selectinload(MentorNeed.company))
            .order_by(MentorNeed.created_at, MentorNeed.id)
        )
        .scalars()
        .all()
    )
    latest: dict[int, MentorRequest] = {}
    counts: dict[int, int] = {}
    if needs:
        for req in db.session.execute(
            select(MentorRequest)
            .where(MentorRequest.need_id.in_([n.id for n in needs]))
            .order_by(MentorRequest.created_at, MentorRequest.id)
        ).scalars():
            latest[req.need_id] = req
            counts[req.need_id] = counts.get(req.need_id, 0) + 1
    rows = []
    for need in needs:
        days = (now - need.created_at).days
        req = latest.get(need.id)
        state = req.status.value if req else NO_REQUEST
        rows.append(
            WaitingNeed(
                need_id=need.id,
                entrepreneur_id=need.entrepreneur_id,
                entrepreneur_name=need.entrepreneur.name,
                company_name=need.company.name if need.company else "",
                topic=need.topic,
                topic_label=topic_label(need.topic) or need.topic,
                created_at=need.created_at,
                days_waiting=max(days, 0),
                request_state=state,
                request_state_label=(
                    request_status_label(req.status) if req else str(_l("No request yet"))
                ),
                requests=counts.get(need.id, 0),
                flagged=need_flagged(days),
            )
        )
    rows.sort(key=lambda r: (not r.flagged, -r.days_waiting, r.need_id))
    return rows


def running_mentorships(today: date | None = None) -> list[RunningMentorship]:
    """Mentorships in progress, overdue ones first, then those ending soonest (two queries)."""
    today = today or clock.today()
    ships = (
        db.session.execute(
            select(Mentorship)
            .where(Mentorship.status == MentorshipStatus.ACTIVE)
            .options(
                selectinload(Mentorship.mentor),
                selectinload(Mentorship.entrepreneur),
                selectinload(Mentorship.need),
            )
            .order_by(Mentorship.end_on, Mentorship.id)
        )
        .scalars()
        .all()
    )
    met = last_meetings([m.id for m in ships], today)
    rows = []
    for ship in ships:
        period = period_of(ship, today)
        last = met.get(ship.id)
        since = last or ship.start_on
        days_left = (ship.end_on - today).days
        rows.append(
            RunningMentorship(
                mentorship_id=ship.id,
                mentor_id=ship.mentor_id,
                mentor_name=ship.mentor.name,
                entrepreneur_id=ship.entrepreneur_id,
                entrepreneur_name=ship.entrepreneur.name,
                topic_label=topic_label(ship.need.topic) or ship.need.topic,
                start_on=ship.start_on,
                end_on=ship.end_on,
                week=period.week,
                weeks=period.weeks,
                last_meeting=last,
                days_since_meeting=max((today - since).days, 0),
                overdue=meeting_overdue(ship.need.frequency, since, today),
                ends_soon=0 <= days_left <= ENDING_SOON_DAYS,
                days_left=days_left,
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.end_on, r.mentorship_id))
    return rows


def _months_back(today: date, n: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _ in range(n):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _month(moment: datetime) -> date:
    day = local_date(moment)
    return date(day.year, day.month, 1)


def outcomes(today: date | None = None) -> Outcomes:
    """The ended mentorships' outcomes and feedback, the needs by topic and the months, with
    small groups folded (a fixed number of queries)."""
    today = today or clock.today()
    threshold = min_group()
    ended = (
        db.session.execute(
            select(Mentorship)
            .where(Mentorship.status.in_(ENDED_STATUSES))
            .options(selectinload(Mentorship.need))
            .order_by(Mentorship.id)
        )
        .scalars()
        .all()
    )
    topic_order = list(TOPICS)
    not_given = "~none"
    by_outcome = _breakdown(
        str(_l("What came of it")),
        str(_l("Mentorships")),
        ended,
        lambda m: m.outcome.value if m.outcome else not_given,
        lambda k: str(_l("Not given")) if k == not_given else outcome_label(k),
        order=[o.value for o in OUTCOMES] + [not_given],
    )
    by_topic = _breakdown(
        str(_l("Ended mentorships by topic")),
        str(_l("Mentorships")),
        ended,
        lambda m: m.need.topic,
        lambda k: topic_label(k) or k,
        order=topic_order,
    )
    end_order = [MentorshipStatus.COMPLETED.value, MentorshipStatus.ENDED.value]
    by_end = _breakdown(
        str(_l("Completed or ended early")),
        str(_l("Mentorships")),
        ended,
        lambda m: m.status.value,
        lambda k: str(_l("Completed")) if k == "completed" else str(_l("Ended early")),
        order=end_order,
    )
    need_rows = db.session.execute(select(MentorNeed.topic, MentorNeed.created_at)).all()
    needs_by_topic = _breakdown(
        str(_l("Needs by topic")),
        str(_l("Needs")),
        need_rows,
        lambda r: r.topic,
        lambda k: topic_label(k) or k,
        order=topic_order,
    )

    # Ratings: one average per side, only over enough answers.
    rating_rows = db.session.execute(
        select(MentorshipFeedback.side, MentorshipFeedback.rating)
        .join(Mentorship, Mentorship.id == MentorshipFeedback.mentorship_id)
        .where(Mentorship.status.in_(ENDED_STATUSES))
    ).all()
    ratings = []
    for side in ("entrepreneur", "mentor"):
        values = [r.rating for r in rating_rows if r.side == side]
        ratings.append(
            Rating(
                side=side,
                count=len(values),
                average=(sum(values) / len(values)) if len(values) >= threshold else None,
            )
        )

    # Days from a need to its mentorship, over every mentorship (running ones too).
    spans = db.session.execute(
        select(Mentorship.created_at, MentorNeed.created_at).join(
            MentorNeed, MentorNeed.id == Mentorship.need_id
        )
    ).all()
    days = [max((local_date(m) - local_date(n)).days, 0) for m, n in spans]
    median = float(pystats.median(days)) if len(days) >= threshold else None

    months = _months_back(today, MONTHS)
    needs_month = dict.fromkeys(months, 0)
    ships_month = dict.fromkeys(months, 0)
    for row in need_rows:
        if _month(row.created_at) in needs_month:
            needs_month[_month(row.created_at)] += 1
    for started, _need in spans:
        if _month(started) in ships_month:
            ships_month[_month(started)] += 1

    # The sentences, newest first, without names; an erased author's words are gone. With the
    # topic, date and side a sentence points at two people, so none is shown until enough
    # mentorships have ended for it not to be told apart (read anyway: a fixed query count).
    comment_rows = db.session.execute(
        select(
            MentorshipFeedback,
            MentorNeed.topic,
            Mentorship.mentor_id,
            Mentorship.entrepreneur_id,
        )
        .join(Mentorship, Mentorship.id == MentorshipFeedback.mentorship_id)
        .join(MentorNeed, MentorNeed.id == Mentorship.need_id)
        .join(User, User.id == MentorshipFeedback.author_id)
        .where(
            Mentorship.status.in_(ENDED_STATUSES),
            MentorshipFeedback.comment != "",
            User.anonymised_at.is_(None),
        )
        .order_by(MentorshipFeedback.created_at.desc(), MentorshipFeedback.id.desc())
        .limit(MAX_COMMENTS)
    ).all()
    if len(ended) < threshold:
        comment_rows = []
    comments = [
        Comment(
            mentorship_id=f.mentorship_id,
            mentor_id=mentor_id,
            entrepreneur_id=entrepreneur_id,
            side=f.side,
            rating=f.rating,
            comment=f.comment,
            topic_label=topic_label(topic) or topic,
            created_at=f.created_at,
        )
        for f, topic, mentor_id, entrepreneur_id in comment_rows
    ]
    return Outcomes(
        ended=len(ended),
        by_outcome=by_outcome,
        by_topic=by_topic,
        by_end=by_end,
        needs_by_topic=needs_by_topic,
        ratings=ratings,
        median_days_to_mentorship=median,
        matched=len(days),
        per_month=[(m, needs_month[m], ships_month[m]) for m in months],
        comments=comments,
        min_group=threshold,
    )


def _mentor_counts() -> tuple[int, int, int, int]:
    """Mentors available, paused, full and awaiting approval, by ``mentors.mentor_state``
    (disabled and erased accounts are not counted); three queries."""
    profiles = (
        db.session.execute(
            select(MentorProfile)
            .join(User, User.id == MentorProfile.user_id)
            .where(User.anonymised_at.is_(None))
            .options(selectinload(MentorProfile.user))
        )
        .scalars()
        .all()
    )
    active = active_mentorship_counts(p.user_id for p in profiles)
    states: dict[str, int] = {}
    for p in profiles:
        state = mentor_state(p, active.get(p.user_id, 0))
        states[state] = states.get(state, 0) + 1
    return (
        states.get("available", 0),
        states.get("paused", 0),
        states.get("full", 0),
        states.get("waiting", 0),
    )


def programme_overview(actor: User, via: str = "web") -> Overview:
    """The programme page: waiting needs, running mentorships, outcomes and the mentor pool.

    The names listed are logged as VIEW_PROGRAMME (once a day per staff member and person)
    and committed here, so a view and its log entry belong together."""
    _require_staff(actor)
    today = clock.today()
    available, paused, full, awaiting = _mentor_counts()
    overview = Overview(
        waiting=waiting_needs(),
        running=running_mentorships(today),
        outcomes=outcomes(today),
        mentors_available=available,
        mentors_paused=paused,
        mentors_full=full,
        mentors_awaiting=awaiting,
        questions_unanswered=unanswered_count(),
    )
    log_access(
        actor,
        overview.people_listed,
        AccessAction.VIEW_PROGRAMME,
        AccessPurpose.MENTOR_PROGRAMME,
        via=via,
    )
    db.session.commit()
    return overview


def programme_figures(actor: User) -> Outcomes:
    """The aggregated outcome figures alone (no names, so nothing to log): for the CSV."""
    _require_staff(actor)
    return outcomes(clock.today())


def export_waiting_needs(actor: User) -> list[WaitingNeed]:
    """The waiting needs with names, for a CSV: logged as EXPORT_PROGRAMME per person."""
    _require_staff(actor)
    rows = waiting_needs()
    log_access(
        actor,
        [r.entrepreneur_id for r in rows],
        AccessAction.EXPORT_PROGRAMME,
        AccessPurpose.MENTOR_PROGRAMME,
    )
    db.session.commit()
    return rows


# --- one need, one mentorship ---------------------------------------------------------------


@dataclass(frozen=True)
class RequestLine:
    """One request of a need and how it went."""

    id: int
    mentor_id: int
    mentor_name: str
    status: RequestStatus
    status_label: str
    created_at: datetime
    answered_at: datetime | None
    decline_reason: str
    mentorship_id: int | None


@dataclass(frozen=True)
class NeedFile:
    """One need as the business service sees it."""

    need: MentorNeed
    entrepreneur: User
    company_name: str
    days_waiting: int | None  # None once it has a mentor or is closed
    flagged: bool
    requests: list[RequestLine]
    mentorship_id: int | None


def need_file(actor: User, need_id: int, via: str = "web") -> NeedFile:
    """One need, its requests and what came of them; logged for the entrepreneur and each
    mentor shown (VIEW_MENTOR_NEED)."""
    _require_staff(actor)
    need = db.session.execute(
        select(MentorNeed)
        .where(MentorNeed.id == need_id)
        .options(
            selectinload(MentorNeed.entrepreneur),
            selectinload(MentorNeed.company),
            selectinload(MentorNeed.skills),
            selectinload(MentorNeed.requests).selectinload(MentorRequest.mentor),
        )
    ).scalar_one_or_none()
    if need is None:
        raise NotFound(_l("No such mentor need."))
    ships = dict(
        db.session.execute(
            select(Mentorship.request_id, Mentorship.id).where(Mentorship.need_id == need.id)
        ).all()
    )
    lines = [
        RequestLine(
            id=r.id,
            mentor_id=r.mentor_id,
            mentor_name=r.mentor.name,
            status=r.status,
            status_label=request_status_label(r.status),
            created_at=r.created_at,
            answered_at=r.answered_at,
            decline_reason=r.decline_reason,
            mentorship_id=ships.get(r.id),
        )
        for r in need.requests
    ]
    waiting = need.status == NeedStatus.OPEN and not ships
    days = (clock.now() - need.created_at).days if waiting else None
    log_access(
        actor,
        [need.entrepreneur_id] + [r.mentor_id for r in lines],
        AccessAction.VIEW_MENTOR_NEED,
        AccessPurpose.MENTOR_PROGRAMME,
        via=via,
    )
    db.session.commit()
    return NeedFile(
        need=need,
        entrepreneur=need.entrepreneur,
        company_name=need.company.name if need.company else "",
        days_waiting=days,
        flagged=days is not None and need_flagged(days),
        requests=lines,
        mentorship_id=next(iter(ships.values()), None),
    )


@dataclass(frozen=True)
class MeetingLine:
    """A meeting's date and shared agenda; never the private notes."""

    held_on: date
    agenda: str
    planned: bool  # still ahead


@dataclass(frozen=True)
class FeedbackLine:
    """One side's feedback with its author (the page is logged)."""

    side: str
    author_name: str
    rating: int
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class MentorshipFile:
    """One mentorship as the business service sees it."""

    id: int
    status: MentorshipStatus
    need_id: int
    topic_label: str
    frequency: str
    mentor: User
    entrepreneur: User
    company_name: str
    start_on: date
    end_on: date
    week: int
    weeks: int
    ended_at: datetime | None
    outcome: Outcome | None
    outcome_label: str
    outcome_note: str
    last_meeting: date | None
    overdue: bool
    meetings: list[MeetingLine] = field(default_factory=list)
    feedback: list[FeedbackLine] = field(default_factory=list)


def mentorship_file(actor: User, mentorship_id: int, via: str = "web") -> MentorshipFile:
    """One mentorship: parties, period, meeting dates and shared agendas, feedback and
    outcome — never the private notes or the messages. Logged for both parties
    (VIEW_MENTORSHIP)."""
    _require_staff(actor)
    ship = db.session.execute(
        select(Mentorship)
        .where(Mentorship.id == mentorship_id)
        .options(
            selectinload(Mentorship.mentor),
            selectinload(Mentorship.entrepreneur),
            selectinload(Mentorship.need).selectinload(MentorNeed.company),
        )
    ).scalar_one_or_none()
    if ship is None:
        raise NotFound(_l("No such mentorship."))
    today = clock.today()
    # Columns only: the meetings' private notes are never loaded.
    meetings = [
        MeetingLine(held_on=held, agenda=agenda, planned=held > today)
        for held, agenda in db.session.execute(
            select(MentorshipMeeting.held_on, MentorshipMeeting.agenda)
            .where(MentorshipMeeting.mentorship_id == ship.id)
            .order_by(MentorshipMeeting.held_on, MentorshipMeeting.id)
        ).all()
    ]
    feedback_rows = db.session.execute(
        select(MentorshipFeedback, User.name, User.anonymised_at)
        .join(User, User.id == MentorshipFeedback.author_id)
        .where(MentorshipFeedback.mentorship_id == ship.id)
        .order_by(MentorshipFeedback.created_at)
    ).all()
    feedback = [
        FeedbackLine(
            side=f.side,
            author_name=name,
            rating=f.rating,
            comment="" if erased else f.comment,
            created_at=f.created_at,
        )
        for f, name, erased in feedback_rows
    ]
    last = last_meetings([ship.id], today).get(ship.id)
    period = period_of(ship, today)
    log_access(
        actor,
        [ship.entrepreneur_id, ship.mentor_id],
        AccessAction.VIEW_MENTORSHIP,
        AccessPurpose.MENTOR_PROGRAMME,
        via=via,
    )
    db.session.commit()
    return MentorshipFile(
        id=ship.id,
        status=ship.status,
        need_id=ship.need_id,
        topic_label=topic_label(ship.need.topic) or ship.need.topic,
        frequency=ship.need.frequency,
        mentor=ship.mentor,
        entrepreneur=ship.entrepreneur,
        company_name=ship.need.company.name if ship.need.company else "",
        start_on=ship.start_on,
        end_on=ship.end_on,
        week=period.week,
        weeks=period.weeks,
        ended_at=ship.ended_at,
        outcome=ship.outcome,
        outcome_label=outcome_label(ship.outcome) if ship.outcome else "",
        outcome_note=ship.outcome_note,
        last_meeting=last,
        overdue=ship.is_active
        and meeting_overdue(ship.need.frequency, last or ship.start_on, today),
        meetings=meetings,
        feedback=feedback,
    )
