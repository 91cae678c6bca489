"""Saved searches with email alerts (issue 16): saving from the task list, the list and its
changes, the limits and clear refusals, one-click unsubscribe without login, and the alert
run: when each frequency is due, one email per graduate per run, each task once, and the
path from a published task through the worker to the graduate's inbox."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from taskboerse import worker
from taskboerse.extensions import db
from taskboerse.models import (
    AlertFrequency,
    Invitation,
    Notification,
    NotificationKind,
    OutboxMessage,
    SavedSearch,
    SavedSearchKind,
    Skill,
    Task,
    TaskAlert,
)
from taskboerse.services import clock, notifications
from taskboerse.services import saved_searches as service
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.saved_searches import SavedSearchInfo
from taskboerse.web.matching import matching_index
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    TaskFactory,
)
from tests.functional.test_marketplace_loop import task_form

CPH = ZoneInfo("Europe/Copenhagen")
BASE = "https://taskboerse.test"
# A week in the future of any test run, so tasks "published" in it are newer than anything
# the factories make: Monday 4 January 2027 (winter time, UTC+1).
MONDAY = date(2027, 1, 4)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock moment, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH).astimezone(UTC)


@pytest.fixture(autouse=True)
def _app(app):
    """Every test runs in the test app's context."""
    return app


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the one clock: ``frozen(moment)`` sets it."""

    def freeze(moment: datetime) -> datetime:
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return freeze


def english(message) -> str:
    with force_locale("en"):
        return str(message)


def save(user, name: str = "Søgning", **kw) -> SavedSearch:
    return service.create_saved_search(user, SavedSearchInfo(name=name, **kw))


def run(*frequencies: str) -> int:
    return service.run_alerts(
        matching_index(), frozenset(AlertFrequency(f) for f in frequencies or ("instant",))
    )


def mails() -> list[tuple[str, str, str]]:
    """(to, subject, body) of every email sent, after delivering the outbox."""
    notifications.deliver_outbox()
    return notifications.mail_backend().sent


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def remote_task(published: datetime | None = None, **kw) -> Task:
    kw.setdefault("remote", True)
    kw.setdefault("postcode", None)
    return TaskFactory(published_at=published or clock.now(), **kw)


# --- saving from the task list ------------------------------------------------------------------


def test_a_graduate_saves_the_current_search_from_the_task_list(login_as) -> None:
    graduate = JobseekerFactory(locale="en")
    client = login_as(graduate)
    page = client.get("/tasks?q=regnskab&remote=yes&max_hours=abc")
    html = page.get_data(as_text=True)
    # The form carries the valid filters (not the bad hours) and a name from the query.
    assert 'name="save-q" type="hidden" value="regnskab"' in html
    assert 'name="save-remote" type="hidden" value="yes"' in html
    assert 'name="save-max_hours" type="hidden" value=""' in html
    assert 'id="save-name"' in html and 'value="regnskab"' in html

    response = client.post(
        "/saved-searches",
        data={
            "save-name": " Regnskab på afstand ",
            "save-frequency": "weekly",
            "save-q": "regnskab",
            "save-remote": "yes",
            "save-max_hours": "30",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/saved-searches")
    search = db.session.execute(select(SavedSearch)).scalar_one()
    assert (search.name, search.q, search.remote, search.max_hours, search.frequency) == (
        "Regnskab på afstand",
        "regnskab",
        True,
        30,
        AlertFrequency.WEEKLY,
    )

    page = client.get("/saved-searches").get_data(as_text=True)
    assert "“Regnskab på afstand” is saved. Alerts: Weekly." in page
    assert "Text: “regnskab” · Remote only · At most 30 hours" in page
    assert 'href="/tasks?q=regnskab&amp;remote=yes&amp;max_hours=30">Show results' in page
    assert '<option selected value="weekly">Weekly</option>' in page


def test_only_graduates_see_the_save_form_and_the_list(client, login_as) -> None:
    assert "save-search" not in client.get("/tasks").get_data(as_text=True)
    owner = login_as(EntrepreneurFactory())
    assert "save-search" not in owner.get("/tasks").get_data(as_text=True)
    assert owner.get("/saved-searches").status_code == 403
    assert owner.post("/saved-searches", data={"save-name": "x"}).status_code == 403
    anonymous = client.get("/saved-searches")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    with pytest.raises(Forbidden):
        save(EntrepreneurFactory())
    assert count(SavedSearch) == 0


def test_a_refused_save_goes_back_to_the_task_list_with_the_reason(login_as) -> None:
    graduate = JobseekerFactory(locale="en")
    client = login_as(graduate)
    response = client.post(
        "/saved-searches",
        data={"save-name": "Langt væk", "save-frequency": "daily", "save-within_km": "7"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/tasks?within_km=7"
    page = client.get("/tasks").get_data(as_text=True)
    assert "The search was not saved: Choose one of these distances: 5, 10, 25, 50, 100 km." in (
        page
    )
    assert count(SavedSearch) == 0


# --- limits and clear refusals --------------------------------------------------------------


def test_ten_searches_at_most_and_the_fits_you_alert_does_not_count(login_as) -> None:
    graduate = JobseekerFactory(locale="en")
    service.set_recommended_alert(graduate, "daily")
    for n in range(service.MAX_SAVED_SEARCHES):
        save(graduate, f"Søgning {n}", q=f"ord{n}")
    with pytest.raises(Conflict) as refused:
        save(graduate, "Nummer elleve", q="elleve")
    assert "at most 10 searches" in english(refused.value.message)

    client = login_as(graduate)
    response = client.post("/saved-searches", data={"save-name": "Elleve", "save-q": "x"})
    assert response.headers["Location"] == "/tasks?q=x"
    assert "You can save at most 10 searches." in client.get("/tasks").get_data(as_text=True)
    assert len(service.list_saved_searches(graduate)) == 10
    assert count(SavedSearch) == 11  # the ten and "new tasks that fit you"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "Give the search a name."),
        ({"name": "x" * 81}, "name", "The name can be at most 80 characters."),
        ({"name": "Min 010190-1234"}, "name", "CPR"),
        ({"q": "x" * 201}, "q", "The search text can be at most 200 characters."),
        ({"within_km": 7}, "within_km", "Choose one of these distances"),
        ({"max_hours": 0}, "max_hours", "Enter 1 to 1000 hours."),
        ({"max_hours": 1001}, "max_hours", "Enter 1 to 1000 hours."),
        ({"skill_id": 987654}, "skill_id", "Choose a skill from the list."),
        ({"frequency": "hourly"}, "frequency", "Choose how often"),
    ],
)
def test_bad_values_are_refused_clearly_and_change_nothing(changes, field, message) -> None:
    graduate = JobseekerFactory()
    info = {"name": "Søgning", **changes}
    with pytest.raises(ValidationFailed) as refused:
        service.create_saved_search(graduate, SavedSearchInfo(**info))
    assert refused.value.field == field
    assert message in english(refused.value.message)
    assert count(SavedSearch) == 0


def test_a_distance_needs_a_postcode_in_the_profile() -> None:
    graduate = JobseekerFactory()
    graduate.profile.postcode = ""
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        save(graduate, within_km=25)
    assert refused.value.field == "within_km"
    graduate.profile.postcode = "8000"
    db.session.commit()
    assert save(graduate, within_km=25).within_km == 25


def test_names_and_searches_are_not_saved_twice() -> None:
    graduate = JobseekerFactory()
    save(graduate, "Økonomi", q="budget")
    with pytest.raises(Conflict) as same_name:
        save(graduate, "økonomi", q="regnskab")
    assert same_name.value.field == "name"
    with pytest.raises(Conflict) as same_search:
        save(graduate, "Andet navn", q="Budget")
    assert "Økonomi" in english(same_search.value.message)
    # Another graduate may use the same name and filters.
    save(JobseekerFactory(), "Økonomi", q="budget")
    assert count(SavedSearch) == 2


def test_a_skill_filter_is_saved_and_described() -> None:
    graduate = JobseekerFactory()
    skill = db.session.execute(select(Skill).order_by(Skill.id).limit(1)).scalar_one()
    search = save(graduate, skill_id=skill.id)
    with force_locale("en"):
        assert service.describe_filters(search, locale="en") == [f"Skill: {skill.label_en}"]
        assert service.suggest_name(SavedSearchInfo(name="", skill_id=skill.id), "en") == (
            skill.label_en
        )
        assert service.suggest_name(SavedSearchInfo(name=""), "en") == "All tasks"


# --- changing, renaming, deleting; others' ids ----------------------------------------------


def test_change_frequency_rename_and_delete_with_confirmation(login_as) -> None:
    graduate = JobseekerFactory(locale="en")
    search = save(graduate, "Excel", q="excel", frequency="none")
    client = login_as(graduate)

    response = client.post(
        f"/saved-searches/{search.id}/frequency", data={f"s{search.id}-frequency": "instant"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert search.frequency == AlertFrequency.INSTANT
    assert search.checked_at is not None  # switched on: counts from now

    client.post(f"/saved-searches/{search.id}/rename", data={f"r{search.id}-name": "Regneark"})
    db.session.expire_all()
    assert search.name == "Regneark"

    confirm = client.get(f"/saved-searches/{search.id}/delete")
    assert confirm.status_code == 200
    assert f'action="/saved-searches/{search.id}/delete"' in confirm.get_data(as_text=True)
    assert count(SavedSearch) == 1  # asking deletes nothing
    response = client.post(f"/saved-searches/{search.id}/delete")
    assert response.headers["Location"].endswith("/saved-searches")
    assert count(SavedSearch) == 0
    assert "“Regneark” is deleted." in client.get("/saved-searches").get_data(as_text=True)


def test_a_bad_frequency_or_name_from_the_list_changes_nothing(login_as) -> None:
    graduate = JobseekerFactory(locale="en")
    search = save(graduate, "Excel", frequency="daily")
    save(graduate, "Budget", q="budget")
    client = login_as(graduate)
    client.post(f"/saved-searches/{search.id}/frequency", data={f"s{search.id}-frequency": "x"})
    client.post(f"/saved-searches/{search.id}/rename", data={f"r{search.id}-name": "budget"})
    page = client.get("/saved-searches").get_data(as_text=True)
    assert "You already have a saved search called “budget”." in page
    db.session.expire_all()
    assert (search.name, search.frequency) == ("Excel", AlertFrequency.DAILY)


def test_others_searches_are_404_and_stay_as_they_are(login_as) -> None:
    owner = JobseekerFactory()
    search = save(owner, "Mit", frequency="daily")
    intruder = login_as(JobseekerFactory())
    sid = search.id
    assert intruder.get(f"/saved-searches/{sid}/delete").status_code == 404
    assert intruder.post(f"/saved-searches/{sid}/delete").status_code == 404
    assert (
        intruder.post(
            f"/saved-searches/{sid}/frequency", data={f"s{sid}-frequency": "none"}
        ).status_code
        == 404
    )
    assert (
        intruder.post(f"/saved-searches/{sid}/rename", data={f"r{sid}-name": "Hack"}).status_code
        == 404
    )
    assert (
        intruder.post(
            "/saved-searches/999999/frequency", data={"s999999-frequency": "none"}
        ).status_code
        == 404
    )
    db.session.expire_all()
    assert (search.name, search.frequency) == ("Mit", AlertFrequency.DAILY)
    with pytest.raises(NotFound):
        service.delete_saved_search(JobseekerFactory(), sid)
    # The "fits you" alert is not a saved search: its id is not one either.
    fits = service.set_recommended_alert(owner, "daily")
    with pytest.raises(NotFound):
        service.get_saved_search(owner, fits.id)


def test_the_fits_you_switch(login_as) -> None:
    graduate = JobseekerFactory(locale="en")
    client = login_as(graduate)
    assert service.recommended_frequency(graduate) == AlertFrequency.NONE
    client.post("/saved-searches/recommended", data={"rec-frequency": "weekly"})
    client.post("/saved-searches/recommended", data={"rec-frequency": "daily"})
    db.session.expire_all()
    assert service.recommended_frequency(graduate) == AlertFrequency.DAILY
    rows = db.session.execute(select(SavedSearch)).scalars().all()
    assert [(r.kind, r.frequency) for r in rows] == [
        (SavedSearchKind.RECOMMENDED, AlertFrequency.DAILY)
    ]
    page = client.get("/saved-searches").get_data(as_text=True)
    assert '<option selected value="daily">Daily</option>' in page
    assert "(0 of 10)" in page


# --- one-click unsubscribe --------------------------------------------------------------------


def test_unsubscribe_by_the_signed_link_without_login(client) -> None:
    search = save(JobseekerFactory(), "Excel", frequency="instant")
    link = service.unsubscribe_link(search)
    assert link.startswith(f"{BASE}/alerts/unsubscribe/")
    path = link.removeprefix(BASE)

    # A GET (a mail scanner, or the reader) only asks.
    page = client.get(path)
    assert page.status_code == 200
    assert f'action="{path}"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert search.frequency == AlertFrequency.INSTANT

    done = client.post(path)
    assert done.status_code == 200
    db.session.expire_all()
    assert search.frequency == AlertFrequency.NONE
    # Again: nothing changes, no error.
    assert client.post(path).status_code == 200
    assert service.unsubscribe(link.rsplit("/", 1)[1]).frequency == AlertFrequency.NONE


@pytest.mark.parametrize("token", ["nonsense", "WzEsMSwxXQ.forged", "a" * 300])
def test_a_bad_unsubscribe_token_is_a_clear_error_not_a_500(client, token) -> None:
    search = save(JobseekerFactory(), "Excel", frequency="daily")
    for response in (
        client.get(f"/alerts/unsubscribe/{token}"),
        client.post(f"/alerts/unsubscribe/{token}"),
    ):
        assert response.status_code == 422
        assert "<h1" in response.get_data(as_text=True)
    with pytest.raises(ValidationFailed) as refused:
        service.unsubscribe(token)
    assert "not valid" in english(refused.value.message)
    db.session.expire_all()
    assert search.frequency == AlertFrequency.DAILY


def test_the_link_of_a_deleted_search_says_so(client) -> None:
    graduate = JobseekerFactory()
    search = save(graduate, "Excel")
    path = service.unsubscribe_link(search).removeprefix(BASE)
    service.delete_saved_search(graduate, search.id)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    # A new search that reuses the id is not stopped by the old link.
    again = save(graduate, "Excel igen", frequency="daily")
    client.post(path)
    db.session.expire_all()
    assert again.frequency == AlertFrequency.DAILY


# --- when each frequency is due ------------------------------------------------------------------


def test_period_start_keeps_the_local_hour_across_daylight_saving() -> None:
    # Summer time began on Sunday 28 March 2027: Monday's 07:00 is 05:00 UTC, the week
    # before it was 06:00 UTC.
    monday = at(date(2027, 3, 29), 9)
    assert service.period_start(AlertFrequency.WEEKLY, monday, 7) == at(date(2027, 3, 29), 7)
    assert at(date(2027, 3, 29), 7).hour == 5
    sunday = at(date(2027, 3, 28), 20)
    assert service.period_start(AlertFrequency.WEEKLY, sunday, 7).astimezone(UTC).hour == 6
    assert service.period_start(AlertFrequency.DAILY, at(date(2027, 3, 29), 6), 7) == at(
        date(2027, 3, 28), 7
    )
    assert service.period_start(AlertFrequency.INSTANT, monday, 7) is None


def test_instant_alerts_go_at_every_run_and_each_task_once(frozen) -> None:
    graduate = JobseekerFactory()
    frozen(at(MONDAY, 10))
    save(graduate, "Alt på afstand", remote=True, frequency="instant")
    assert run() == 0  # nothing new yet

    first = remote_task(at(MONDAY, 10, 5), title="Første opgave")
    frozen(at(MONDAY, 10, 6))
    assert run() == 1
    second = remote_task(at(MONDAY, 10, 7), title="Anden opgave")
    frozen(at(MONDAY, 10, 8))
    assert run() == 1
    frozen(at(MONDAY, 10, 9))
    assert run() == 0  # the same tasks again: nothing

    sent = mails()
    assert len(sent) == 2
    assert f"{BASE}/tasks/{first.id}" in sent[0][2] and f"/tasks/{second.id}" not in sent[0][2]
    assert f"{BASE}/tasks/{second.id}" in sent[1][2] and f"/tasks/{first.id}" not in sent[1][2]
    assert count(TaskAlert) == 2


def test_daily_alerts_go_once_a_copenhagen_day_from_the_alert_hour(app, frozen) -> None:
    assert app.config["ALERT_HOUR"] == 7
    graduate = JobseekerFactory()
    frozen(at(MONDAY, 12))
    search = save(graduate, "Dagligt", remote=True, frequency="daily")
    remote_task(at(MONDAY, 13))

    frozen(at(MONDAY, 23, 59))
    assert run("daily", "weekly") == 0  # the first period starts tomorrow at 07:00
    frozen(at(MONDAY + timedelta(days=1), 6, 59))
    assert run("daily", "weekly") == 0
    frozen(at(MONDAY + timedelta(days=1), 7, 0))
    assert run("instant") == 0  # an instant run leaves daily searches alone
    assert run("daily", "weekly") == 1
    db.session.expire_all()
    assert search.checked_at == at(MONDAY + timedelta(days=1), 7) and search.sent_at is not None

    remote_task(at(MONDAY + timedelta(days=1), 8))
    frozen(at(MONDAY + timedelta(days=1), 18))
    assert run("daily", "weekly") == 0  # once a day
    frozen(at(MONDAY + timedelta(days=2), 7, 15))
    assert run("daily", "weekly") == 1
    assert len(mails()) == 2


def test_weekly_alerts_go_on_mondays_from_the_alert_hour(frozen) -> None:
    graduate = JobseekerFactory()
    tuesday = MONDAY + timedelta(days=1)
    frozen(at(tuesday, 9))
    save(graduate, "Ugentligt", remote=True, frequency="weekly")
    remote_task(at(tuesday, 10))
    next_monday = MONDAY + timedelta(days=7)
    for moment in (
        at(tuesday + timedelta(days=1), 9),
        at(next_monday - timedelta(days=1), 23),
        at(next_monday, 6, 59),
    ):
        frozen(moment)
        assert run("daily", "weekly") == 0
    frozen(at(next_monday, 7, 30))
    assert run("daily", "weekly") == 1
    remote_task(at(next_monday, 8))
    frozen(at(next_monday + timedelta(days=3), 9))
    assert run("daily", "weekly") == 0
    frozen(at(next_monday + timedelta(days=7), 7))
    assert run("daily", "weekly") == 1


def test_no_alerts_for_frequency_none_or_after_unsubscribing(frozen) -> None:
    graduate = JobseekerFactory()
    frozen(at(MONDAY, 9))
    save(graduate, "Fra", remote=True, frequency="none")
    stopped = save(graduate, "Stoppet", remote=False, frequency="instant")
    service.unsubscribe(service.unsubscribe_token(stopped))
    remote_task(at(MONDAY, 10))
    TaskFactory(published_at=at(MONDAY, 10))
    frozen(at(MONDAY, 11))
    assert run("instant", "daily", "weekly") == 0
    assert mails() == []


# --- what an alert holds ---------------------------------------------------------------------


def test_one_email_per_run_lists_the_tasks_of_two_searches_with_links(frozen) -> None:
    graduate = JobseekerFactory(locale="en")
    other = JobseekerFactory()
    frozen(at(MONDAY, 9))
    remote = save(graduate, "Remote work", remote=True, frequency="instant")
    short = save(graduate, "Short on site", remote=False, max_hours=10, frequency="instant")
    save(other, "Everything remote", remote=True, frequency="instant")
    far = remote_task(at(MONDAY, 10), title="Website audit", hours=20)
    near = TaskFactory(published_at=at(MONDAY, 10), title="Count the stock", hours=8)
    TaskFactory(published_at=at(MONDAY, 10), title="Long on site", hours=40)  # neither search
    frozen(at(MONDAY, 10, 1))

    assert run() == 2
    sent = mails()
    assert sorted(to for to, *_ in sent) == sorted([graduate.email, other.email])
    to, subject, body = next(m for m in sent if m[0] == graduate.email)
    assert subject == "Taskbørs: 2 new tasks match “Remote work, Short on site”."
    assert f"Website audit\n  {far.company.name} · remote · deadline" in body
    assert f"{BASE}/tasks/{far.id}" in body and f"{BASE}/tasks/{near.id}" in body
    assert "Count the stock" in body and "8000 Aarhus C" in body and "Long on site" not in body
    assert body.index("From “Remote work”:") < body.index("Website audit")
    assert body.index("From “Short on site”:") < body.index("Count the stock")
    links = re.findall(rf"{BASE}/alerts/unsubscribe/\S+", body)
    assert len(links) == 2
    tokens = {service.search_for_token(link.rsplit("/", 1)[1]).id for link in links}
    assert tokens == {remote.id, short.id}
    note = db.session.execute(
        select(Notification).where(Notification.user_id == graduate.id)
    ).scalar_one()
    assert note.kind == NotificationKind.TASK_ALERT and note.params["count"] == 2

    frozen(at(MONDAY, 10, 2))
    assert run() == 0  # a second run sends nothing
    assert len(mails()) == 2


def test_a_task_found_by_two_searches_is_listed_once() -> None:
    graduate = JobseekerFactory()
    save(graduate, "A", remote=True, frequency="instant")
    save(graduate, "B", max_hours=30, frequency="instant")
    task = remote_task(clock.now() + timedelta(seconds=1), hours=20)
    assert run() == 1
    ((_to, _subject, body),) = mails()
    assert body.count(f"/tasks/{task.id}") == 1
    alert = db.session.execute(select(TaskAlert)).scalar_one()
    assert alert.task_id == task.id


def test_text_search_alerts_use_the_task_lists_search() -> None:
    graduate = JobseekerFactory()
    save(graduate, "Regnskab", q="regnskab", frequency="instant")
    task = remote_task(
        clock.now() + timedelta(seconds=1),
        title="Årsafslutning",
        description="Hjælp med regnskaberne for 2026.",
    )
    assert run() == 1
    assert f"/tasks/{task.id}" in mails()[0][2]


def test_applied_invited_and_older_tasks_are_left_out(frozen) -> None:
    graduate = JobseekerFactory()
    before = remote_task(at(MONDAY, 8), title="Før søgningen")
    frozen(at(MONDAY, 9))
    save(graduate, "Alt", remote=True, frequency="instant")
    applied = remote_task(at(MONDAY, 10), title="Søgt")
    ApplicationFactory(task=applied, jobseeker=graduate)
    invited = remote_task(at(MONDAY, 10), title="Inviteret")
    db.session.add(Invitation(task_id=invited.id, jobseeker_id=graduate.id))
    closed = remote_task(at(MONDAY, 10), title="Lukket")
    closed.status = "cancelled"
    db.session.commit()
    fresh = remote_task(at(MONDAY, 10), title="Ny")
    frozen(at(MONDAY, 11))

    assert run() == 1
    ((_to, _subject, body),) = mails()
    assert f"/tasks/{fresh.id}\n" in body + "\n"
    for left_out in (before, applied, invited, closed):
        assert f"/tasks/{left_out.id}\n" not in body + "\n"


def test_the_alert_follows_the_channel_the_graduate_chose(frozen) -> None:
    graduate = JobseekerFactory()
    notifications.set_preferences(graduate, {"alerts": "in_app"})
    frozen(at(MONDAY, 9))
    save(graduate, "Alt", remote=True, frequency="instant")
    remote_task(at(MONDAY, 10))
    frozen(at(MONDAY, 11))
    assert run() == 1
    assert count(OutboxMessage) == 0
    assert count(Notification) == 1 and count(TaskAlert) == 1


def test_new_tasks_that_fit_you_above_the_threshold(app, frozen) -> None:
    graduate = JobseekerFactory()  # knows Excel
    frozen(at(MONDAY, 9))
    service.set_recommended_alert(graduate, "instant")
    task = remote_task(at(MONDAY, 10), title="Excel-ark til budget", skills=["Excel"])

    app.config["ALERT_RECOMMENDED_MIN_SCORE"] = 1.5  # nothing scores that high
    frozen(at(MONDAY, 10, 1))
    assert run() == 0
    app.config["ALERT_RECOMMENDED_MIN_SCORE"] = 0.0
    frozen(at(MONDAY, 10, 2))
    assert run() == 1
    ((_to, subject, body),) = mails()
    assert f"{BASE}/tasks/{task.id}" in body
    assert f"{BASE}/alerts/unsubscribe/" in body


def test_two_workers_at_once_send_once(frozen, monkeypatch) -> None:
    """The other worker alerted the task between this one's check and its insert: the
    unique constraint stops this one, which skips the person and goes on with the rest."""
    first, second = JobseekerFactory(), JobseekerFactory()
    frozen(at(MONDAY, 9))
    save(first, "Alt", remote=True, frequency="instant")
    save(second, "Alt", remote=True, frequency="instant")
    task = remote_task(at(MONDAY, 10))
    frozen(at(MONDAY, 11))
    db.session.add(TaskAlert(user_id=first.id, task_id=task.id))  # the other worker's
    db.session.commit()
    real = service._fresh_tasks

    def as_seen_before_the_other_worker_committed(user_id, since):
        found = real(user_id, since)
        if user_id == first.id:
            found[task.id] = task.published_at
        return found

    monkeypatch.setattr(service, "_fresh_tasks", as_seen_before_the_other_worker_committed)
    assert run() == 1
    assert [to for to, *_ in mails()] == [second.email]
    assert count(TaskAlert) == 2


# --- end to end: saved in the browser, published, delivered by the worker -------------------------


def test_a_published_task_reaches_the_graduate_through_the_worker(login_as) -> None:
    graduate = JobseekerFactory()
    browser = login_as(graduate)
    response = browser.post(
        "/saved-searches",
        data={
            "save-name": "Markedsanalyse",
            "save-frequency": "instant",
            "save-q": "markedsanalyse",
        },
    )
    assert response.status_code == 302
    worker.run_pending()
    notifications.mail_backend().sent.clear()

    company = CompanyFactory()
    owner = login_as(company.owner)
    assert owner.post("/entrepreneur/tasks/new", data=task_form()).status_code == 302
    task = db.session.execute(select(Task)).scalar_one()
    assert owner.post(f"/entrepreneur/tasks/{task.id}/publish").status_code == 302
    assert worker.huey.pending_count() >= 1  # instant alerts, enqueued after the commit

    worker.run_pending()

    sent = notifications.mail_backend().sent
    assert [to for to, *_ in sent] == [graduate.email]
    assert f"{BASE}/tasks/{task.id}" in sent[0][2]
    assert f"{BASE}/alerts/unsubscribe/" in sent[0][2]
    worker.run_pending()
    assert len(notifications.mail_backend().sent) == 1


def test_one_users_failure_does_not_stop_the_others_and_is_tried_again(frozen, monkeypatch):
    broken, fine = JobseekerFactory(), JobseekerFactory()
    frozen(at(MONDAY, 9))
    save(broken, "Alt", remote=True, frequency="instant")
    save(fine, "Alt", remote=True, frequency="instant")
    task = remote_task(at(MONDAY, 10))
    real = service._search_matches

    def fails_for_one(index, user, search, fresh):
        if user.id == broken.id:
            raise RuntimeError("boom")
        return real(index, user, search, fresh)

    monkeypatch.setattr(service, "_search_matches", fails_for_one)
    frozen(at(MONDAY, 10, 1))
    assert run() == 1
    assert [to for to, *_ in mails()] == [fine.email]

    monkeypatch.setattr(service, "_search_matches", real)
    frozen(at(MONDAY, 10, 2))
    assert run() == 1
    assert [to for to, *_ in mails()] == [fine.email, broken.email]
    assert f"/tasks/{task.id}" in mails()[1][2]
