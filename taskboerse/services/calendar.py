"""Calendar files (RFC 5545): an accepted application's deadline and agreed start date as an
.ics download, the private per-user feed behind a revocable secret token, and agreeing the
start date.

What goes in a file, and why:

* The deadline is a **timed** event at 16:00 Europe/Copenhagen (the end of a working day)
  with no DTEND, which RFC 5545 §3.6.1 reads as a moment, plus a reminder the day before.
  A task's deadline is a date, but "by the end of the day" is what the two sides mean, and a
  timed event carries TZID=Europe/Copenhagen, so 16:00 stays 16:00 local time on either side
  of a daylight-saving change (+02:00 in summer, +01:00 in winter) in every client. The
  description says the hour only marks the day.
* The agreed start date is an **all-day** event (VALUE=DATE): only the day is agreed, not an
  hour, and a date belongs to no time zone, so it cannot move either.
* UIDs are stable (``application-<id>-deadline@<host of BASE_URL>``), so a second download
  or the next poll of the feed updates the event instead of adding a copy.
* Texts are in the reader's language (their account's locale), with the company, the agreed
  hours and an absolute link to the conversation.

Who sees what: an application's file is for its graduate and the owner of the task's company
from acceptance on, and still once the work is completed (the same rule as contact details,
``Application.shares_contact``); anyone else gets 404. The feed holds only work in progress
(accepted applications): a completed task's deadline is no longer something to plan for,
and work that was withdrawn, rejected or cancelled must disappear from the subscribed
calendar, which a feed achieves by leaving the events out.

Only the SHA-256 of a feed token is stored; the token itself is shown once. A new token
replaces (revokes) the old one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Alarm, Calendar, Event, Timezone, vDuration
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from taskboerse import __version__
from taskboerse.extensions import db
from taskboerse.matching.geo import postcodes
from taskboerse.models import Application, ApplicationStatus, Company, Role, Task, User
from taskboerse.services import clock
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.security import security_event

TZID = "Europe/Copenhagen"
ZONE = ZoneInfo(TZID)
# Where a deadline (a date) is shown on its day: the end of a working day.
DEADLINE_TIME = time(16, 0)
# The reminder a calendar app shows before the deadline.
DEADLINE_ALARM = timedelta(days=-1)
# Calendar apps should poll the feed about this often.
FEED_REFRESH = timedelta(hours=1)
# The conversation page (messages.thread); services build absolute links without url_for.
THREAD_PATH = "/messages/{task_id}/{jobseeker_id}"
FEED_ROLES = (Role.JOBSEEKER, Role.ENTREPRENEUR)
# token_urlsafe(32) gives 43 characters of this alphabet; anything else is no token of ours.
TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")


@dataclass(frozen=True)
class CalendarFile:
    """An .ics file ready to send: its bytes and a download name."""

    content: bytes
    filename: str


# -- access ---------------------------------------------------------------------------------


def _is_owner(user: User, application: Application) -> bool:
    return application.task.company.owner_id == user.id


def _is_party(user: User, application: Application) -> bool:
    return application.jobseeker_id == user.id or _is_owner(user, application)


def _visible_application(user: User, application_id: int) -> Application:
    """The application if ``user`` may have its calendar: its graduate or the task's owner,
    accepted or completed. Anyone else, and any other status, gets 404."""
    application = db.session.get(Application, application_id)
    if application is None or not application.shares_contact or not _is_party(user, application):
        raise NotFound(_l("No such calendar."))
    return application


def may_agree_start_date(user: User, application: Application | None) -> bool:
    """True when ``user`` may set or clear the agreed start date: the owner or the graduate of
    an accepted application (not before, and no longer once the work is completed)."""
    return (
        application is not None
        and application.status == ApplicationStatus.ACCEPTED
        and _is_party(user, application)
    )


# -- building the calendar ------------------------------------------------------------------


def _host() -> str:
    """The host of BASE_URL, for UIDs unique to this installation."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "taskboerse"


def thread_link(application: Application) -> str:
    """The absolute link to the application's conversation page."""
    path = THREAD_PATH.format(task_id=application.task_id, jobseeker_id=application.jobseeker_id)
    return current_app.config["BASE_URL"] + path


def deadline_moment(deadline: date) -> datetime:
    """The moment a deadline is shown at: 16:00 Copenhagen time on the day, DST included."""
    return datetime.combine(deadline, DEADLINE_TIME, tzinfo=ZONE)


def _location(task: Task) -> str:
    if task.remote:
        return _("Remote")
    return postcodes().display(task.postcode)


def _line(label: str, value: str) -> str:
    """One "Label: value" line of a description (labels are the pages' own words)."""
    return f"{label}: {value}"


def _description(application: Application, reader: User, deadline_event: bool) -> str:
    task = application.task
    lines = [_line(_("Company"), task.company.name)]
    if _is_owner(reader, application):
        lines.append(_line(_("Graduate"), application.jobseeker.name))
    lines.append(_line(_("Agreed hours"), _("%(n)d hours", n=task.hours)))
    if application.start_on is not None:
        lines.append(_line(_("Agreed start date"), format_date(application.start_on, "full")))
    lines.append(_line(_("Deadline"), format_date(task.deadline, "full")))
    if deadline_event:
        moment = deadline_moment(task.deadline)
        lines.append(
            _(
                "The deadline is the day itself; the calendar shows it at %(time)s.",
                time=format_time(moment, "short"),
            )
        )
    lines.append(_line(_("Conversation"), thread_link(application)))
    return "\n".join(lines)


def _summary(application: Application, reader: User, start: bool) -> str:
    title = application.task.title
    if _is_owner(reader, application):
        name = application.jobseeker.name
        if start:
            return _("Start: %(task)s – %(name)s", task=title, name=name)
        return _("Deadline: %(task)s – %(name)s", task=title, name=name)
    if start:
        return _("Start: %(task)s", task=title)
    return _("Deadline: %(task)s", task=title)


def _events(application: Application, reader: User, stamp: datetime) -> list[Event]:
    """The deadline event, and the start date's when one is agreed."""
    host = _host()
    common = {
        "stamp": stamp,
        "url": thread_link(application),
        "transparency": "TRANSPARENT",  # a marker in the day, not a busy block
    }
    location = _location(application.task)
    if location:
        common["location"] = location
    summary = _summary(application, reader, start=False)
    deadline = Event.new(
        uid=f"application-{application.id}-deadline@{host}",
        start=deadline_moment(application.task.deadline),
        summary=summary,
        description=_description(application, reader, deadline_event=True),
        **common,
    )
    alarm = Alarm.new(description=summary)
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", DEADLINE_ALARM)
    deadline.add_component(alarm)
    events = [deadline]
    if application.start_on is not None:
        events.append(
            Event.new(
                uid=f"application-{application.id}-start@{host}",
                start=application.start_on,
                end=application.start_on + timedelta(days=1),
                summary=_summary(application, reader, start=True),
                description=_description(application, reader, deadline_event=False),
                **common,
            )
        )
    return events


def _timezone(applications: Sequence[Application]) -> Timezone:
    """The VTIMEZONE of Europe/Copenhagen from zoneinfo, over the years the events span
    (a small component that strict clients can use instead of their own zone data)."""
    years = [a.task.deadline.year for a in applications] + [clock.today().year]
    years += [a.start_on.year for a in applications if a.start_on is not None]
    return Timezone.from_tzid(
        TZID, first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1)
    )


def build_calendar(
    applications: Sequence[Application], reader: User, *, feed_uid: str | None = None
) -> bytes:
    """The VCALENDAR of ``applications`` as ``reader`` sees them, in the reader's language.
    With ``feed_uid`` it is a subscription: named, with how often to poll."""
    with force_locale(reader.locale or "da"):
        language = "EN" if (reader.locale or "da") == "en" else "DA"
        calendar = Calendar.new(
            prodid=f"-//Taskboerse//Taskboerse {__version__}//{language}",
            uid=feed_uid or f"calendar-{reader.id}@{_host()}",
            **(
                {"name": _("Taskbørs: deadlines and start dates"), "refresh_interval": FEED_REFRESH}
                if feed_uid
                else {}
            ),
        )
        if feed_uid:
            # RFC 7986 requires the VALUE parameter; the X- names are what Outlook and Google
            # read for the same two things.
            calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
            calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
            calendar.add("x-wr-timezone", TZID)
        calendar.add_component(_timezone(applications))
        stamp = clock.now()
        for application in applications:
            for event in _events(application, reader, stamp):
                calendar.add_component(event)
    return calendar.to_ical()


def _slug(text: str) -> str:
    """An ASCII file-name part: "Søg æbler på Ærø" → "soeg-aebler-paa-aeroe"."""
    text = text.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def application_calendar(user: User, application_id: int) -> CalendarFile:
    """The .ics of one application (its deadline, and the start date once agreed) for its
    graduate or the task's owner, from acceptance on; 404 for anyone else."""
    application = _visible_application(user, application_id)
    slug = _slug(application.task.title)
    name = f"taskboerse-{slug}.ics" if slug else f"taskboerse-{application.id}.ics"
    return CalendarFile(build_calendar([application], user), name)


# -- the private feed -----------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_feed(user: User) -> bool:
    """True while the user has a feed link that works."""
    return user.calendar_token_hash is not None


def create_feed_token(user: User) -> str:
    """A new secret feed token, returned this once (only its hash is kept); the old link, if
    any, stops working."""
    if user.role not in FEED_ROLES:
        raise Forbidden(_l("Only graduates and entrepreneurs have a calendar feed."))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.calendar_token_hash = _hash(token)
    db.session.commit()
    security_event("calendar_feed", user=user.id, action="created")
    return token


def revoke_feed(user: User) -> None:
    """Stop the user's feed link at once (nothing happens when there is none)."""
    if user.calendar_token_hash is None:
        return
    user.calendar_token_hash = None
    db.session.commit()
    security_event("calendar_feed", user=user.id, action="revoked")


def feed_applications(user: User) -> list[Application]:
    """The work in progress the user's feed shows: the graduate's accepted applications, or
    every accepted graduate on the entrepreneur's tasks; soonest deadline first."""
    query = (
        select(Application)
        .join(Task, Application.task_id == Task.id)
        .where(Application.status == ApplicationStatus.ACCEPTED)
        .options(
            selectinload(Application.task).selectinload(Task.company),
            selectinload(Application.jobseeker),
        )
        .order_by(Task.deadline, Application.id)
    )
    if user.role == Role.JOBSEEKER:
        query = query.where(Application.jobseeker_id == user.id)
    elif user.role == Role.ENTREPRENEUR:
        query = query.join(Company, Task.company_id == Company.id).where(
            Company.owner_id == user.id
        )
    else:
        return []
    return list(db.session.execute(query).scalars())


def feed_for_token(token: str) -> bytes:
    """The feed behind ``token``; 404 for a wrong, replaced or revoked token and for a
    disabled or erased account."""
    if not _TOKEN_SHAPE.fullmatch(token or ""):
        raise NotFound(_l("No such calendar."))
    user = db.session.execute(
        select(User).where(User.calendar_token_hash == _hash(token))
    ).scalar_one_or_none()
    if user is None or user.is_disabled or user.role not in FEED_ROLES:
        raise NotFound(_l("No such calendar."))
    return build_calendar(feed_applications(user), user, feed_uid=f"feed-{user.id}@{_host()}")


# -- the agreed start date ------------------------------------------------------------------


def agree_start_date(user: User, application_id: int, start_on: date | None) -> Application:
    """Set (or, with None, clear) the start date the owner and the accepted graduate agreed.
    It must fall between today and the task's deadline; an unchanged date is kept as it is."""
    application = db.session.get(Application, application_id)
    if application is None or not _is_party(user, application):
        raise NotFound(_l("No such application."))
    if application.status != ApplicationStatus.ACCEPTED:
        raise Conflict(_l("A start date can be agreed only while the graduate is accepted."))
    if start_on is not None and start_on != application.start_on:
        deadline = application.task.deadline
        if start_on < clock.today():
            raise ValidationFailed(_l("The start date cannot be in the past."), field="start_on")
        if start_on > deadline:
            raise ValidationFailed(
                _l(
                    "The start date must be on or before the deadline, %(date)s.",
                    date=format_date(deadline, "long"),
                ),
                field="start_on",
            )
    application.start_on = start_on
    db.session.commit()
    return application
