"""Calendar files end to end: the .ics download for the two sides of accepted work (404 for
everyone else), the agreed start date from the conversation page, the private feed behind a
revocable token kept only as a hash, and the API's calendar.ics."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import Application, ApplicationStatus, Role, User
from taskboerse.services import clock
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    CompanyFactory,
    JobseekerFactory,
    TaskFactory,
    UserFactory,
)
from tests.functional.test_api import token_for

FEED_LINK = re.compile(r'value="(https://taskboerse\.test/calendar/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture
def placement(app):
    """An accepted graduate on a task of Café Solsikke ApS; both sides read English."""
    company = CompanyFactory(name="Café Solsikke ApS", owner__locale="en")
    task = TaskFactory(
        company=company,
        title="Markedsanalyse for caféen",
        capacity=3,
        deadline=clock.today() + timedelta(days=30),
    )
    graduate = JobseekerFactory(name="Asta Dimittend", locale="en")
    application = ApplicationFactory(
        task=task, jobseeker=graduate, status=ApplicationStatus.ACCEPTED
    )
    return application


def ics_url(application) -> str:
    return f"/applications/{application.id}/calendar.ics"


def thread_url(application) -> str:
    return f"/messages/{application.task_id}/{application.jobseeker_id}"


def start_url(application) -> str:
    return f"/applications/{application.id}/start-date"


def uids(body: bytes) -> list[str]:
    return [str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")]


def start_on(application) -> date | None:
    return db.session.execute(
        select(Application.start_on).where(Application.id == application.id)
    ).scalar_one()


# --- the download ------------------------------------------------------------------------------


def test_both_sides_download_the_deadline(placement, login_as) -> None:
    for user in (placement.jobseeker, placement.task.company.owner):
        response = login_as(user).get(ics_url(placement))
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=taskboerse-markedsanalyse-for-cafeen.ics"
        )
        assert response.headers["Cache-Control"] == "no-store"
        parsed = Calendar.from_ical(response.data)
        [event] = parsed.walk("VEVENT")
        assert event["DTSTART"].dt.date() == placement.task.deadline
        assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
        assert str(event["SUMMARY"]).startswith("Deadline: Markedsanalyse for caféen")


def test_uids_are_the_same_in_every_download(placement, login_as) -> None:
    client = login_as(placement.jobseeker)
    first, second = client.get(ics_url(placement)).data, client.get(ics_url(placement)).data
    assert uids(first) == uids(second) == [f"application-{placement.id}-deadline@taskboerse.test"]


def test_nobody_else_gets_the_file(placement, login_as, client) -> None:
    task = placement.task
    pending = ApplicationFactory(task=task)
    outsiders = [
        JobseekerFactory(),  # another graduate
        pending.jobseeker,  # an applicant not (yet) accepted, on the same task
        CompanyFactory().owner,  # another entrepreneur
        CaseworkerFactory(),
        UserFactory(role=Role.ADMIN),
    ]
    for user in outsiders:
        assert login_as(user).get(ics_url(placement)).status_code == 404
    # The pending application has no calendar for anyone, its owner and applicant included.
    assert login_as(pending.jobseeker).get(ics_url(pending)).status_code == 404
    assert login_as(task.company.owner).get(ics_url(pending)).status_code == 404
    assert login_as(placement.jobseeker).get("/applications/99999/calendar.ics").status_code == 404
    anonymous = client.get(ics_url(placement))
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (ApplicationStatus.COMPLETED, 200),
        (ApplicationStatus.WITHDRAWN, 404),
        (ApplicationStatus.REJECTED, 404),
    ],
)
def test_the_file_follows_the_application_status(placement, login_as, status, code) -> None:
    placement.status = status
    db.session.commit()
    assert login_as(placement.jobseeker).get(ics_url(placement)).status_code == code


# --- the agreed start date ---------------------------------------------------------------------


def test_either_side_agrees_a_start_date_and_it_reaches_the_file(placement, login_as) -> None:
    grad, boss = login_as(placement.jobseeker), login_as(placement.task.company.owner)
    assert uids(grad.get(ics_url(placement)).data) == [
        f"application-{placement.id}-deadline@taskboerse.test"
    ]
    day = clock.today() + timedelta(days=5)

    response = grad.post(start_url(placement), data={"start_on": day.isoformat()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(thread_url(placement))
    assert start_on(placement) == day
    page = grad.get(response.headers["Location"]).get_data(as_text=True)
    assert "The start date is saved." in page
    assert f'value="{day.isoformat()}"' in page

    events = {
        str(e["UID"]): e
        for e in Calendar.from_ical(boss.get(ics_url(placement)).data).walk("VEVENT")
    }
    start = events[f"application-{placement.id}-start@taskboerse.test"]
    assert start["DTSTART"].dt == day
    assert start["SUMMARY"] == "Start: Markedsanalyse for caféen – Asta Dimittend"

    # The owner clears it: the event leaves the file.
    boss.post(start_url(placement), data={"start_on": ""})
    assert start_on(placement) is None
    assert uids(grad.get(ics_url(placement)).data) == [
        f"application-{placement.id}-deadline@taskboerse.test"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (lambda a: (clock.today() - timedelta(days=1)).isoformat(), "cannot be in the past"),
        (
            lambda a: (a.task.deadline + timedelta(days=1)).isoformat(),
            "must be on or before the deadline",
        ),
        (lambda a: "2026-13-45", "Not a valid date value."),
        (lambda a: "next monday", "Not a valid date value."),
    ],
)
def test_bad_start_dates_are_refused_and_change_nothing(
    placement, login_as, value, message
) -> None:
    agreed = clock.today() + timedelta(days=3)
    placement.start_on = agreed
    db.session.commit()
    client = login_as(placement.jobseeker)
    response = client.post(
        start_url(placement), data={"start_on": value(placement)}, follow_redirects=True
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert start_on(placement) == agreed


def test_the_deadline_itself_is_a_valid_start_date(placement, login_as) -> None:
    login_as(placement.jobseeker).post(
        start_url(placement), data={"start_on": placement.task.deadline.isoformat()}
    )
    assert start_on(placement) == placement.task.deadline


def test_an_agreed_date_now_past_may_be_kept(placement, login_as) -> None:
    """Saving the form again does not fail on a start date that has since passed."""
    past = clock.today() - timedelta(days=2)
    placement.start_on = past
    db.session.commit()
    page = login_as(placement.jobseeker).post(
        start_url(placement), data={"start_on": past.isoformat()}, follow_redirects=True
    )
    assert "The start date is saved." in page.get_data(as_text=True)
    assert start_on(placement) == past


def test_only_the_two_sides_of_accepted_work_set_a_start_date(placement, login_as) -> None:
    day = (clock.today() + timedelta(days=2)).isoformat()
    for user, code in (
        (JobseekerFactory(), 404),
        (CompanyFactory().owner, 404),
        (CaseworkerFactory(), 403),
    ):
        assert login_as(user).post(start_url(placement), data={"start_on": day}).status_code == code
    assert start_on(placement) is None

    pending = ApplicationFactory(task=placement.task, jobseeker=JobseekerFactory(locale="en"))
    page = login_as(pending.jobseeker).post(
        start_url(pending), data={"start_on": day}, follow_redirects=True
    )
    assert "only while the graduate is accepted" in page.get_data(as_text=True)
    assert start_on(pending) is None


def test_the_conversation_offers_the_file_and_the_form_only_for_accepted_work(
    placement, login_as
) -> None:
    owner = placement.task.company.owner
    page = login_as(owner).get(thread_url(placement)).get_data(as_text=True)
    assert f'href="{ics_url(placement)}"' in page
    assert f'action="{start_url(placement)}"' in page and 'name="start_on"' in page

    pending = ApplicationFactory(task=placement.task)
    page = login_as(owner).get(thread_url(pending)).get_data(as_text=True)
    assert "calendar.ics" not in page and 'name="start_on"' not in page

    placement.status = ApplicationStatus.COMPLETED
    placement.start_on = clock.today() - timedelta(days=10)
    db.session.commit()
    page = login_as(placement.jobseeker).get(thread_url(placement)).get_data(as_text=True)
    assert f'href="{ics_url(placement)}"' in page  # still there to keep
    assert 'name="start_on"' not in page  # but nothing left to agree
    assert "Agreed start date" in page


def test_the_dashboard_links_each_deadline_to_its_file(placement, login_as) -> None:
    page = login_as(placement.jobseeker).get("/jobseeker/").get_data(as_text=True)
    assert f'href="{ics_url(placement)}"' in page
    assert 'href="/account/calendar"' in page


# --- the feed ----------------------------------------------------------------------------------


def make_feed(client) -> tuple[str, str]:
    """Make a feed link on the account page; (absolute link, token)."""
    response = client.post("/account/calendar/new")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link, token = FEED_LINK.search(page).groups()
    assert f'href="webcal://taskboerse.test/calendar/{token}.ics"' in page
    return link, token


def feed(client, token: str):
    return client.get(f"/calendar/{token}.ics")


def test_a_feed_link_works_without_login_and_stores_only_a_hash(
    placement, login_as, client
) -> None:
    graduate = placement.jobseeker
    browser = login_as(graduate)
    assert "You have no calendar link yet." in browser.get("/account/calendar").get_data(
        as_text=True
    )
    link, token = make_feed(browser)
    assert link == f"https://taskboerse.test/calendar/{token}.ics"
    assert len(token) >= 43

    db.session.expire_all()
    row = db.session.get(User, graduate.id)
    assert row.calendar_token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = db.session.execute(select(User.__table__)).mappings().all()
    assert not any(token in str(value) for r in stored for value in r.values())

    response = feed(client, token)  # a calendar app: no cookie, no login
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert uids(response.data) == [f"application-{placement.id}-deadline@taskboerse.test"]
    parsed = Calendar.from_ical(response.data)
    assert parsed["X-WR-CALNAME"] == "Taskbørs: deadlines and start dates"

    page = browser.get("/account/calendar").get_data(as_text=True)
    assert "You have a calendar link." in page and token not in page


def test_a_revoked_link_stops_at_once(placement, login_as, client) -> None:
    browser = login_as(placement.jobseeker)
    _, token = make_feed(browser)
    assert feed(client, token).status_code == 200
    response = browser.post("/account/calendar/revoke")
    assert response.status_code == 302
    assert feed(client, token).status_code == 404
    assert db.session.get(User, placement.jobseeker_id).calendar_token_hash is None
    assert "You have no calendar link yet." in browser.get("/account/calendar").get_data(
        as_text=True
    )


def test_a_new_link_replaces_the_old_one(placement, login_as, client) -> None:
    browser = login_as(placement.jobseeker)
    _, old = make_feed(browser)
    _, new = make_feed(browser)
    assert old != new
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["nope", "A" * 43, "x" * 400, "..%2F..%2Fetc", "%C3%A6%C3%B8%C3%A5" * 10],
)
def test_a_wrong_token_is_a_404(app, client, token) -> None:
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_feed_holds_accepted_work_only(placement, login_as, client) -> None:
    task = placement.task
    second = ApplicationFactory(task=task, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(task=task)  # pending
    other_task = TaskFactory(company=task.company, deadline=clock.today() + timedelta(days=60))
    ApplicationFactory(
        task=other_task, jobseeker=placement.jobseeker, status=ApplicationStatus.COMPLETED
    )
    ApplicationFactory(task=TaskFactory(), status=ApplicationStatus.ACCEPTED)  # another company

    _, graduate_token = make_feed(login_as(placement.jobseeker))
    assert uids(feed(client, graduate_token).data) == [
        f"application-{placement.id}-deadline@taskboerse.test"
    ]
    _, owner_token = make_feed(login_as(task.company.owner))
    body = feed(client, owner_token).data
    assert sorted(uids(body)) == sorted(
        f"application-{a.id}-deadline@taskboerse.test" for a in (placement, second)
    )
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")}
    assert "Deadline: Markedsanalyse for caféen – Asta Dimittend" in summaries


def test_a_disabled_account_has_no_feed(placement, login_as, client) -> None:
    _, token = make_feed(login_as(placement.jobseeker))
    placement.jobseeker.is_disabled = True
    db.session.commit()
    assert feed(client, token).status_code == 404


def test_the_feed_page_is_for_graduates_and_entrepreneurs(app, login_as, client) -> None:
    assert login_as(CaseworkerFactory()).get("/account/calendar").status_code == 403
    assert login_as(CaseworkerFactory()).post("/account/calendar/new").status_code == 403
    response = client.get("/account/calendar")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    owner = CompanyFactory(owner__locale="en").owner
    page = login_as(owner).get("/account/calendar").get_data(as_text=True)
    assert "the graduates you have accepted" in page
    assert 'action="/account/calendar/new"' in page


# --- the API -----------------------------------------------------------------------------------


def test_the_api_gives_the_file_with_a_token(placement, client) -> None:
    url = f"/api/v1/applications/{placement.id}/calendar.ics"
    response = client.get(url, headers=token_for(client, placement.jobseeker))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert uids(response.data) == [f"application-{placement.id}-deadline@taskboerse.test"]
    response = client.get(url, headers=token_for(client, placement.task.company.owner))
    assert response.status_code == 200

    refused = client.get(url, headers=token_for(client, JobseekerFactory()))
    assert refused.status_code == 404
    assert refused.get_json()["error"]["code"] == "not_found"
    missing = client.get(url)
    assert missing.status_code == 401
    assert missing.get_json()["error"]["code"] == "unauthorized"
