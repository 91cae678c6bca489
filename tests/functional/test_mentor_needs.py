"""Mentor needs and requests (services/mentor_needs.py, web/needs): writing a need, ranked
mentors, one request at a time, accept (a mentorship, never beyond the mentor's capacity),
decline with a reason, expiry after MENTOR_REQUEST_DAYS with the next candidates, and who may
see what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    MentorNeed,
    MentorRequest,
    Mentorship,
    MentorshipStatus,
    NeedStatus,
    Notification,
    NotificationKind,
    RequestStatus,
    Role,
)
from taskboerse.services import clock
from taskboerse.services import mentor_needs as service
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.mentor_needs import NeedInfo
from tests.factories import (
    BusinessStaffFactory,
    CaseworkerFactory,
    CompanyFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
    mentor_need,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def at(app, monkeypatch):
    """Freeze the clock at NOW; ``at(moment)`` moves it."""

    def move(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
        monkeypatch.setattr(clock, "today", lambda: moment.date())

    move(NOW)
    return move


@pytest.fixture
def owner(app):
    """An entrepreneur with a company in Aarhus."""
    return CompanyFactory(postcode="8000").owner


def info(**fields) -> NeedInfo:
    values = {
        "topic": "financing",
        "stage": "start",
        "description": "Vi skal rejse kapital til vores første år og mangler sparring.",
        "frequency": "monthly",
        "postcode": None,
        "online": True,
        "skills": "",
    }
    values.update(fields)
    return NeedInfo(**values)


def notes(user, kind: NotificationKind) -> list[Notification]:
    return list(
        db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        ).scalars()
    )


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


# --- needs -----------------------------------------------------------------------------------


def test_create_need_takes_the_company_postcode_and_resolves_skills(owner) -> None:
    need = service.create_need(owner, info(skills="Eksport, kundeservice"))

    assert need.status == NeedStatus.OPEN
    assert need.company_id == owner.company.id
    assert need.postcode == "8000"
    assert len(need.skills) == 2
    assert any(s.skill_id is not None for s in need.skills)


def test_the_topics_own_expertise_is_not_repeated_as_an_extra_skill(owner) -> None:
    need = service.create_need(owner, info(topic="financing", skills="Finansiering, Eksport"))
    assert [s.label for s in need.skills] == ["Eksport"]


def test_an_empty_postcode_means_online_only(owner) -> None:
    need = service.create_need(owner, info(postcode="", online=True))
    assert need.postcode == "" and need.online


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"topic": "astrology"}, "topic"),
        ({"topic": ""}, "topic"),
        ({"stage": "unicorn"}, "stage"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"description": "Mit CPR er 010190-1234"}, "description"),
        ({"description": "nul\x00byte"}, "description"),
        ({"frequency": "hourly"}, "frequency"),
        ({"postcode": "1"}, "postcode"),
        ({"postcode": "0000"}, "postcode"),
        ({"postcode": "", "online": False}, "postcode"),
        ({"skills": ", ".join(f"Evne {i}" for i in range(11))}, "skills"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_saved(owner, fields, field) -> None:
    with pytest.raises(ValidationFailed) as refused:
        service.create_need(owner, info(**fields))
    assert refused.value.field == field
    db.session.rollback()
    assert count(MentorNeed) == 0


def test_only_entrepreneurs_write_needs(app) -> None:
    with pytest.raises(Forbidden):
        service.create_need(MentorFactory(), info())


def test_another_entrepreneur_cannot_see_or_change_a_need(owner) -> None:
    need = service.create_need(owner, info())
    stranger = CompanyFactory().owner
    with pytest.raises(NotFound):
        service.get_need(stranger, need.id)
    with pytest.raises(NotFound):
        service.update_need(stranger, need.id, info(description="Overtaget"))
    with pytest.raises(NotFound):
        service.close_need(stranger, need.id)
    with pytest.raises(NotFound):
        service.request_mentor(stranger, need.id, MentorFactory().id, "Hej")
    assert service.list_needs(stranger) == []
    db.session.refresh(need)
    assert need.status == NeedStatus.OPEN and need.description.startswith("Vi skal")


def test_update_and_close(owner) -> None:
    need = service.create_need(owner, info())
    service.update_need(owner, need.id, info(topic="export", description="Eksport til Tyskland"))
    assert need.topic == "export"
    service.close_need(owner, need.id)
    assert need.status == NeedStatus.CLOSED and need.closed_at is not None
    with pytest.raises(Conflict):
        service.update_need(owner, need.id, info())


# --- requests --------------------------------------------------------------------------------


def test_request_notifies_the_mentor_and_expires_in_seven_days(owner, at) -> None:
    need = mentor_need(owner)
    mentor = MentorFactory()

    request = service.request_mentor(owner, need.id, mentor.id, "Vil du hjælpe os?")

    assert request.status == RequestStatus.PENDING
    assert request.expires_at == NOW + timedelta(days=7)
    [note] = notes(mentor, NotificationKind.MENTOR_REQUEST)
    assert note.params["topic"] == "financing" and note.params["need_id"] == need.id
    assert note.params["name"] == owner.name


def test_request_days_come_from_the_config(app, owner, at) -> None:
    app.config["MENTOR_REQUEST_DAYS"] = 3
    request = service.request_mentor(owner, mentor_need(owner).id, MentorFactory().id, "Hej")
    assert request.expires_at == NOW + timedelta(days=3)


def test_one_pending_request_per_need(owner) -> None:
    need = mentor_need(owner)
    first, second = MentorFactory(), MentorFactory()
    service.request_mentor(owner, need.id, first.id, "Hej")

    with pytest.raises(Conflict) as refused:
        service.request_mentor(owner, need.id, second.id, "Hej")

    assert first.name in str(refused.value.message)
    assert count(MentorRequest) == 1
    assert notes(second, NotificationKind.MENTOR_REQUEST) == []


@pytest.mark.parametrize(
    ("mentor_kwargs", "error"),
    [
        ({"profile__approved": False}, NotFound),
        ({"profile__paused": True}, Conflict),
        ({"is_disabled": True}, NotFound),
    ],
)
def test_unavailable_mentors_cannot_be_asked(owner, mentor_kwargs, error) -> None:
    need = mentor_need(owner)
    mentor = MentorFactory(**mentor_kwargs)
    with pytest.raises(error):
        service.request_mentor(owner, need.id, mentor.id, "Hej")
    assert count(MentorRequest) == 0


def test_not_a_mentor_cannot_be_asked(owner) -> None:
    need = mentor_need(owner)
    for user in (JobseekerFactory(), EntrepreneurFactory(), UserFactory(role=Role.ADMIN)):
        with pytest.raises(NotFound):
            service.request_mentor(owner, need.id, user.id, "Hej")
    with pytest.raises(NotFound):
        service.request_mentor(owner, need.id, 987654, "Hej")


def test_a_full_mentor_cannot_be_asked(owner) -> None:
    mentor = MentorFactory(profile__capacity=1)
    _mentorship(mentor)
    need = mentor_need(owner)
    with pytest.raises(Conflict):
        service.request_mentor(owner, need.id, mentor.id, "Hej")


def test_the_same_mentor_is_asked_once_per_need(owner) -> None:
    need = mentor_need(owner)
    mentor = MentorFactory()
    request = service.request_mentor(owner, need.id, mentor.id, "Hej")
    service.decline_request(mentor, request.id, "Ikke mit felt.")
    with pytest.raises(Conflict):
        service.request_mentor(owner, need.id, mentor.id, "Hej igen")


@pytest.mark.parametrize("message", ["", "   ", "x" * 2001, "CPR 010190-1234"])
def test_request_message_is_checked(owner, message) -> None:
    need = mentor_need(owner)
    with pytest.raises(ValidationFailed) as refused:
        service.request_mentor(owner, need.id, MentorFactory().id, message)
    assert refused.value.field == "message"
    assert count(MentorRequest) == 0


def test_a_closed_need_cannot_ask(owner) -> None:
    need = mentor_need(owner, status=NeedStatus.CLOSED)
    with pytest.raises(Conflict):
        service.request_mentor(owner, need.id, MentorFactory().id, "Hej")


def test_withdraw_frees_the_need_for_the_next_mentor(owner) -> None:
    need = mentor_need(owner)
    first, second = MentorFactory(), MentorFactory()
    request = service.request_mentor(owner, need.id, first.id, "Hej")
    with pytest.raises(NotFound):
        service.withdraw_request(CompanyFactory().owner, request.id)
    service.withdraw_request(owner, request.id)
    assert request.status == RequestStatus.WITHDRAWN
    service.request_mentor(owner, need.id, second.id, "Hej")
    with pytest.raises(Conflict):
        service.withdraw_request(owner, request.id)


def test_closing_a_need_withdraws_its_pending_request(owner) -> None:
    need = mentor_need(owner)
    request = service.request_mentor(owner, need.id, MentorFactory().id, "Hej")
    service.close_need(owner, need.id)
    db.session.refresh(request)
    assert request.status == RequestStatus.WITHDRAWN


# --- answers ---------------------------------------------------------------------------------


def _mentorship(mentor, status=MentorshipStatus.ACTIVE) -> Mentorship:
    """A mentorship of ``mentor`` with some other entrepreneur."""
    entrepreneur = CompanyFactory().owner
    need = mentor_need(entrepreneur, status=NeedStatus.MATCHED)
    request = MentorRequest(
        need_id=need.id,
        mentor_id=mentor.id,
        message="Hej",
        status=RequestStatus.ACCEPTED,
        expires_at=NOW,
    )
    db.session.add(request)
    db.session.flush()
    mentorship = Mentorship(
        request_id=request.id,
        need_id=need.id,
        mentor_id=mentor.id,
        entrepreneur_id=entrepreneur.id,
        status=status,
        start_on=date(2026, 1, 1),
        end_on=date(2026, 4, 1),
    )
    db.session.add(mentorship)
    db.session.commit()
    return mentorship


def test_accept_creates_the_mentorship_and_matches_the_need(owner, at) -> None:
    need = mentor_need(owner)
    mentor = MentorFactory()
    request = service.request_mentor(owner, need.id, mentor.id, "Hej")

    mentorship = service.accept_request(mentor, request.id, date(2026, 3, 9), 8)

    assert mentorship.start_on == date(2026, 3, 9)
    assert mentorship.end_on == date(2026, 5, 4)
    assert mentorship.mentor_id == mentor.id and mentorship.entrepreneur_id == owner.id
    assert mentorship.status == MentorshipStatus.ACTIVE
    db.session.refresh(need)
    db.session.refresh(request)
    assert need.status == NeedStatus.MATCHED
    assert request.status == RequestStatus.ACCEPTED and request.answered_at == NOW
    [note] = notes(owner, NotificationKind.MENTOR_REQUEST_ACCEPTED)
    assert note.params["mentorship_id"] == mentorship.id and note.params["need_id"] == need.id
    assert note.params["name"] == mentor.name and note.params["topic"] == "financing"


def test_accept_defaults_to_today_and_twelve_weeks(owner, at) -> None:
    mentor = MentorFactory()
    request = service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    mentorship = service.accept_request(mentor, request.id)
    assert mentorship.start_on == NOW.date()
    assert mentorship.end_on == NOW.date() + timedelta(weeks=12)


@pytest.mark.parametrize(
    ("start", "weeks", "field"),
    [
        (None, 3, "weeks"),
        (None, 25, "weeks"),
        (date(2026, 3, 1), 12, "start_on"),
        (date(2026, 5, 2), 12, "start_on"),
    ],
)
def test_accept_checks_start_and_weeks(owner, at, start, weeks, field) -> None:
    mentor = MentorFactory()
    request = service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    with pytest.raises(ValidationFailed) as refused:
        service.accept_request(mentor, request.id, start, weeks)
    assert refused.value.field == field
    assert count(Mentorship) == 0
    db.session.refresh(request)
    assert request.status == RequestStatus.PENDING


def test_a_mentor_answers_only_their_own_requests(owner) -> None:
    mentor, other = MentorFactory(), MentorFactory()
    request = service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    with pytest.raises(NotFound):
        service.accept_request(other, request.id)
    with pytest.raises(NotFound):
        service.decline_request(other, request.id, "Nej")
    with pytest.raises(Forbidden):
        service.accept_request(owner, request.id)
    assert service.list_requests_for_mentor(other).pending == []
    assert [r.id for r in service.list_requests_for_mentor(mentor).pending] == [request.id]


def test_capacity_is_never_exceeded(app) -> None:
    mentor = MentorFactory(profile__capacity=1)
    requests = []
    for _ in range(2):
        owner = CompanyFactory().owner
        requests.append(service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej"))
    service.accept_request(mentor, requests[0].id)

    with pytest.raises(Conflict) as refused:
        service.accept_request(mentor, requests[1].id)

    assert "kapacitet" in str(refused.value.message)
    assert count(Mentorship, Mentorship.mentor_id == mentor.id) == 1
    db.session.refresh(requests[1])
    assert requests[1].status == RequestStatus.PENDING


def test_an_ended_mentorship_frees_a_place(app) -> None:
    mentor = MentorFactory(profile__capacity=1)
    _mentorship(mentor, status=MentorshipStatus.COMPLETED)
    owner = CompanyFactory().owner
    request = service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    assert service.accept_request(mentor, request.id).status == MentorshipStatus.ACTIVE


def test_decline_needs_a_reason_and_tells_the_entrepreneur(owner) -> None:
    mentor = MentorFactory()
    need = mentor_need(owner)
    request = service.request_mentor(owner, need.id, mentor.id, "Hej")
    for reason in ("", "   ", "x" * 501, "010190-1234"):
        with pytest.raises(ValidationFailed) as refused:
            service.decline_request(mentor, request.id, reason)
        assert refused.value.field == "reason"
    db.session.refresh(request)
    assert request.status == RequestStatus.PENDING

    service.decline_request(mentor, request.id, "Jeg har ikke tid før efteråret.")

    assert request.status == RequestStatus.DECLINED
    assert request.decline_reason == "Jeg har ikke tid før efteråret."
    [note] = notes(owner, NotificationKind.MENTOR_REQUEST_DECLINED)
    assert note.params["reason"] == "Jeg har ikke tid før efteråret."
    assert note.params["need_id"] == need.id
    with pytest.raises(Conflict):
        service.accept_request(mentor, request.id)


# --- expiry ----------------------------------------------------------------------------------


def test_unanswered_requests_expire_after_seven_days_once(owner, at) -> None:
    mentor = MentorFactory()
    need = mentor_need(owner)
    request = service.request_mentor(owner, need.id, mentor.id, "Hej")

    at(NOW + timedelta(days=6, hours=23))
    assert service.expire_requests() == 0
    at(NOW + timedelta(days=7))
    assert service.expire_requests() == 1
    assert service.expire_requests() == 0

    db.session.refresh(request)
    assert request.status == RequestStatus.EXPIRED
    [note] = notes(owner, NotificationKind.MENTOR_REQUEST_EXPIRED)
    assert note.params == {
        "task": "",
        "name": mentor.name,
        "topic": "financing",
        "need_id": need.id,
        "days": 7,
    }
    with pytest.raises(Conflict):
        service.accept_request(mentor, request.id)


def test_a_request_past_its_time_cannot_be_accepted_before_the_worker_runs(owner, at) -> None:
    mentor = MentorFactory()
    request = service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    at(NOW + timedelta(days=8))
    with pytest.raises(Conflict):
        service.accept_request(mentor, request.id)
    assert service.list_requests_for_mentor(mentor).pending == []


def test_the_worker_expires_requests(owner, at) -> None:
    from taskboerse.worker import jobs

    request = service.request_mentor(owner, mentor_need(owner).id, MentorFactory().id, "Hej")
    at(NOW + timedelta(days=7, minutes=1))

    done = jobs.scheduled_work.call_local()

    assert done["mentor_requests_expired"] == 1
    db.session.refresh(request)
    assert request.status == RequestStatus.EXPIRED
    assert jobs.scheduled_work.call_local()["mentor_requests_expired"] == 0


# --- web: the entrepreneur -------------------------------------------------------------------


def test_index_explains_the_programme_when_empty(login_as, owner) -> None:
    page = login_as(owner).get("/mentor-needs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/mentor-needs/new"' in html


def test_new_need_through_the_form_shows_the_mentors(login_as, owner) -> None:
    mentor = MentorFactory(name="Mona Mentor")
    client = login_as(owner)
    form = client.get("/mentor-needs/new").get_data(as_text=True)
    assert 'value="8000"' in form and "data-skill-input" in form

    response = client.post(
        "/mentor-needs/new",
        data={
            "topic": "financing",
            "stage": "start",
            "description": "Vi skal rejse kapital og vil gerne tale med en erfaren investor.",
            "frequency": "monthly",
            "postcode": "8000",
            "online": "y",
            "skills": "Finansiering",
        },
    )

    assert response.status_code == 302
    need = db.session.execute(select(MentorNeed)).scalar_one()
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mona Mentor" in html
    assert f"/mentor-needs/{need.id}/mentors/{mentor.id}/request" in html
    assert f'href="/mentors/{mentor.id}"' in html  # the mentor's profile


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("topic", ""),
        ("topic", "astrology"),
        ("description", ""),
        ("postcode", "12"),
        ("postcode", "0000"),
        ("description", "CPR 010190-1234"),
    ],
)
def test_bad_form_input_changes_nothing(login_as, owner, field, value) -> None:
    data = {
        "topic": "financing",
        "stage": "start",
        "description": "Kapital",
        "frequency": "monthly",
        "postcode": "8000",
        "online": "y",
    }
    data[field] = value
    response = login_as(owner).post("/mentor-needs/new", data=data)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert count(MentorNeed) == 0


def test_no_place_and_no_online_is_refused_by_the_form(login_as, owner) -> None:
    data = {
        "topic": "financing",
        "stage": "start",
        "description": "Kapital",
        "frequency": "monthly",
        "postcode": "",
    }
    response = login_as(owner).post("/mentor-needs/new", data=data)
    assert response.status_code == 422
    assert count(MentorNeed) == 0


def test_request_through_the_page_then_withdraw(login_as, owner) -> None:
    mentor = MentorFactory()
    need = mentor_need(owner)
    client = login_as(owner)

    bad = client.post(f"/mentor-needs/{need.id}/mentors/{mentor.id}/request", data={"message": ""})
    assert bad.status_code == 422 and count(MentorRequest) == 0

    sent = client.post(
        f"/mentor-needs/{need.id}/mentors/{mentor.id}/request", data={"message": "Hej Mona"}
    )
    assert sent.status_code == 302
    html = client.get(f"/mentor-needs/{need.id}").get_data(as_text=True)
    assert "/withdraw" in html and "/mentors/" not in html  # no candidates while waiting

    request = db.session.execute(select(MentorRequest)).scalar_one()
    assert client.post(f"/mentor-needs/requests/{request.id}/withdraw").status_code == 302
    db.session.refresh(request)
    assert request.status == RequestStatus.WITHDRAWN


def test_a_second_request_while_one_waits_is_refused_on_the_page(login_as, owner) -> None:
    first, second = MentorFactory(), MentorFactory()
    need = mentor_need(owner)
    service.request_mentor(owner, need.id, first.id, "Hej")
    client = login_as(owner)
    response = client.post(
        f"/mentor-needs/{need.id}/mentors/{second.id}/request", data={"message": "Hej"}
    )
    assert response.status_code == 302
    assert count(MentorRequest) == 1


def test_an_unapproved_mentor_in_the_url_is_404(login_as, owner) -> None:
    need = mentor_need(owner)
    waiting = MentorFactory(profile__approved=False)
    response = login_as(owner).post(
        f"/mentor-needs/{need.id}/mentors/{waiting.id}/request", data={"message": "Hej"}
    )
    assert response.status_code == 404
    assert count(MentorRequest) == 0


def test_after_expiry_the_page_says_so_and_shows_the_next_candidates(login_as, owner, at) -> None:
    first = MentorFactory(name="Første Mentor")
    second = MentorFactory(name="Anden Mentor")
    need = mentor_need(owner)
    service.request_mentor(owner, need.id, first.id, "Hej")
    at(NOW + timedelta(days=7, hours=1))
    service.expire_requests()

    html = login_as(owner).get(f"/mentor-needs/{need.id}").get_data(as_text=True)

    assert "Første Mentor" in html  # named in the notice and the earlier requests
    assert f"/mentors/{second.id}/request" in html
    assert f"/mentors/{first.id}/request" not in html  # asked once already


def test_after_a_decline_the_page_shows_the_reason_and_next_candidates(login_as, owner) -> None:
    first, second = MentorFactory(), MentorFactory()
    need = mentor_need(owner)
    request = service.request_mentor(owner, need.id, first.id, "Hej")
    service.decline_request(first, request.id, "Eksport er ikke mit felt.")

    html = login_as(owner).get(f"/mentor-needs/{need.id}").get_data(as_text=True)

    assert "Eksport er ikke mit felt." in html
    assert f"/mentors/{second.id}/request" in html


def test_no_fitting_mentor_says_what_to_change(login_as, owner) -> None:
    need = mentor_need(owner)
    html = login_as(owner).get(f"/mentor-needs/{need.id}").get_data(as_text=True)
    assert f"/mentor-needs/{need.id}/edit" in html
    assert "notice" in html


def test_edit_and_close_through_the_pages(login_as, owner) -> None:
    need = mentor_need(owner)
    client = login_as(owner)
    form = client.get(f"/mentor-needs/{need.id}/edit")
    assert form.status_code == 200
    saved = client.post(
        f"/mentor-needs/{need.id}/edit",
        data={
            "topic": "export",
            "stage": "growth",
            "description": "Eksport til Norge",
            "frequency": "weekly",
            "postcode": "",
            "online": "y",
        },
    )
    assert saved.status_code == 302
    db.session.refresh(need)
    assert need.topic == "export" and need.postcode == ""
    assert client.post(f"/mentor-needs/{need.id}/close").status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.CLOSED


def test_other_people_get_404_or_403(login_as, owner) -> None:
    mentor = MentorFactory()
    need = mentor_need(owner)
    request = service.request_mentor(owner, need.id, mentor.id, "Hej")
    stranger = login_as(CompanyFactory().owner)
    for url in (f"/mentor-needs/{need.id}", f"/mentor-needs/{need.id}/edit"):
        assert stranger.get(url).status_code == 404
    for url in (
        f"/mentor-needs/{need.id}/close",
        f"/mentor-needs/requests/{request.id}/withdraw",
        f"/mentor-needs/{need.id}/mentors/{MentorFactory().id}/request",
    ):
        assert stranger.post(url, data={"message": "Hej"}).status_code == 404
    for user in (
        JobseekerFactory(),
        CaseworkerFactory(),
        BusinessStaffFactory(),
        UserFactory(role=Role.ADMIN),
        mentor,
    ):
        client = login_as(user)
        assert client.get("/mentor-needs/").status_code == 403
        assert client.get(f"/mentor-needs/{need.id}").status_code == 403
    for user in (owner, JobseekerFactory(), BusinessStaffFactory()):
        client = login_as(user)
        assert client.get("/mentor-needs/requests").status_code == 403
        assert client.get("/mentor-needs/for-me").status_code == 403
    db.session.refresh(need)
    db.session.refresh(request)
    assert need.status == NeedStatus.OPEN and request.status == RequestStatus.PENDING


def test_anonymous_visitors_are_sent_to_log_in(client) -> None:
    for url in ("/mentor-needs/", "/mentor-needs/requests", "/mentor-needs/for-me"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# --- web: the mentor -------------------------------------------------------------------------


def test_mentor_accepts_on_the_requests_page(login_as, owner, at) -> None:
    mentor = MentorFactory(locale="en")
    need = mentor_need(owner)
    request = service.request_mentor(owner, need.id, mentor.id, "Kan du hjælpe med budgettet?")
    client = login_as(mentor)

    page = client.get("/mentor-needs/requests").get_data(as_text=True)
    assert "Kan du hjælpe med budgettet?" in page and owner.company.name in page
    assert "7 days left to answer" in page

    bad = client.post(
        f"/mentor-needs/requests/{request.id}/accept",
        data={"start_on": "2026-03-02", "weeks": "30"},
    )
    assert bad.status_code == 422 and count(Mentorship) == 0

    done = client.post(
        f"/mentor-needs/requests/{request.id}/accept",
        data={"start_on": "2026-03-09", "weeks": "12"},
    )
    assert done.status_code == 302
    mentorship = db.session.execute(select(Mentorship)).scalar_one()
    assert done.headers["Location"].endswith(f"/mentorships/{mentorship.id}")
    answered = client.get("/mentor-needs/requests").get_data(as_text=True)
    assert owner.name in answered


def test_mentor_declines_with_a_reason_on_the_page(login_as, owner) -> None:
    mentor = MentorFactory()
    request = service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    client = login_as(mentor)

    missing = client.post(f"/mentor-needs/requests/{request.id}/decline", data={"reason": ""})
    assert missing.status_code == 422
    db.session.refresh(request)
    assert request.status == RequestStatus.PENDING

    done = client.post(
        f"/mentor-needs/requests/{request.id}/decline", data={"reason": "Ingen tid lige nu."}
    )
    assert done.status_code == 302
    db.session.refresh(request)
    assert request.status == RequestStatus.DECLINED


def test_another_mentor_cannot_answer(login_as, owner) -> None:
    mentor = MentorFactory()
    request = service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
    other = login_as(MentorFactory())
    assert "Hej" not in other.get("/mentor-needs/requests").get_data(as_text=True)
    assert other.post(f"/mentor-needs/requests/{request.id}/accept").status_code == 404
    assert (
        other.post(f"/mentor-needs/requests/{request.id}/decline", data={"reason": "x"}).status_code
        == 404
    )
    db.session.refresh(request)
    assert request.status == RequestStatus.PENDING


def test_needs_for_me_is_ranked_and_read_only(login_as, owner) -> None:
    mentor = MentorFactory()
    mentor_need(owner, description="Vi skal rejse kapital og har brug for en forretningsplan.")
    html = login_as(mentor).get("/mentor-needs/for-me").get_data(as_text=True)
    assert "Vi skal rejse kapital" in html
    assert "/request" not in html.split("<main", 1)[-1].split("/mentor-needs/requests")[0]


def test_a_waiting_mentor_sees_no_needs(login_as, owner) -> None:
    mentor_need(owner, description="Vi skal rejse kapital og har brug for en forretningsplan.")
    html = login_as(MentorFactory(profile__approved=False)).get("/mentor-needs/for-me")
    assert html.status_code == 200
    assert "Vi skal rejse kapital" not in html.get_data(as_text=True)


def test_pages_cost_the_same_queries_for_more_rows(app, login_as) -> None:
    from tests.helpers import count_queries

    def detail_queries(asked: int) -> int:
        # Earlier requests and one waiting (the ranking is mentor_matching's, tested there).
        owner = CompanyFactory().owner
        need = mentor_need(owner, skills=[])
        for _ in range(asked):
            request = service.request_mentor(owner, need.id, MentorFactory().id, "Hej")
            service.withdraw_request(owner, request.id)
        service.request_mentor(owner, need.id, MentorFactory().id, "Hej")
        return count_queries(login_as(owner), f"/mentor-needs/{need.id}")

    assert detail_queries(1) == detail_queries(4)

    def request_queries(n: int) -> int:
        mentor = MentorFactory(profile__capacity=10)
        for _ in range(n):
            owner = CompanyFactory().owner
            service.request_mentor(owner, mentor_need(owner).id, mentor.id, "Hej")
        return count_queries(login_as(mentor), "/mentor-needs/requests")

    assert request_queries(1) == request_queries(4)
