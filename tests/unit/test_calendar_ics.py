"""The .ics the calendar service builds, read back with icalendar: local time and UTC offset
on both sides of a daylight-saving change, all-day start dates, stable UIDs, the reader's
language, and the feed's polling hints. Built from objects never saved (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import url_for
from icalendar import Calendar

from taskboerse.models import Application, ApplicationStatus, Company, Role, Task, User
from taskboerse.services import calendar

TZID = "Europe/Copenhagen"


def make_application(
    deadline: date,
    start_on: date | None = None,
    app_id: int = 7,
    remote: bool = False,
    title: str = "Markedsanalyse",
) -> Application:
    """An accepted application with its task, company and graduate, in memory only."""
    owner = User(id=90 + app_id, name="Ida Iværksætter", role=Role.ENTREPRENEUR, locale="da")
    company = Company(id=2, name="Café Solsikke ApS", owner_id=owner.id)
    company.owner = owner
    task = Task(
        id=30 + app_id,
        title=title,
        hours=20,
        deadline=deadline,
        postcode="8000",
        remote=remote,
        company_id=company.id,
    )
    task.company = company
    graduate = User(id=50, name="Asta Dimittend", role=Role.JOBSEEKER, locale="en")
    application = Application(
        id=app_id,
        task_id=task.id,
        jobseeker_id=graduate.id,
        status=ApplicationStatus.ACCEPTED,
        start_on=start_on,
        motivation="",
    )
    application.task = task
    application.jobseeker = graduate
    return application


def events(ics: bytes) -> dict[str, object]:
    """The VEVENTs of a parsed calendar by UID."""
    return {str(e["UID"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}


@pytest.mark.parametrize(
    ("deadline", "offset_hours", "utc_hour"),
    [
        (date(2026, 3, 28), 1, 15),  # the day before summer time
        (date(2026, 3, 29), 2, 14),  # summer time from 02:00 that night
        (date(2026, 3, 30), 2, 14),
        (date(2026, 10, 24), 2, 14),
        (date(2026, 10, 25), 1, 15),  # winter time from 03:00 that night
        (date(2026, 10, 26), 1, 15),
    ],
)
def test_a_deadline_keeps_its_local_hour_across_daylight_saving(
    app, deadline, offset_hours, utc_hour
) -> None:
    application = make_application(deadline)
    ics = calendar.build_calendar([application], application.jobseeker)
    start = events(ics)["application-7-deadline@taskboerse.test"]["DTSTART"]

    assert start.params["TZID"] == TZID
    moment = start.dt
    assert (moment.date(), moment.time()) == (deadline, time(16, 0))
    assert moment.utcoffset() == timedelta(hours=offset_hours)
    assert moment.astimezone(UTC) == datetime.combine(deadline, time(utc_hour), tzinfo=UTC)
    # The VTIMEZONE shipped in the file agrees, for clients that read it instead of their own
    # zone data.
    [shipped] = Calendar.from_ical(ics).timezones
    assert shipped.tz_name == TZID
    local = moment.replace(tzinfo=shipped.to_tz())
    assert local.utcoffset() == timedelta(hours=offset_hours)


def test_summer_and_winter_deadlines_in_one_file(app) -> None:
    summer = make_application(date(2026, 3, 30), app_id=1)
    winter = make_application(date(2026, 10, 26), app_id=2)
    ics = calendar.build_calendar([summer, winter], summer.jobseeker)
    text = ics.decode()
    assert "DTSTART;TZID=Europe/Copenhagen:20260330T160000" in text
    assert "DTSTART;TZID=Europe/Copenhagen:20261026T160000" in text
    parsed = events(ics)
    offsets = {uid: e["DTSTART"].dt.utcoffset() for uid, e in parsed.items() if "-deadline@" in uid}
    assert offsets == {
        "application-1-deadline@taskboerse.test": timedelta(hours=2),
        "application-2-deadline@taskboerse.test": timedelta(hours=1),
    }
    assert text.count("BEGIN:VTIMEZONE") == 1


def test_the_calendar_has_what_rfc_5545_asks(app) -> None:
    application = make_application(date(2026, 10, 26))
    parsed = Calendar.from_ical(calendar.build_calendar([application], application.jobseeker))
    assert parsed["VERSION"] == "2.0"
    assert str(parsed["PRODID"]).startswith("-//Taskboerse//")
    [deadline] = parsed.walk("VEVENT")
    assert deadline["DTSTAMP"].dt.tzinfo is not None
    assert "DTEND" not in deadline  # a moment (RFC 5545 §3.6.1), not a busy block
    assert deadline["TRANSP"] == "TRANSPARENT"
    [alarm] = deadline.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(days=-1)
    assert deadline["LOCATION"] == "8000 Aarhus C"


def test_the_start_date_is_an_all_day_event_only_once_agreed(app) -> None:
    without = make_application(date(2026, 10, 26))
    assert list(events(calendar.build_calendar([without], without.jobseeker))) == [
        "application-7-deadline@taskboerse.test"
    ]

    agreed = make_application(date(2026, 10, 26), start_on=date(2026, 10, 12))
    ics = calendar.build_calendar([agreed], agreed.jobseeker)
    start = events(ics)["application-7-start@taskboerse.test"]
    assert "DTSTART;VALUE=DATE:20261012" in ics.decode()
    assert start["DTSTART"].dt == date(2026, 10, 12)
    assert not isinstance(start["DTSTART"].dt, datetime)
    assert start["DTEND"].dt == date(2026, 10, 13)


def test_uids_are_stable_and_name_this_installation(app) -> None:
    application = make_application(date(2026, 10, 26), start_on=date(2026, 10, 1))
    first = calendar.build_calendar([application], application.jobseeker)
    second = calendar.build_calendar([application], application.jobseeker)
    assert (
        list(events(first))
        == list(events(second))
        == [
            "application-7-deadline@taskboerse.test",
            "application-7-start@taskboerse.test",
        ]
    )
    assert Calendar.from_ical(first)["UID"] == Calendar.from_ical(second)["UID"]


def test_the_description_links_to_the_conversation(app) -> None:
    application = make_application(date(2026, 10, 26))
    with app.test_request_context():
        page = url_for("messages.thread", task_id=application.task_id, jobseeker_id=50)
    link = "https://taskboerse.test" + page
    assert calendar.thread_link(application) == link
    [event] = events(calendar.build_calendar([application], application.jobseeker)).values()
    assert event["URL"] == link
    assert link in str(event["DESCRIPTION"])


def test_the_graduate_and_the_owner_read_it_in_english(app) -> None:
    application = make_application(date(2026, 10, 26), start_on=date(2026, 10, 12))
    owner = application.task.company.owner
    owner.locale = "en"

    mine = events(calendar.build_calendar([application], application.jobseeker))
    deadline = mine["application-7-deadline@taskboerse.test"]
    assert deadline["SUMMARY"] == "Deadline: Markedsanalyse"
    assert mine["application-7-start@taskboerse.test"]["SUMMARY"] == "Start: Markedsanalyse"
    description = str(deadline["DESCRIPTION"])
    assert "Company: Café Solsikke ApS" in description
    assert "Agreed hours: 20 hours" in description
    assert "Agreed start date: Monday, October 12, 2026" in description
    assert "Deadline: Monday, October 26, 2026" in description
    assert "4:00" in description
    assert "Asta" not in description  # the graduate is not told their own name

    theirs = events(calendar.build_calendar([application], owner))
    deadline = theirs["application-7-deadline@taskboerse.test"]
    assert deadline["SUMMARY"] == "Deadline: Markedsanalyse – Asta Dimittend"
    assert "Graduate: Asta Dimittend" in str(deadline["DESCRIPTION"])


def test_danish_is_the_default(app) -> None:
    """Needs the calendar strings in the Danish catalogue."""
    application = make_application(date(2026, 10, 26), start_on=date(2026, 10, 12))
    application.jobseeker.locale = "da"
    parsed = events(calendar.build_calendar([application], application.jobseeker))
    deadline = parsed["application-7-deadline@taskboerse.test"]
    assert deadline["SUMMARY"] == "Frist: Markedsanalyse"
    assert parsed["application-7-start@taskboerse.test"]["SUMMARY"] == "Opstart: Markedsanalyse"
    description = str(deadline["DESCRIPTION"])
    assert "Virksomhed: Café Solsikke ApS" in description
    assert "Aftalte timer: 20 timer" in description
    assert "Aftalt startdato: mandag den 12. oktober 2026" in description
    assert "Frist: mandag den 26. oktober 2026" in description
    assert "kl. 16.00" in description


def test_a_remote_task_says_so_where_the_place_would_be(app) -> None:
    application = make_application(date(2026, 10, 26), remote=True)
    [event] = events(calendar.build_calendar([application], application.jobseeker)).values()
    assert event["LOCATION"] == "Remote"


def test_the_feed_tells_clients_its_name_and_how_often_to_poll(app) -> None:
    application = make_application(date(2026, 10, 26))
    ics = calendar.build_calendar([application], application.jobseeker, feed_uid="feed-1@x")
    text = ics.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text
    parsed = Calendar.from_ical(ics)
    assert parsed["UID"] == "feed-1@x"
    assert parsed["X-WR-CALNAME"] == parsed["NAME"]
    assert parsed["X-WR-TIMEZONE"] == TZID
    # A one-off download has no name: Outlook would open a named file as a calendar of its own.
    single = Calendar.from_ical(calendar.build_calendar([application], application.jobseeker))
    assert "NAME" not in single and "X-WR-CALNAME" not in single


def test_an_empty_feed_is_still_a_calendar(app) -> None:
    user = User(id=3, name="Ny", role=Role.JOBSEEKER, locale="da")
    parsed = Calendar.from_ical(calendar.build_calendar([], user, feed_uid="feed-3@x"))
    assert parsed.walk("VEVENT") == []


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Søg æbler på Ærø", "soeg-aebler-paa-aeroe"),
        ("Markedsanalyse for caféen", "markedsanalyse-for-cafeen"),
        ("Budget 2027 (Excel)", "budget-2027-excel"),
        ("“—”", ""),
    ],
)
def test_file_names_are_plain_ascii(title, slug) -> None:
    assert calendar._slug(title) == slug
