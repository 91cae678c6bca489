"""The access log: who looked at or exported which graduate's data, when and why.

Callers write the rows inside their own transaction (``log_access`` never commits), so a
view of personal data and its log entry are stored together or not at all.

A caseload overview lists every graduate in it, and caseworkers open it many times a day:
one row per graduate and view would bury the person pages, exports and prints that matter.
So an overview is written at most once per caseworker, graduate and calendar day (in
Copenhagen); every other action is written each time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import insert, or_, select
from sqlalchemy.orm import aliased, selectinload

from taskboerse.extensions import db
from taskboerse.models import AccessAction, AccessLogEntry, AccessPurpose, Role, User
from taskboerse.services import clock
from taskboerse.services.errors import Forbidden, ValidationFailed

# Admins search by the dates they live in.
LOCAL = ZoneInfo("Europe/Copenhagen")


def local_day(moment: datetime) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of the Copenhagen calendar day ``moment`` falls on."""
    day = moment.astimezone(LOCAL).date()
    start = datetime.combine(day, time.min, tzinfo=LOCAL)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=LOCAL)


# Overviews (a list of graduates) are recorded once per actor, graduate, action and
# Copenhagen day; pages about one graduate, decisions and exports every time.
# The mentor programme's overview lists entrepreneurs and mentors the same way.
DAILY_ACTIONS = frozenset(
    {AccessAction.VIEW_CASELOAD, AccessAction.VIEW_PLACEMENT_QUEUE, AccessAction.VIEW_PROGRAMME}
)


def _seen_today(actor: User, now: datetime, action: AccessAction) -> set[int]:
    """The graduates the actor already has an ``action`` row for today (one query)."""
    start, end = local_day(now)
    return set(
        db.session.execute(
            select(AccessLogEntry.jobseeker_id)
            .where(
                AccessLogEntry.actor_id == actor.id,
                AccessLogEntry.action == action,
                AccessLogEntry.created_at >= start,
                AccessLogEntry.created_at < end,
            )
            .distinct()
        ).scalars()
    )


def log_access(
    actor: User,
    jobseeker_ids: Iterable[int],
    action: AccessAction,
    purpose: AccessPurpose,
    via: str = "web",
) -> None:
    """Record one access per graduate in one statement (the caller commits).

    A caseload overview (VIEW_CASELOAD, web or API) is recorded once per actor, graduate
    and Copenhagen day: graduates the actor already saw in an overview today get no new
    row. Person pages, exports and prints are recorded every time."""
    now = clock.now()
    ids = list(dict.fromkeys(jobseeker_ids))
    if action in DAILY_ACTIONS and ids:
        seen = _seen_today(actor, now, action)
        ids = [i for i in ids if i not in seen]
    rows = [
        {
            "jobseeker_id": jobseeker_id,
            "actor_id": actor.id,
            "actor_role": actor.role.value,
            "action": action,
            "purpose": purpose,
            "via": via,
            "created_at": now,
        }
        for jobseeker_id in ids
    ]
    if rows:
        db.session.execute(insert(AccessLogEntry), rows)


MAX_PAGE = 10_000
# Whose data staff open: they can read when and why.
PEOPLE_WITH_AN_ACCESS_LOG = (Role.JOBSEEKER, Role.ENTREPRENEUR, Role.MENTOR)


def access_log_of(user: User, page: int = 1, per_page: int = 50) -> Pagination:
    """The person's own access log, newest first (who is not part of what they see): a
    graduate's from the job centre, an entrepreneur's or a mentor's from the business
    service."""
    if user.role not in PEOPLE_WITH_AN_ACCESS_LOG:
        raise Forbidden(_l("Only graduates, entrepreneurs and mentors have an access log."))
    page = max(1, min(page, MAX_PAGE))  # a page number from a URL: never past what SQL takes
    stmt = (
        select(AccessLogEntry)
        .where(AccessLogEntry.jobseeker_id == user.id)
        .order_by(AccessLogEntry.created_at.desc(), AccessLogEntry.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


@dataclass(frozen=True)
class AccessLogQuery:
    """The admin's search in the access log."""

    jobseeker: str = ""
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 50


def _like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def search_access_log(actor: User, query: AccessLogQuery) -> Pagination:
    """Search by graduate, actor (name or email), action and period; newest first."""
    if actor.role != Role.ADMIN:
        raise Forbidden(_l("Only administrators can search the access log."))
    if query.action and query.action not in {a.value for a in AccessAction}:
        raise ValidationFailed(_l("Unknown action."), field="action")
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise ValidationFailed(_l("The period ends before it starts."), field="date_to")
    graduate = aliased(User)
    person = aliased(User)
    stmt = (
        select(AccessLogEntry)
        .join(graduate, graduate.id == AccessLogEntry.jobseeker_id)
        .outerjoin(person, person.id == AccessLogEntry.actor_id)
        .options(selectinload(AccessLogEntry.actor), selectinload(AccessLogEntry.jobseeker))
        .order_by(AccessLogEntry.created_at.desc(), AccessLogEntry.id.desc())
    )
    if query.jobseeker.strip():
        like = _like(query.jobseeker)
        stmt = stmt.where(
            or_(graduate.name.ilike(like, escape="\\"), graduate.email.ilike(like, escape="\\"))
        )
    if query.actor.strip():
        like = _like(query.actor)
        stmt = stmt.where(
            or_(person.name.ilike(like, escape="\\"), person.email.ilike(like, escape="\\"))
        )
    if query.action:
        stmt = stmt.where(AccessLogEntry.action == AccessAction(query.action))
    if query.date_from:
        start = datetime.combine(query.date_from, time.min, tzinfo=LOCAL)
        stmt = stmt.where(AccessLogEntry.created_at >= start)
    if query.date_to:
        end = datetime.combine(query.date_to + timedelta(days=1), time.min, tzinfo=LOCAL)
        stmt = stmt.where(AccessLogEntry.created_at < end)
    return db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
