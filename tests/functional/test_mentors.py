"""Mentors: signing up as a mentor, the profile (every refusal at once, nothing changed on
error), pausing, the approval by staff (notified once, logged), who sees a mentor's public
profile, and the mentor's start page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessLogEntry,
    Answer,
    ApiToken,
    LoginSession,
    MentorRequest,
    Mentorship,
    MentorshipStatus,
    NeedStatus,
    Notification,
    NotificationKind,
    Question,
    RequestStatus,
    Role,
    User,
)
from taskboerse.services import clock, mentors
from taskboerse.services.errors import Forbidden, NotFound, ValidationFailed
from taskboerse.services.mentors import MentorProfileInfo, MentorProfileInvalid
from tests.factories import (
    BusinessStaffFactory,
    CaseworkerFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
    mentor_need,
)
from tests.helpers import count_queries


@pytest.fixture(autouse=True)
def _needs_for_me(app):
    """The home page links to the needs helper's page; a stand-in while it is not there."""
    if "needs.for_me" not in app.view_functions:
        app.add_url_rule("/needs/for-me", endpoint="needs.for_me", view_func=lambda: "")


def info(**overrides) -> MentorProfileInfo:
    values = {
        "headline": "Tidligere direktør i en eksportvirksomhed",
        "bio": "Jeg har 25 års erfaring med eksport og finansiering af små virksomheder.",
        "expertise": "Forretningsplan, Rekruttering, Vinimport fra Georgien",
        "sectors": ["manufacturing", "trade"],
        "languages": "Dansk, Engelsk",
        "hours_per_month": 6,
        "capacity": 2,
        "postcode": "8000",
        "max_distance_km": 40,
        "online": True,
    }
    values.update(overrides)
    return MentorProfileInfo(**values)


def form_data(**overrides) -> dict:
    data = {
        "headline": "Tidligere direktør i en eksportvirksomhed",
        "bio": "Jeg har 25 års erfaring med eksport og finansiering af små virksomheder.",
        "expertise": "Forretningsplan, Rekruttering",
        "sectors": ["manufacturing", "trade"],
        "languages": "Dansk, Engelsk",
        "hours_per_month": "6",
        "capacity": "2",
        "postcode": "8000",
        "max_distance_km": "40",
        "online": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def new_mentor(**kwargs) -> User:
    """A mentor account without a profile, as right after sign-up."""
    return UserFactory(role=Role.MENTOR, **kwargs)


def profile_row(user_id: int) -> dict | None:
    db.session.expire_all()
    profile = mentors.load_profile(user_id)
    if profile is None:
        return None
    return {
        "headline": profile.headline,
        "bio": profile.bio,
        "skills": [(s.skill_id, s.label) for s in profile.skills],
        "sectors": list(profile.sectors),
        "languages": list(profile.languages),
        "hours": profile.hours_per_month,
        "capacity": profile.capacity,
        "postcode": profile.postcode,
        "km": profile.max_distance_km,
        "online": profile.online,
        "approved_at": profile.approved_at,
    }


def notifications_of(user: User, kind: NotificationKind) -> list[Notification]:
    return list(
        db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        ).scalars()
    )


def access_rows(person_id: int, action: AccessAction) -> list[AccessLogEntry]:
    return list(
        db.session.execute(
            select(AccessLogEntry).where(
                AccessLogEntry.jobseeker_id == person_id, AccessLogEntry.action == action
            )
        ).scalars()
    )


# --- the profile ---------------------------------------------------------------------------


def test_save_profile_stores_everything_and_links_the_vocabulary(app) -> None:
    mentor = new_mentor()
    profile = mentors.save_profile(mentor, info())
    row = profile_row(mentor.id)
    labels = [label for _id, label in row["skills"]]
    assert labels[:2] == ["Forretningsplan", "Rekruttering"]
    assert all(skill_id is not None for skill_id, _label in row["skills"][:2])
    assert row["skills"][2][0] is None  # free text kept as typed
    assert row["sectors"] == ["manufacturing", "trade"]
    assert row["languages"] == ["Dansk", "Engelsk"]
    assert (row["hours"], row["capacity"], row["postcode"], row["km"]) == (6, 2, "8000", 40)
    assert row["online"] is True
    assert profile.approved_at is None and profile.paused_at is None


def test_online_only_needs_no_postcode(app) -> None:
    mentor = new_mentor()
    mentors.save_profile(mentor, info(postcode="", online=True))
    assert profile_row(mentor.id)["postcode"] == ""


BAD_INPUT = [
    ("headline", {"headline": "   "}),
    ("headline", {"headline": "x" * 161}),
    ("headline", {"headline": "Mit CPR er 010203-1234"}),
    ("bio", {"bio": ""}),
    ("bio", {"bio": "x" * 2001}),
    ("bio", {"bio": "Hej\x00"}),
    ("expertise", {"expertise": ""}),
    ("expertise", {"expertise": " , ,"}),
    ("expertise", {"expertise": ", ".join(f"Emne {i}" for i in range(26))}),
    ("expertise", {"expertise": "x" * 121}),
    ("sectors", {"sectors": ["rocket-science"]}),
    ("languages", {"languages": ", ".join(f"Sprog{i}" for i in range(11))}),
    ("languages", {"languages": "x" * 41}),
    ("hours_per_month", {"hours_per_month": 0}),
    ("hours_per_month", {"hours_per_month": 81}),
    ("hours_per_month", {"hours_per_month": None}),
    ("capacity", {"capacity": 0}),
    ("capacity", {"capacity": 999}),
    ("capacity", {"capacity": "x"}),
    ("capacity", {"capacity": "²"}),
    ("capacity", {"capacity": True}),
    ("capacity", {"capacity": -1}),
    ("postcode", {"postcode": "12"}),
    ("postcode", {"postcode": "0000"}),
    ("postcode", {"postcode": "abcd"}),
    ("postcode", {"postcode": "", "online": False}),
    ("max_distance_km", {"max_distance_km": 0}),
    ("max_distance_km", {"max_distance_km": 501}),
    ("max_distance_km", {"max_distance_km": "far"}),
]


@pytest.mark.parametrize(("field", "overrides"), BAD_INPUT)
def test_bad_profile_is_refused_and_changes_nothing(app, field, overrides) -> None:
    mentor = new_mentor()
    mentors.save_profile(mentor, info())
    before = profile_row(mentor.id)
    with pytest.raises(MentorProfileInvalid) as refused:
        mentors.save_profile(mentor, info(**overrides))
    assert [e.field for e in refused.value.errors] == [field]
    assert profile_row(mentor.id) == before


@pytest.mark.parametrize(("field", "overrides"), BAD_INPUT[:6])
def test_bad_first_profile_creates_nothing_and_tells_nobody(app, field, overrides) -> None:
    staff = BusinessStaffFactory()
    mentor = new_mentor()
    with pytest.raises(MentorProfileInvalid):
        mentors.save_profile(mentor, info(**overrides))
    assert profile_row(mentor.id) is None
    assert notifications_of(staff, NotificationKind.MENTOR_AWAITING_APPROVAL) == []


def test_every_refused_field_is_reported_at_once(app) -> None:
    mentor = new_mentor()
    with pytest.raises(MentorProfileInvalid) as refused:
        mentors.save_profile(
            mentor,
            info(headline="", expertise="", capacity=0, postcode="", online=False, sectors=["?"]),
        )
    fields = [e.field for e in refused.value.errors]
    assert fields == ["headline", "expertise", "sectors", "capacity", "postcode"]


def test_only_mentors_have_a_mentor_profile(app) -> None:
    with pytest.raises(Forbidden):
        mentors.save_profile(EntrepreneurFactory(), info())


def test_staff_are_told_once_when_a_mentor_first_completes_the_profile(app) -> None:
    admin = UserFactory(role=Role.ADMIN)
    staff = BusinessStaffFactory()
    disabled = BusinessStaffFactory(is_disabled=True)
    caseworker = CaseworkerFactory()
    mentor = new_mentor(name="Mette Mentor")
    mentors.save_profile(mentor, info())
    mentors.save_profile(mentor, info(headline="Ny overskrift"))
    for person in (admin, staff):
        notes = notifications_of(person, NotificationKind.MENTOR_AWAITING_APPROVAL)
        assert len(notes) == 1
        assert notes[0].params["name"] == "Mette Mentor"
        assert notes[0].actor_id == mentor.id
    assert notifications_of(disabled, NotificationKind.MENTOR_AWAITING_APPROVAL) == []
    assert notifications_of(caseworker, NotificationKind.MENTOR_AWAITING_APPROVAL) == []


def test_editing_an_approved_profile_keeps_it_approved(app) -> None:
    mentor = MentorFactory()
    approved_at = profile_row(mentor.id)["approved_at"]
    mentors.save_profile(mentor, info(capacity=3))
    row = profile_row(mentor.id)
    assert row["approved_at"] == approved_at and row["capacity"] == 3


# --- approval ------------------------------------------------------------------------------


def test_approve_sets_the_approval_tells_the_mentor_and_logs_it_once(app) -> None:
    staff = BusinessStaffFactory()
    mentor = MentorFactory(profile__approved=False)
    mentors.approve_mentor(staff, mentor.id)
    mentors.approve_mentor(staff, mentor.id)  # harmless
    profile = mentors.load_profile(mentor.id)
    assert profile.approved_at is not None and profile.approved_by_id == staff.id
    assert len(notifications_of(mentor, NotificationKind.MENTOR_APPROVED)) == 1
    rows = access_rows(mentor.id, AccessAction.APPROVE_MENTOR)
    assert [(r.actor_id, r.purpose.value) for r in rows] == [(staff.id, "mentor_programme")]


@pytest.mark.parametrize(
    "make", [EntrepreneurFactory, JobseekerFactory, CaseworkerFactory, MentorFactory]
)
def test_only_programme_staff_approve(app, make) -> None:
    mentor = MentorFactory(profile__approved=False)
    with pytest.raises(Forbidden):
        mentors.approve_mentor(make(), mentor.id)
    assert profile_row(mentor.id)["approved_at"] is None


def test_approving_someone_who_is_no_mentor_is_not_found(app) -> None:
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(NotFound):
        mentors.approve_mentor(admin, EntrepreneurFactory().id)
    with pytest.raises(NotFound):
        mentors.approve_mentor(admin, new_mentor().id)  # no profile yet


def test_pending_and_pool(app) -> None:
    staff = BusinessStaffFactory()
    waiting = MentorFactory(profile__approved=False, name="Anna Venter")
    approved = MentorFactory(name="Bent Godkendt", profile__capacity=2)
    MentorFactory(name="Carl Pause", profile__paused=True)
    need = mentor_need(EntrepreneurFactory())
    _mentorship(need, approved)
    assert [p.user_id for p in mentors.pending_mentors(staff)] == [waiting.id]
    assert len(access_rows(waiting.id, AccessAction.VIEW_MENTOR)) == 1
    pool = {row.profile.user.name: row for row in mentors.mentor_pool(staff)}
    assert set(pool) == {"Bent Godkendt", "Carl Pause"}
    assert pool["Bent Godkendt"].active == 1 and pool["Bent Godkendt"].state == "available"
    assert pool["Carl Pause"].state == "paused"


# --- pause ---------------------------------------------------------------------------------


def test_pause_and_resume(app) -> None:
    mentor = MentorFactory()
    mentors.pause_mentor(mentor)
    first = mentors.load_profile(mentor.id).paused_at
    mentors.pause_mentor(mentor)  # pausing twice keeps the first moment
    assert mentors.load_profile(mentor.id).paused_at == first is not None
    assert not mentors.is_visible(mentors.load_profile(mentor.id))
    mentors.resume_mentor(mentor)
    db.session.expire_all()
    assert mentors.load_profile(mentor.id).paused_at is None
    assert mentors.is_visible(mentors.load_profile(mentor.id))


@pytest.mark.parametrize(
    ("fields", "active", "state"),
    [
        ({}, 0, "available"),
        ({"profile__capacity": 2}, 1, "available"),
        ({"profile__capacity": 1}, 1, "full"),
        ({"profile__capacity": 1}, 3, "full"),  # the capacity was lowered
        ({"profile__paused": True}, 0, "paused"),
        ({"profile__paused": True, "profile__capacity": 1}, 1, "paused"),
        ({"profile__approved": False}, 0, "waiting"),
        ({"profile__approved": False, "profile__paused": True}, 0, "waiting"),
        ({"is_disabled": True}, 0, "disabled"),
        ({"is_disabled": True, "profile__approved": False}, 0, "disabled"),  # refused
        ({"anonymised_at": clock.now()}, 0, "disabled"),
    ],
)
def test_mentor_state_is_one_rule_with_visibility(app, fields, active, state) -> None:
    from taskboerse.services.mentor_docs import is_available

    profile = mentors.load_profile(MentorFactory(**fields).id)
    assert mentors.mentor_state(profile, active) == state
    assert (state == "available") == is_available(profile, active)
    assert (state in ("available", "full")) == mentors.is_visible(profile)
    assert mentors.mentor_state_label(state)


def test_pool_shows_each_state_once_as_a_label(app, login_as) -> None:
    full = MentorFactory(name="Fie Fuld", profile__capacity=1)
    _mentorship(mentor_need(EntrepreneurFactory()), full)
    MentorFactory(name="Pia Pause", profile__paused=True)
    MentorFactory(name="Dan Deaktiveret", is_disabled=True)
    MentorFactory(name="Lis Ledig")
    rows = {r.profile.user.name: r.state for r in mentors.mentor_pool(BusinessStaffFactory())}
    assert rows == {
        "Fie Fuld": "full",
        "Pia Pause": "paused",
        "Dan Deaktiveret": "disabled",
        "Lis Ledig": "available",
    }
    page = login_as(BusinessStaffFactory()).get("/mentors/approvals").get_data(as_text=True)
    for name, label in [
        ("Fie Fuld", "Fuld"),
        ("Pia Pause", "På pause"),
        ("Dan Deaktiveret", "Deaktiveret"),
        ("Lis Ledig", "Ledig"),
    ]:
        row = page.split(name, 1)[1].split("</tr>", 1)[0]
        assert f">{label}</span>" in row, (name, row)


# --- the web pages -------------------------------------------------------------------------


def test_signup_as_mentor_through_the_web_form(client) -> None:
    staff = BusinessStaffFactory()
    page = client.get("/auth/signup?role=mentor").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="mentor"', page)
    assert "Erfaren erhvervsperson, der vil rådgive unge iværksættere" in page
    response = client.post(
        "/auth/signup",
        data={
            "role": "mentor",
            "name": "Mads Mentor",
            "email": "mads@example.com",
            "password": "en lang og god sætning",
            "confirm": "en lang og god sætning",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mentors/profile")
    user = db.session.execute(select(User).where(User.email == "mads@example.com")).scalar_one()
    assert user.role == Role.MENTOR
    form = client.get("/mentors/profile")
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert "data-skill-input" in text
    assert "godkender" in text  # staff approve before entrepreneurs see it
    saved = client.post("/mentors/profile", data=form_data())
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/mentors/home")
    assert profile_row(user.id)["sectors"] == ["manufacturing", "trade"]
    assert len(notifications_of(staff, NotificationKind.MENTOR_AWAITING_APPROVAL)) == 1
    home = client.get("/mentors/home").get_data(as_text=True)
    assert "Venter på godkendelse" in home


def test_mentor_signup_through_the_service_and_admin_roles_refused(app) -> None:
    from taskboerse.services import accounts
    from taskboerse.services.errors import ValidationFailed

    user = accounts.sign_up(
        accounts.NewUser(email="m@example.com", name="M", role=Role.MENTOR, password="x" * 12)
    )
    assert user.role == Role.MENTOR
    for role in (Role.ADMIN, Role.CASEWORKER, Role.BUSINESS_STAFF):
        with pytest.raises(ValidationFailed):
            accounts.sign_up(
                accounts.NewUser(
                    email=f"{role}@example.com", name="X", role=role, password="x" * 12
                )
            )


def test_profile_form_shows_every_refusal_and_changes_nothing(app, login_as) -> None:
    mentor = MentorFactory()
    before = profile_row(mentor.id)
    client = login_as(mentor)
    response = client.post(
        "/mentors/profile",
        data=form_data(headline="", capacity="x", postcode="0000", sectors=["nope"]),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('role="alert"') >= 4
    assert "0000" in page
    assert profile_row(mentor.id) == before


@pytest.mark.parametrize("capacity", ["0", "999", "x", ""])
def test_profile_form_refuses_bad_capacity(app, login_as, capacity) -> None:
    mentor = MentorFactory()
    before = profile_row(mentor.id)
    response = login_as(mentor).post("/mentors/profile", data=form_data(capacity=capacity))
    assert response.status_code == 422
    assert "Skriv hvor mange iværksættere ad gangen: 1 til 10." in response.get_data(as_text=True)
    assert profile_row(mentor.id) == before


def test_profile_form_without_csrf_changes_nothing(app) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    mentor = MentorFactory()
    before = profile_row(mentor.id)
    client = app.test_client()
    client.post("/auth/login", data={"email": mentor.email, "password": "correct horse battery"})
    response = client.post("/mentors/profile", data=form_data(capacity="5"))
    assert response.status_code in (400, 422)
    assert profile_row(mentor.id) == before


def test_profile_form_is_prefilled(app, login_as) -> None:
    mentor = MentorFactory(profile__headline="Serieiværksætter", profile__sectors=["it"])
    page = login_as(mentor).get("/mentors/profile").get_data(as_text=True)
    assert 'value="Serieiværksætter"' in page
    assert re.search(r'<input[^>]*checked[^>]*value="it"', page)


def test_home_page_states_and_counts(app, login_as) -> None:
    mentor = MentorFactory(profile__capacity=2)
    entrepreneur = EntrepreneurFactory()
    need = mentor_need(entrepreneur)
    _mentorship(need, mentor)
    _request(mentor_need(entrepreneur, topic="export"), mentor)
    _question(answered=False)
    _question(answered=True)
    _question(answered=False, hidden=True)
    client = login_as(mentor)
    page = client.get("/mentors/home").get_data(as_text=True)
    assert "1 af 2 pladser i brug" in page
    assert "Iværksættere kan finde dig" in page
    with app.test_request_context():
        links = [url_for(e) for e in ("needs.requests", "mentorships.index", "questions.index")]
    assert all(f'href="{link}"' in page for link in links)
    overview = mentors.mentor_overview(mentor)
    assert (overview.active, overview.pending_requests, overview.unanswered_questions) == (1, 1, 1)

    assert client.post("/mentors/pause").status_code == 302
    page = client.get("/mentors/home").get_data(as_text=True)
    assert "Du er sat på pause" in page and "/mentors/resume" in page
    assert client.post("/mentors/resume").status_code == 302
    assert mentors.load_profile(mentor.id).paused_at is None


def test_home_page_before_the_profile(app, login_as) -> None:
    page = login_as(new_mentor()).get("/mentors/home").get_data(as_text=True)
    assert "/mentors/profile" in page
    assert "Udfyld din mentorprofil" in page


def test_pause_without_a_profile_points_to_the_form(app, login_as) -> None:
    response = login_as(new_mentor()).post("/mentors/pause")
    assert response.headers["Location"].endswith("/mentors/profile")


# --- the public profile --------------------------------------------------------------------


def test_entrepreneur_sees_an_approved_mentor_but_never_the_email(app, login_as) -> None:
    mentor = MentorFactory(email="hemmelig@example.com", profile__capacity=2)
    page = login_as(EntrepreneurFactory()).get(f"/mentors/{mentor.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "hemmelig@example.com" not in text
    assert "Tidligere økonomidirektør" in text
    assert "Forretningsplan" in text
    assert "Finans og forsikring" in text  # the sector's Danish label
    assert "2 ledige pladser" in text


def test_expertise_in_the_readers_language(app, login_as) -> None:
    mentor = MentorFactory()
    page = login_as(EntrepreneurFactory(locale="en")).get(f"/mentors/{mentor.id}")
    assert "Business planning" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "profile", [{"profile__approved": False}, {"profile__paused": True}, {"is_disabled": True}]
)
def test_hidden_mentor_is_not_found_for_entrepreneurs(app, login_as, profile) -> None:
    mentor = MentorFactory(**profile)
    assert login_as(EntrepreneurFactory()).get(f"/mentors/{mentor.id}").status_code == 404
    assert login_as(MentorFactory()).get(f"/mentors/{mentor.id}").status_code == 404
    assert login_as(BusinessStaffFactory()).get(f"/mentors/{mentor.id}").status_code == 200
    if not profile.get("is_disabled"):
        assert login_as(mentor).get(f"/mentors/{mentor.id}").status_code == 200


def test_public_profile_access_by_role(app, login_as, client) -> None:
    mentor = MentorFactory()
    url = f"/mentors/{mentor.id}"
    assert client.get(url).status_code == 302  # anonymous: to the login
    assert login_as(JobseekerFactory()).get(url).status_code == 403
    assert login_as(CaseworkerFactory()).get(url).status_code == 403
    assert login_as(UserFactory(role=Role.ADMIN)).get(url).status_code == 200
    entrepreneur = login_as(EntrepreneurFactory())
    assert entrepreneur.get(f"/mentors/{EntrepreneurFactory().id}").status_code == 404
    assert entrepreneur.get("/mentors/99999999999").status_code == 404


def test_staff_opening_a_profile_is_logged(app, login_as) -> None:
    mentor = MentorFactory()
    staff = BusinessStaffFactory()
    login_as(staff).get(f"/mentors/{mentor.id}")
    login_as(EntrepreneurFactory()).get(f"/mentors/{mentor.id}")
    login_as(mentor).get(f"/mentors/{mentor.id}")
    rows = access_rows(mentor.id, AccessAction.VIEW_MENTOR)
    assert [r.actor_id for r in rows] == [staff.id]


# --- the approval queue on the web ---------------------------------------------------------


def test_approval_through_the_queue_makes_the_mentor_visible(app, login_as) -> None:
    mentor = MentorFactory(profile__approved=False, name="Vera Venter", email="vera@example.com")
    entrepreneur = login_as(EntrepreneurFactory())
    assert entrepreneur.get(f"/mentors/{mentor.id}").status_code == 404
    staff = login_as(BusinessStaffFactory())
    page = staff.get("/mentors/approvals")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Vera Venter" in text and "vera@example.com" in text
    assert "Tidligere økonomidirektør" in text  # the whole profile
    assert f"/mentors/{mentor.id}/approve" in text
    response = staff.post(f"/mentors/{mentor.id}/approve")
    assert response.status_code == 302
    assert staff.post(f"/mentors/{mentor.id}/approve").status_code == 302  # harmless
    assert entrepreneur.get(f"/mentors/{mentor.id}").status_code == 200
    assert len(notifications_of(mentor, NotificationKind.MENTOR_APPROVED)) == 1
    assert len(access_rows(mentor.id, AccessAction.APPROVE_MENTOR)) == 1
    pool = staff.get("/mentors/approvals").get_data(as_text=True)
    assert "Godkendte mentorer" in pool and "0 af 2" in pool


@pytest.mark.parametrize(
    "make", [EntrepreneurFactory, JobseekerFactory, CaseworkerFactory, MentorFactory]
)
def test_queue_and_approve_are_for_staff_only(app, login_as, make) -> None:
    mentor = MentorFactory(profile__approved=False)
    client = login_as(make())
    assert client.get("/mentors/approvals").status_code == 403
    assert client.post(f"/mentors/{mentor.id}/approve").status_code == 403
    assert profile_row(mentor.id)["approved_at"] is None


def test_approve_unknown_mentor_is_404(app, login_as) -> None:
    client = login_as(UserFactory(role=Role.ADMIN))
    assert client.post("/mentors/424242/approve").status_code == 404
    assert client.post(f"/mentors/{EntrepreneurFactory().id}/approve").status_code == 404


@pytest.mark.parametrize("url", ["/mentors/profile", "/mentors/home"])
def test_mentor_pages_for_mentors_only(app, login_as, client, url) -> None:
    assert client.get(url).status_code == 302
    for make in (EntrepreneurFactory, JobseekerFactory, BusinessStaffFactory):
        assert login_as(make()).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/mentors/pause", "/mentors/resume"])
def test_pause_for_mentors_only(app, login_as, url) -> None:
    assert login_as(EntrepreneurFactory()).post(url).status_code == 403


def test_approvals_page_costs_the_same_for_more_mentors(app, login_as) -> None:
    client = login_as(BusinessStaffFactory())
    MentorFactory(profile__approved=False)
    MentorFactory()
    client.get("/mentors/approvals")  # the vocabulary is loaded once per process
    few = count_queries(client, "/mentors/approvals")
    for _ in range(3):
        MentorFactory(profile__approved=False)
        MentorFactory(profile__paused=True)
    assert count_queries(client, "/mentors/approvals") == few


def test_english_pages(app, login_as) -> None:
    mentor = MentorFactory(locale="en", profile__capacity=2)
    page = login_as(mentor).get("/mentors/home").get_data(as_text=True)
    assert "0 of 2 places in use" in page
    assert "Entrepreneurs can find you" in page


# --- helpers -------------------------------------------------------------------------------


def _request(need, mentor, status=RequestStatus.PENDING) -> MentorRequest:
    request = MentorRequest(
        need_id=need.id,
        mentor_id=mentor.id,
        message="Vil du hjælpe os?",
        status=status,
        expires_at=clock.now() + timedelta(days=7),
    )
    db.session.add(request)
    db.session.commit()
    return request


def _mentorship(need, mentor) -> Mentorship:
    request = _request(need, mentor, RequestStatus.ACCEPTED)
    today = clock.today()
    mentorship = Mentorship(
        request_id=request.id,
        need_id=need.id,
        mentor_id=mentor.id,
        entrepreneur_id=need.entrepreneur_id,
        status=MentorshipStatus.ACTIVE,
        start_on=today,
        end_on=today + timedelta(weeks=12),
    )
    db.session.add(mentorship)
    db.session.commit()
    return mentorship


def _question(answered: bool, hidden: bool = False) -> Question:
    question = Question(
        author_id=EntrepreneurFactory().id,
        title="Hvordan finder jeg investorer?",
        body="Vi mangler 500.000 kr.",
        hidden_at=clock.now() if hidden else None,
    )
    db.session.add(question)
    db.session.flush()
    if answered:
        db.session.add(Answer(question_id=question.id, author_id=None, body="Prøv Vækstfonden."))
    db.session.commit()
    return question


def test_hidden_answers_do_not_count_as_answers(app) -> None:
    mentor = MentorFactory()
    question = _question(answered=True)
    assert mentors.mentor_overview(mentor).unanswered_questions == 0
    db.session.execute(
        Answer.__table__.update()
        .where(Answer.question_id == question.id)
        .values(hidden_at=clock.now())
    )
    db.session.commit()
    assert mentors.mentor_overview(mentor).unanswered_questions == 1
    assert db.session.execute(select(func.count(Question.id))).scalar_one() == 1


def test_a_request_past_its_deadline_no_longer_waits(app, monkeypatch) -> None:
    """The menu badge and the start page count as the requests page does."""
    mentor = MentorFactory()
    entrepreneur = EntrepreneurFactory()
    _request(mentor_need(entrepreneur), mentor)
    late = _request(mentor_need(entrepreneur, topic="export"), mentor)
    late.expires_at = clock.now() - timedelta(minutes=1)  # the worker has not run yet
    db.session.commit()
    _request(mentor_need(entrepreneur, topic="law"), mentor, RequestStatus.DECLINED)
    assert mentors.waiting_requests(mentor.id) == 1
    assert mentors.mentor_overview(mentor).pending_requests == 1
    later = clock.now() + timedelta(days=8)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert mentors.waiting_requests(mentor.id) == 0


# --- the request card on the public profile -------------------------------------------------


def _card(page: str) -> str:
    return page.split('class="card mentor-request-card"', 1)[1].split("</section>", 1)[0]


def test_only_entrepreneurs_are_offered_to_ask_for_the_mentor(app, login_as) -> None:
    mentor = MentorFactory(name="Mona Mentor")
    url = f"/mentors/{mentor.id}"
    page = login_as(EntrepreneurFactory()).get(url).get_data(as_text=True)
    card = _card(page)
    assert "Vil du gerne have Mona Mentor som mentor?" in card
    with app.test_request_context():
        assert f'href="{url_for("needs.index")}"' in card
    for reader in (MentorFactory(), mentor, BusinessStaffFactory(), UserFactory(role=Role.ADMIN)):
        page = login_as(reader).get(url).get_data(as_text=True)
        assert "mentor-request-card" not in page and "Vil du gerne have" not in page
    assert mentors.open_public_profile(MentorFactory(), mentor.id).can_request is False


def test_an_entrepreneur_from_a_need_is_led_back_to_it(app, login_as) -> None:
    mentor = MentorFactory(name="Mona Mentor")
    entrepreneur = EntrepreneurFactory(locale="en")
    need = mentor_need(entrepreneur)
    page = login_as(entrepreneur).get(f"/mentors/{mentor.id}?need={need.id}")
    card = _card(page.get_data(as_text=True))
    with app.test_request_context():
        back = url_for("needs.detail", need_id=need.id, _anchor=f"mentor-{mentor.id}")
    assert f'href="{back}"' in card
    assert "Back to your need – ask Mona Mentor" in card


@pytest.mark.parametrize(
    "raw", ["other", "closed", "abc", "-1", "0", "1e3", "99999999999999999999999", " ", "²"]
)
def test_a_need_in_the_link_that_is_not_an_own_open_one_is_ignored(app, login_as, raw) -> None:
    mentor = MentorFactory()
    entrepreneur = EntrepreneurFactory()
    if raw == "other":
        raw = str(mentor_need(EntrepreneurFactory()).id)
    elif raw == "closed":
        need = mentor_need(entrepreneur)
        need.status = NeedStatus.CLOSED
        db.session.commit()
        raw = str(need.id)
    response = login_as(entrepreneur).get(f"/mentors/{mentor.id}", query_string={"need": raw})
    assert response.status_code == 200
    card = _card(response.get_data(as_text=True))
    with app.test_request_context():
        assert f'href="{url_for("needs.index")}"' in card
    assert "Tilbage til dit behov" not in card and "Back to your need" not in card


def test_a_mentor_or_staff_never_get_a_need_link(app) -> None:
    mentor = MentorFactory()
    entrepreneur = EntrepreneurFactory()
    need = mentor_need(entrepreneur)
    staff = BusinessStaffFactory()
    assert mentors.open_public_profile(staff, mentor.id, from_need=need.id).need_id is None
    assert mentors.open_public_profile(entrepreneur, mentor.id, from_need=need.id).need_id == (
        need.id
    )


# --- refusing a mentor ----------------------------------------------------------------------


def _state(user: User) -> tuple:
    db.session.expire_all()
    user = db.session.get(User, user.id)
    sessions = db.session.execute(
        select(func.count(LoginSession.id)).where(LoginSession.user_id == user.id)
    ).scalar_one()
    return (
        user.is_disabled,
        sessions,
        len(notifications_of(user, NotificationKind.ACCOUNT_DISABLED)),
        profile_row(user.id)["approved_at"],
    )


def test_reject_disables_ends_sessions_and_tells_the_mentor_why(app, login_as) -> None:
    staff = BusinessStaffFactory()
    mentor = MentorFactory(profile__approved=False)
    mentor_client = login_as(mentor)
    db.session.add(
        ApiToken(user_id=mentor.id, token_hash="x" * 64, expires_at=clock.now() + timedelta(days=1))
    )
    db.session.commit()
    assert mentor_client.get("/mentors/home").status_code == 200

    mentors.reject_mentor(staff, mentor.id, "  Vi mangler erfaring med iværksætteri.  ")
    assert _state(mentor) == (True, 0, 1, None)
    note = notifications_of(mentor, NotificationKind.ACCOUNT_DISABLED)[0]
    assert note.params["reason"] == "Vi mangler erfaring med iværksætteri."
    assert note.actor_id == staff.id
    assert not db.session.execute(select(ApiToken).where(ApiToken.user_id == mentor.id)).all()
    assert mentor_client.get("/mentors/home").status_code == 302  # logged out
    assert [p.user_id for p in mentors.pending_mentors(staff)] == []
    with pytest.raises(NotFound):  # refused already: nothing more happens
        mentors.reject_mentor(staff, mentor.id, "Igen")
    assert _state(mentor) == (True, 0, 1, None)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501, "CPR 010190-1234", "Nej\x00tak", None])
def test_reject_needs_a_proper_reason_and_changes_nothing_without(app, reason) -> None:
    mentor = MentorFactory(profile__approved=False)
    with pytest.raises(ValidationFailed) as error:
        mentors.reject_mentor(BusinessStaffFactory(), mentor.id, reason)
    assert error.value.field == "reason"
    assert _state(mentor) == (False, 0, 0, None)


@pytest.mark.parametrize(
    "make", [EntrepreneurFactory, JobseekerFactory, CaseworkerFactory, MentorFactory]
)
def test_only_programme_staff_reject(app, make) -> None:
    mentor = MentorFactory(profile__approved=False)
    with pytest.raises(Forbidden):
        mentors.reject_mentor(make(), mentor.id, "Nej tak")
    assert _state(mentor) == (False, 0, 0, None)


def test_only_a_waiting_mentor_can_be_refused(app) -> None:
    admin = UserFactory(role=Role.ADMIN)
    approved = MentorFactory()
    for user_id in (approved.id, EntrepreneurFactory().id, new_mentor().id, 424242):
        with pytest.raises(NotFound):
            mentors.reject_mentor(admin, user_id, "Nej tak")
    assert _state(approved)[:3] == (False, 0, 0)


def test_refusal_through_the_queue(app, login_as) -> None:
    mentor = MentorFactory(profile__approved=False, name="Rasmus Afvist")
    client = login_as(UserFactory(role=Role.ADMIN, locale="en"))
    page = client.get("/mentors/approvals").get_data(as_text=True)
    assert f'action="/mentors/{mentor.id}/reject"' in page
    assert f'id="reject-reason-{mentor.id}"' in page and "Refuse Rasmus Afvist" in page

    response = client.post(f"/mentors/{mentor.id}/reject", data={"reason": ""})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Give the reason for refusing" in text and "Rasmus Afvist" in text
    assert '<details class="reject-mentor" open>' in text
    assert _state(mentor) == (False, 0, 0, None)
    response = client.post(f"/mentors/{mentor.id}/reject", data={"reason": "x" * 501})
    assert response.status_code == 422
    assert _state(mentor) == (False, 0, 0, None)

    response = client.post(f"/mentors/{mentor.id}/reject", data={"reason": "Ikke relevant."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mentors/approvals")
    assert _state(mentor)[:3] == (True, 0, 1)
    page = client.get("/mentors/approvals").get_data(as_text=True)
    assert f"/mentors/{mentor.id}/reject" not in page
    assert client.post(f"/mentors/{mentor.id}/reject", data={"reason": "Igen"}).status_code == 404


def test_reject_route_is_404_for_no_waiting_mentor(app, login_as) -> None:
    client = login_as(BusinessStaffFactory())
    approved = MentorFactory()
    for user_id in (approved.id, EntrepreneurFactory().id, 424242):
        url = f"/mentors/{user_id}/reject"
        assert client.post(url, data={"reason": "Nej tak"}).status_code == 404
        assert client.post(url, data={"reason": ""}).status_code == 404
    assert _state(approved)[:3] == (False, 0, 0)


@pytest.mark.parametrize(
    "make", [EntrepreneurFactory, JobseekerFactory, CaseworkerFactory, MentorFactory]
)
def test_reject_route_is_for_staff_only(app, login_as, client, make) -> None:
    mentor = MentorFactory(profile__approved=False)
    url = f"/mentors/{mentor.id}/reject"
    assert client.post(url, data={"reason": "Nej tak"}).status_code == 302  # to the login
    assert login_as(make()).post(url, data={"reason": "Nej tak"}).status_code == 403
    assert _state(mentor) == (False, 0, 0, None)


def test_reject_without_csrf_changes_nothing(app, login_as) -> None:
    mentor = MentorFactory(profile__approved=False)
    client = login_as(BusinessStaffFactory())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/mentors/{mentor.id}/reject", data={"reason": "Nej tak"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code in (400, 422)
    assert _state(mentor) == (False, 0, 0, None)
