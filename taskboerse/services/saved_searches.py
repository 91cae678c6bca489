"""Saved searches and their alerts: a graduate names the current search of the task list (up
to ten), chooses how often to hear about new tasks that match it, and unsubscribes in one
click from the email; plus one "new tasks that fit you" alert per graduate, fed by the
recommendations above a relevance threshold.

``run_alerts`` is the worker's side (``taskboerse.worker.jobs``): each due search is run
through the task list's own search (``services/search.py``) or the recommendations, and each
graduate gets one notification per run listing every task that newly matches any of their
due searches. ``task_alerts`` records what was sent, in the transaction of the notification,
so a task reaches a person once whatever searches found it, and two workers never send it
twice (the second one's insert breaks the unique constraint and it skips the person).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.matching.geo import postcodes
from taskboerse.models import (
    AlertFrequency,
    Application,
    Invitation,
    JobseekerProfile,
    NotificationKind,
    Role,
    SavedSearch,
    SavedSearchKind,
    Skill,
    Task,
    TaskAlert,
    TaskForm,
    TaskStatus,
    User,
)
from taskboerse.services import clock
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.notifications import notify
from taskboerse.services.placements import form_label
from taskboerse.services.search import DISTANCES_KM, search_tasks
from taskboerse.services.security import CPR_MESSAGE, contains_cpr
from taskboerse.services.tasks import TaskQuery, today

log = logging.getLogger(__name__)

MAX_SAVED_SEARCHES = 10
MAX_NAME = 80
MAX_Q = 200
# The task list's own limit for "at most hours" (web/tasks/forms.py), so every search the
# list accepts can be saved.
MAX_HOURS = 1000

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# A task is published (``published_at`` set) a moment before its transaction commits; a run
# looking back this far past its last check cannot miss one committed meanwhile. Tasks
# already alerted are skipped, so looking twice costs nothing.
OVERLAP = timedelta(minutes=5)
# The search is paged newest first until it reaches tasks older than the last check.
ALERT_PAGE = 100
MAX_ALERT_PAGES = 10
# The recommendations read for "new tasks that fit you" (the ranker's candidate pool).
RECOMMENDED_DEPTH = 60
# One email lists at most this many tasks; the rest are counted, with a link to the list.
MAX_TASKS_PER_EMAIL = 30

# The pages the emails link to (web/tasks, web/alerts), under BASE_URL.
TASK_PATH = "/tasks/{id}"
UNSUBSCRIBE_PATH = "/alerts/unsubscribe/{token}"
SAVED_SEARCHES_PATH = "/saved-searches"
UNSUBSCRIBE_SALT = "saved-search-unsubscribe"

FREQUENCY_LABELS = {
    AlertFrequency.INSTANT: _l("Instantly"),
    AlertFrequency.DAILY: _l("Daily"),
    AlertFrequency.WEEKLY: _l("Weekly"),
    AlertFrequency.NONE: _l("No alerts"),
}
RECOMMENDED_NAME = _l("New tasks that fit you")
# The row's own name (never shown: ``display_name`` translates it).
RECOMMENDED_STORED_NAME = "New tasks that fit you"


@dataclass(frozen=True)
class SavedSearchInfo:
    """What a graduate saves: a name, the task list's filters, and how often to be alerted."""

    name: str
    q: str = ""
    skill_id: int | None = None
    within_km: int | None = None
    max_hours: int | None = None
    remote: bool | None = None
    frequency: str = AlertFrequency.DAILY.value
    form: str | None = None  # a TaskForm value


# --- reading --------------------------------------------------------------------------------


def _graduate(user: User) -> User:
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_l("Only graduates can save searches."))
    return user


def list_saved_searches(user: User) -> list[SavedSearch]:
    """The graduate's saved searches (not the "fits you" alert), oldest first."""
    _graduate(user)
    return list(
        db.session.execute(
            select(SavedSearch)
            .where(SavedSearch.user_id == user.id, SavedSearch.kind == SavedSearchKind.SEARCH)
            .options(selectinload(SavedSearch.skill))
            .order_by(SavedSearch.created_at, SavedSearch.id)
        ).scalars()
    )


def get_saved_search(user: User, search_id: int) -> SavedSearch:
    """One of the graduate's saved searches; anyone else's, or none, is NotFound."""
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != user.id or search.kind != SavedSearchKind.SEARCH:
        raise NotFound(_l("No such saved search."))
    return search


def _recommended(user: User) -> SavedSearch | None:
    return db.session.execute(
        select(SavedSearch)
        .where(SavedSearch.user_id == user.id, SavedSearch.kind == SavedSearchKind.RECOMMENDED)
        .order_by(SavedSearch.id)
        .limit(1)
    ).scalar_one_or_none()


def recommended_frequency(user: User) -> AlertFrequency:
    """How often the graduate hears about new tasks that fit them (none until switched on)."""
    _graduate(user)
    search = _recommended(user)
    return search.frequency if search is not None else AlertFrequency.NONE


def frequency_label(frequency: AlertFrequency | str) -> str:
    """The frequency in the reader's language."""
    return str(FREQUENCY_LABELS[AlertFrequency(frequency)])


def display_name(search: SavedSearch) -> str:
    """The search's name as the reader sees it ("new tasks that fit you" is translated)."""
    if search.kind == SavedSearchKind.RECOMMENDED:
        return str(RECOMMENDED_NAME)
    return search.name


def describe_filters(
    search: SavedSearch | SavedSearchInfo, skill: Skill | None = None, locale: str = "da"
) -> list[str]:
    """The search's filters in words, in the current language; empty for "all tasks".
    ``skill`` is the vocabulary entry of ``skill_id`` (a SavedSearch carries its own)."""
    if skill is None and isinstance(search, SavedSearch):
        skill = search.skill
    parts = []
    if search.q:
        parts.append(_("Text: “%(q)s”", q=search.q))
    if skill is not None:
        parts.append(_("Skill: %(skill)s", skill=skill.label(locale)))
    if search.remote is True:
        parts.append(_("Remote only"))
    elif search.remote is False:
        parts.append(_("On site only"))
    if search.form:
        parts.append(form_label(TaskForm(search.form)))
    if search.max_hours is not None:
        parts.append(_("At most %(n)d hours", n=search.max_hours))
    if search.within_km is not None:
        parts.append(_("Within %(km)d km", km=search.within_km))
    return parts


def suggest_name(info: SavedSearchInfo, locale: str = "da") -> str:
    """A name for the search before the graduate gives one: its text, else its skill, else
    its first filter, else "All tasks"."""
    skill = db.session.get(Skill, info.skill_id) if info.skill_id else None
    if info.q.strip():
        name = info.q.strip()
    elif skill is not None:
        name = skill.label(locale)
    else:
        words = describe_filters(info, skill, locale)
        name = words[0] if words else _("All tasks")
    return name[:MAX_NAME]


def task_query(search: SavedSearch | SavedSearchInfo, **options) -> TaskQuery:
    """The task list's query for the saved search (``options``: sort, page, per_page)."""
    return TaskQuery(
        q=search.q,
        skill_id=search.skill_id,
        remote=search.remote,
        max_hours=search.max_hours,
        within_km=search.within_km,
        form=TaskForm(search.form) if search.form else None,
        **options,
    )


# --- changing -------------------------------------------------------------------------------


def _frequency(value: AlertFrequency | str) -> AlertFrequency:
    try:
        return AlertFrequency(value)
    except ValueError:
        raise ValidationFailed(
            _l("Choose how often you want to hear about new tasks."), field="frequency"
        ) from None


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_l("Give the search a name."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(
            _l("The name can be at most %(n)d characters.", n=MAX_NAME), field="name"
        )
    if contains_cpr(name):
        raise ValidationFailed(CPR_MESSAGE, field="name")
    return name


def _has_postcode(user: User) -> bool:
    code = db.session.execute(
        select(JobseekerProfile.postcode).where(JobseekerProfile.user_id == user.id)
    ).scalar_one_or_none()
    return postcodes().get(code) is not None


def _validate(user: User, info: SavedSearchInfo) -> SavedSearchInfo:
    """The info as stored (trimmed), or ValidationFailed naming the first bad field."""
    name = _clean_name(info.name)
    q = (info.q or "").strip()
    if len(q) > MAX_Q:
        raise ValidationFailed(
            _l("The search text can be at most %(n)d characters.", n=MAX_Q), field="q"
        )
    if contains_cpr(q):
        raise ValidationFailed(CPR_MESSAGE, field="q")
    if info.skill_id is not None and db.session.get(Skill, info.skill_id) is None:
        raise ValidationFailed(_l("Choose a skill from the list."), field="skill_id")
    if info.within_km is not None:
        if info.within_km not in DISTANCES_KM:
            raise ValidationFailed(
                _l(
                    "Choose one of these distances: %(km)s km.",
                    km=", ".join(map(str, DISTANCES_KM)),
                ),
                field="within_km",
            )
        if not _has_postcode(user):
            raise ValidationFailed(
                _l("Add a postcode to your profile to sort or filter by distance."),
                field="within_km",
            )
    if info.max_hours is not None and not 1 <= info.max_hours <= MAX_HOURS:
        raise ValidationFailed(_l("Enter 1 to 1000 hours."), field="max_hours")
    if info.remote not in (None, True, False):
        raise ValidationFailed(_l("Choose remote, on site or both."), field="remote")
    if info.form not in (None, *(f.value for f in TaskForm)):
        raise ValidationFailed(_l("Choose one of the offered forms."), field="form")
    return SavedSearchInfo(
        name=name,
        q=q,
        skill_id=info.skill_id,
        within_km=info.within_km,
        max_hours=info.max_hours,
        remote=info.remote,
        frequency=_frequency(info.frequency).value,
        form=info.form,
    )


def _lock_user(user: User) -> None:
    """Take the user's row lock for the rest of the transaction (an UPDATE locks on
    PostgreSQL and SQLite alike), so two saves at once cannot both pass the limit."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(locale=User.locale)
        .execution_options(synchronize_session=False)
    )


def _same_name(searches: Iterable[SavedSearch], name: str) -> SavedSearch | None:
    """The search among ``searches`` already called ``name`` (any case; in Python, as
    SQLite's lower() leaves æ, ø and å alone)."""
    wanted = name.casefold()
    return next((s for s in searches if s.name.casefold() == wanted), None)


def create_saved_search(user: User, info: SavedSearchInfo) -> SavedSearch:
    """Save the search with its name and alert frequency; commits. Refused: anyone but a
    graduate, bad values (nothing changes), an eleventh search, a name or a search the
    graduate has already saved."""
    _graduate(user)
    info = _validate(user, info)
    _lock_user(user)
    searches = list(
        db.session.execute(
            select(SavedSearch).where(
                SavedSearch.user_id == user.id, SavedSearch.kind == SavedSearchKind.SEARCH
            )
        ).scalars()
    )
    if len(searches) >= MAX_SAVED_SEARCHES:
        db.session.rollback()
        raise Conflict(
            _l(
                "You can save at most %(n)d searches. Delete one to save a new one.",
                n=MAX_SAVED_SEARCHES,
            )
        )
    same = _same_name(searches, info.name)
    if same is not None:
        db.session.rollback()
        raise Conflict(
            _l("You already have a saved search called “%(name)s”.", name=same.name),
            field="name",
        )
    for other in searches:
        if (
            other.q.casefold(),
            other.skill_id,
            other.within_km,
            other.max_hours,
            other.remote,
            other.form,
        ) == (
            info.q.casefold(),
            info.skill_id,
            info.within_km,
            info.max_hours,
            info.remote,
            info.form,
        ):
            db.session.rollback()
            raise Conflict(_l("You have already saved this search as “%(name)s”.", name=other.name))
    now = clock.now()
    search = SavedSearch(
        user_id=user.id,
        kind=SavedSearchKind.SEARCH,
        name=info.name,
        q=info.q,
        skill_id=info.skill_id,
        within_km=info.within_km,
        max_hours=info.max_hours,
        remote=info.remote,
        form=info.form,
        frequency=AlertFrequency(info.frequency),
        created_at=now,
    )
    db.session.add(search)
    db.session.commit()
    return search


def _switch(search: SavedSearch, frequency: AlertFrequency) -> None:
    """Change the frequency; alerts switched on again start from now, not from the tasks
    published while they were off."""
    if search.frequency == AlertFrequency.NONE and frequency != AlertFrequency.NONE:
        search.checked_at = clock.now()
    search.frequency = frequency


def set_frequency(user: User, search_id: int, frequency: AlertFrequency | str) -> SavedSearch:
    """Change how often a saved search alerts; commits."""
    _graduate(user)
    frequency = _frequency(frequency)
    search = get_saved_search(user, search_id)
    _switch(search, frequency)
    db.session.commit()
    return search


def rename_saved_search(user: User, search_id: int, name: str) -> SavedSearch:
    """Give a saved search another name; commits."""
    _graduate(user)
    name = _clean_name(name)
    search = get_saved_search(user, search_id)
    others = [s for s in list_saved_searches(user) if s.id != search.id]
    if _same_name(others, name) is not None:
        raise Conflict(
            _l("You already have a saved search called “%(name)s”.", name=name), field="name"
        )
    search.name = name
    db.session.commit()
    return search


def delete_saved_search(user: User, search_id: int) -> None:
    """Delete a saved search (its alerts stop; tasks already sent stay sent); commits."""
    _graduate(user)
    search = get_saved_search(user, search_id)
    db.session.delete(search)
    db.session.commit()


def set_recommended_alert(user: User, frequency: AlertFrequency | str) -> SavedSearch:
    """Switch "new tasks that fit you" on (with a frequency) or off; commits. It does not
    count against the ten saved searches."""
    _graduate(user)
    frequency = _frequency(frequency)
    _lock_user(user)
    search = _recommended(user)
    if search is None:
        search = SavedSearch(
            user_id=user.id,
            kind=SavedSearchKind.RECOMMENDED,
            name=RECOMMENDED_STORED_NAME,
            frequency=AlertFrequency.NONE,
            created_at=clock.now(),
        )
        db.session.add(search)
    _switch(search, frequency)
    db.session.commit()
    return search


# --- unsubscribing in one click ----------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def _stamp(search: SavedSearch) -> int:
    """The search's creation in microseconds: a token names this search, not a later one
    that reuses its id."""
    moment = search.created_at
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def unsubscribe_token(search: SavedSearch) -> str:
    """The signed token of the search's unsubscribe link (no login needed to use it)."""
    return _serializer().dumps([search.id, search.user_id, _stamp(search)])


def unsubscribe_link(search: SavedSearch) -> str:
    """The absolute one-click unsubscribe link for the search's emails."""
    path = UNSUBSCRIBE_PATH.format(token=unsubscribe_token(search))
    return current_app.config["BASE_URL"] + path


def search_for_token(token: str) -> SavedSearch | None:
    """The search an unsubscribe token names; None when it has been deleted since.
    A token that was not made here is ValidationFailed."""
    try:
        search_id, user_id, created = _serializer().loads(token)
        search_id, user_id, created = int(search_id), int(user_id), int(created)
    except (BadSignature, TypeError, ValueError):
        raise ValidationFailed(
            _l(
                "This unsubscribe link is not valid. Copy the whole link from the email, "
                "or stop the alerts under Saved searches."
            )
        ) from None
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != user_id or _stamp(search) != created:
        return None
    return search


def unsubscribe(token: str) -> SavedSearch | None:
    """Stop the alerts of the search the token names (no login); commits. Doing it again
    changes nothing; None when the search no longer exists (it sends nothing either)."""
    search = search_for_token(token)
    if search is not None and search.frequency != AlertFrequency.NONE:
        search.frequency = AlertFrequency.NONE
        db.session.commit()
    return search


# --- privacy: what the account's export and erasure need ------------------------------------


def export_saved_searches(user: User) -> list[dict]:
    """The user's saved searches and alert settings, for the data export."""
    rows = db.session.execute(
        select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
    ).scalars()
    return [
        {
            "kind": s.kind.value,
            "name": s.name,
            "q": s.q,
            "skill_id": s.skill_id,
            "within_km": s.within_km,
            "max_hours": s.max_hours,
            "remote": s.remote,
            "form": s.form,
            "frequency": s.frequency.value,
            "created_at": s.created_at.isoformat(),
            "sent_at": s.sent_at.isoformat() if s.sent_at else None,
        }
        for s in rows
    ]


def erase_saved_searches(user: User) -> None:
    """Delete the user's saved searches and the record of tasks alerted to them (in the
    caller's transaction: the account's erasure)."""
    db.session.execute(delete(TaskAlert).where(TaskAlert.user_id == user.id))
    db.session.execute(delete(SavedSearch).where(SavedSearch.user_id == user.id))


# --- the alerts (the worker) -----------------------------------------------------------------


def period_start(frequency: AlertFrequency, now: datetime, hour: int) -> datetime | None:
    """The start of the period ``now`` is in: today at ``hour`` in Copenhagen (daily), this
    week's Monday at ``hour`` (weekly), or yesterday's / last week's before that hour.
    None for instant alerts (every run) and for none."""
    if frequency not in (AlertFrequency.DAILY, AlertFrequency.WEEKLY):
        return None
    local = now.astimezone(COPENHAGEN)
    # Wall-clock arithmetic with the zone: 07:00 stays 07:00 across a daylight-saving change.
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0, fold=0)
    if frequency == AlertFrequency.DAILY:
        if local < start:
            start -= timedelta(days=1)
    else:
        start -= timedelta(days=local.weekday())
        if local < start:
            start -= timedelta(days=7)
    return start


def is_due(search: SavedSearch, now: datetime, hour: int) -> bool:
    """Whether the search's alert runs now: instant ones every run; daily ones once a
    Copenhagen day from ``hour``; weekly ones once a week from Monday at ``hour``. A new
    search's first period is the next one (its creation counts as the last check)."""
    if search.frequency == AlertFrequency.NONE:
        return False
    if search.frequency == AlertFrequency.INSTANT:
        return True
    start = period_start(search.frequency, now, hour)
    last = search.checked_at or search.created_at
    return last < start <= now


def _since(search: SavedSearch) -> datetime:
    """Tasks published after this are new to the search."""
    if search.checked_at is None:
        return search.created_at
    return max(search.created_at, search.checked_at - OVERLAP)


def _fresh_tasks(user_id: int, since: datetime) -> dict[int, datetime]:
    """Open tasks published after ``since`` that the graduate has not been alerted to,
    applied for or been invited to: id → published_at."""
    rows = db.session.execute(
        select(Task.id, Task.published_at).where(
            Task.status == TaskStatus.OPEN,
            Task.published_at > since,
            Task.deadline >= today(),
            ~exists().where(TaskAlert.user_id == user_id, TaskAlert.task_id == Task.id),
            ~exists().where(Application.jobseeker_id == user_id, Application.task_id == Task.id),
            ~exists().where(Invitation.jobseeker_id == user_id, Invitation.task_id == Task.id),
        )
    ).all()
    return dict(rows)


def _search_matches(index, user: User, search: SavedSearch, fresh: dict[int, datetime]) -> list:
    """The fresh tasks the saved search finds, newest first: the task list's own search,
    paged newest first until it reaches tasks older than the search's last check."""
    since = _since(search)
    found = []
    for page in range(1, MAX_ALERT_PAGES + 1):
        result = search_tasks(
            index, task_query(search, sort="newest", page=page, per_page=ALERT_PAGE), viewer=user
        )
        items = result.pagination.items
        found += [t for t in items if t.id in fresh and t.published_at > since]
        if not items or not result.pagination.has_next:
            break
        oldest = items[-1].published_at
        if oldest is not None and oldest <= since:
            break
    return found


def _recommended_matches(index, user: User, search: SavedSearch, fresh: dict[int, datetime]):
    """The fresh tasks among the graduate's recommendations at or above the threshold."""
    from taskboerse.services.recommendations import recommend_tasks

    threshold = float(current_app.config.get("ALERT_RECOMMENDED_MIN_SCORE", 0.6))
    since = _since(search)
    recommended = recommend_tasks(index, user, k=RECOMMENDED_DEPTH, locale=user.locale or "da")
    found = [
        r.task
        for r in recommended
        if r.task.id in fresh and r.task.published_at > since and r.match.score >= threshold
    ]
    return sorted(found, key=lambda t: (t.published_at, t.id), reverse=True)


def _task_lines(task: Task) -> str:
    """One task in the email: title, company, place, deadline and the absolute link."""
    place = postcodes().display(task.postcode) if task.postcode else ""
    if task.remote:
        place = f"{place} / {_('remote')}" if place else _("remote")
    facts = [task.company.name, place, _("deadline %(d)s", d=format_date(task.deadline))]
    link = current_app.config["BASE_URL"] + TASK_PATH.format(id=task.id)
    return f"• {task.title}\n  {' · '.join(f for f in facts if f)}\n  {link}"


def _email_lines(groups: list[tuple[SavedSearch, list[Task]]]) -> list[str]:
    """The email's paragraphs: per search its tasks (at most MAX_TASKS_PER_EMAIL in all)
    and its one-click unsubscribe link."""
    lines: list[str] = []
    room = MAX_TASKS_PER_EMAIL
    for search, tasks in groups:
        lines.append(_("From “%(name)s”:", name=display_name(search)))
        shown = tasks[: max(room, 0)]
        room -= len(shown)
        lines += [_task_lines(t) for t in shown]
        if len(tasks) > len(shown):
            rest = len(tasks) - len(shown)
            link = current_app.config["BASE_URL"] + SAVED_SEARCHES_PATH
            lines.append(
                ngettext(
                    "… and %(num)d more task. See them all: %(link)s",
                    "… and %(num)d more tasks. See them all: %(link)s",
                    rest,
                    link=link,
                )
            )
        lines.append(
            _(
                "Stop the alerts from “%(name)s” with one click: %(link)s",
                name=display_name(search),
                link=unsubscribe_link(search),
            )
        )
    return lines


def _send(user: User, due: list[SavedSearch], found: dict[int, list[Task]], now: datetime) -> bool:
    """Record and send one user's new tasks, and mark their due searches checked, in one
    transaction; commits. False when another worker got there first (nothing is sent)."""
    groups: list[tuple[SavedSearch, list[Task]]] = []
    seen: set[int] = set()
    for search in due:
        tasks = [t for t in found.get(search.id, []) if t.id not in seen]
        seen.update(t.id for t in tasks)
        if tasks:
            groups.append((search, tasks))
    try:
        for search in due:
            search.checked_at = now
        if groups:
            for search, tasks in groups:
                search.sent_at = now
                for task in tasks:
                    db.session.add(
                        TaskAlert(user_id=user.id, task_id=task.id, saved_search_id=search.id)
                    )
            count = sum(len(tasks) for _search, tasks in groups)
            with force_locale(user.locale or "da"):
                names = ", ".join(display_name(s) for s, _tasks in groups)
                lines = _email_lines(groups)
            only = groups[0][1][0] if count == 1 else None
            notify(
                user,
                NotificationKind.TASK_ALERT,
                task=only,
                params={"count": count, "search": names[:200]},
                lines=lines,
            )
        db.session.commit()
    except IntegrityError:
        # Another worker alerted one of these tasks to this user a moment ago: it sent them.
        db.session.rollback()
        log.info("alerts for user %s were sent by another worker", user.id)
        return False
    return bool(groups)


def _due_searches(frequencies: frozenset[AlertFrequency], now: datetime) -> list[SavedSearch]:
    hour = int(current_app.config.get("ALERT_HOUR", 7))
    searches = db.session.execute(
        select(SavedSearch)
        .join(User, User.id == SavedSearch.user_id)
        .where(
            SavedSearch.frequency.in_([f for f in frequencies if f != AlertFrequency.NONE]),
            User.role == Role.JOBSEEKER,
            User.is_disabled.is_(False),
            User.anonymised_at.is_(None),
        )
        .order_by(SavedSearch.user_id, SavedSearch.id)
    ).scalars()
    return [s for s in searches if is_due(s, now, hour)]


def _group_by_user(searches: Iterable[SavedSearch]) -> dict[int, list[SavedSearch]]:
    grouped: dict[int, list[SavedSearch]] = {}
    for search in searches:
        grouped.setdefault(search.user_id, []).append(search)
    return grouped


def run_alerts(index, frequencies: frozenset[AlertFrequency]) -> int:
    """Send the alerts of every due saved search of ``frequencies``: per graduate one
    notification (and, as they chose, one email) listing the tasks newly matching any of
    their due searches. Idempotent, and safe with two workers at once; commits per user.
    Returns how many users were notified. A user whose alerts fail is logged and skipped
    (the others still get theirs); nothing of theirs is recorded, so the next run, a minute
    or a quarter of an hour later, tries them again and sends nothing twice.
    """
    now = clock.now()
    due = _due_searches(frequencies, now)
    if not due:
        db.session.commit()
        return 0
    latest = db.session.execute(
        select(func.max(Task.published_at)).where(Task.status == TaskStatus.OPEN)
    ).scalar_one_or_none()
    # Searches with no task published since they last looked have nothing to send. A daily or
    # weekly one records its check (its period is done), all in one statement; an instant one
    # writes nothing, so a quiet minute costs no write at all.
    new = {s.id for s in due if latest is not None and latest > _since(s)}
    quiet = [s.id for s in due if s.id not in new and s.frequency != AlertFrequency.INSTANT]
    busy = _group_by_user(s for s in due if s.id in new)
    if quiet:
        db.session.execute(
            update(SavedSearch)
            .where(SavedSearch.id.in_(quiet))
            .values(checked_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()

    notified = 0
    for user_id, searches in busy.items():
        try:
            user = db.session.get(User, user_id)
            fresh = _fresh_tasks(user_id, min(_since(s) for s in searches))
            found: dict[int, list[Task]] = {}
            for search in searches:
                since = _since(search)
                if not any(published > since for published in fresh.values()):
                    continue
                if search.kind == SavedSearchKind.RECOMMENDED:
                    found[search.id] = _recommended_matches(index, user, search, fresh)
                else:
                    found[search.id] = _search_matches(index, user, search, fresh)
            # The searching above may have committed (search documents brought up to date);
            # what follows is one transaction.
            if _send(user, searches, found, now):
                notified += 1
        except Exception:  # noqa: BLE001 — one user's failure must not stop the others
            # Nothing of theirs was recorded, so the next run tries them again.
            db.session.rollback()
            log.exception("alerts for user %s failed; the next run tries again", user_id)
    return notified
