"""The business service's follow-up on the mentor programme: who may see it, the waiting and
overdue rules, small-group folding in the tables and the CSV, what the staff mentorship page
never shows, and the access log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessLogEntry,
    AccessPurpose,
    MeetingNote,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    NeedStatus,
    Outcome,
    RequestStatus,
    Role,
    User,
)
from taskboerse.models.message import Message
from taskboerse.models.types import utcnow
from taskboerse.services import clock, statistics
from taskboerse.services import mentor_programme as programme
from tests.factories import (
    BusinessStaffFactory,
    CompanyFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
    mentor_need,
)
from tests.helpers import count_queries


@pytest.fixture
def staff(app) -> User:
    return BusinessStaffFactory(name="Bodil Erhverv", locale="en")


@pytest.fixture
def staff_client(staff, login_as):
    return login_as(staff)


def _entrepreneur(name: str) -> User:
    return CompanyFactory(owner__name=name).owner


def _request(need, mentor, status=RequestStatus.PENDING, reason="") -> MentorRequest:
    req = MentorRequest(
        need_id=need.id,
        mentor_id=mentor.id,
        message="Vil du hjælpe os?",
        status=status,
        decline_reason=reason,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(req)
    db.session.commit()
    return req


def _mentorship(
    entrepreneur=None,
    mentor=None,
    topic="financing",
    frequency="monthly",
    started_days_ago=20,
    weeks=12,
    status=MentorshipStatus.ACTIVE,
    outcome=None,
) -> Mentorship:
    entrepreneur = entrepreneur or _entrepreneur("Eva Iværksætter")
    mentor = mentor or MentorFactory(name="Mads Mentor")
    need = mentor_need(entrepreneur, topic=topic, frequency=frequency)
    need.status = NeedStatus.MATCHED
    req = _request(need, mentor, RequestStatus.ACCEPTED)
    start = clock.today() - timedelta(days=started_days_ago)
    ship = Mentorship(
        request_id=req.id,
        need_id=need.id,
        mentor_id=mentor.id,
        entrepreneur_id=entrepreneur.id,
        start_on=start,
        end_on=start + timedelta(weeks=weeks),
        status=status,
        outcome=outcome,
        ended_at=None if status == MentorshipStatus.ACTIVE else utcnow(),
    )
    db.session.add(ship)
    db.session.commit()
    return ship


def _backdate(need, days: int) -> None:
    need.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


# --- access -------------------------------------------------------------------------------


def _urls(app) -> list[str]:
    ship = _mentorship()
    return [
        "/programme/",
        f"/programme/needs/{ship.need_id}",
        f"/programme/mentorships/{ship.id}",
        "/programme/export/outcomes.csv",
        "/programme/export/waiting-needs.csv",
    ]


@pytest.mark.parametrize(
    "make",
    [
        JobseekerFactory,
        EntrepreneurFactory,
        MentorFactory,
        lambda: UserFactory(role=Role.CASEWORKER),
    ],
    ids=["graduate", "entrepreneur", "mentor", "caseworker"],
)
def test_only_programme_staff_get_in(app, login_as, make) -> None:
    urls = _urls(app)
    client = login_as(make())
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert db.session.execute(select(AccessLogEntry)).first() is None


@pytest.mark.parametrize("role", [Role.ADMIN, Role.BUSINESS_STAFF])
def test_admin_and_business_staff_get_in(app, login_as, role) -> None:
    urls = _urls(app)
    client = login_as(UserFactory(role=role))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login(app, client) -> None:
    for url in _urls(app):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location, url


@pytest.mark.parametrize(
    "url", ["/programme/needs/999999", "/programme/mentorships/999999", "/programme/needs/abc"]
)
def test_unknown_objects_are_404(staff_client, url) -> None:
    assert staff_client.get(url).status_code == 404


def test_the_service_refuses_other_roles(app) -> None:
    with pytest.raises(programme.Forbidden):
        programme.programme_overview(MentorFactory())


# --- waiting needs ------------------------------------------------------------------------


def test_a_need_waiting_over_30_days_is_flagged_and_listed_first(staff_client) -> None:
    fresh = mentor_need(_entrepreneur("Frida Frisk"), topic="marketing")
    _backdate(fresh, 30)  # exactly 30 days: not yet flagged
    old = mentor_need(_entrepreneur("Otto Gammel"), topic="export")
    _backdate(old, 31)
    matched = mentor_need(_entrepreneur("Mette Matchet"))
    matched.status = NeedStatus.MATCHED
    db.session.commit()
    declined = mentor_need(_entrepreneur("Dorte Afvist"))
    _request(declined, MentorFactory(name="Mona Mentor"), RequestStatus.DECLINED, "Ingen tid")

    rows = programme.waiting_needs()
    assert [r.entrepreneur_name for r in rows] == ["Otto Gammel", "Frida Frisk", "Dorte Afvist"]
    assert [r.flagged for r in rows] == [True, False, False]
    assert rows[0].days_waiting == 31 and rows[0].request_state == "none"
    assert rows[2].request_state == "declined"

    page = staff_client.get("/programme/").get_data(as_text=True)
    assert "Waiting over 30 days" in page
    assert page.index("Otto Gammel") < page.index("Frida Frisk")
    assert "Mette Matchet" not in page
    assert "Declined" in page


def test_moving_the_clock_flags_a_need(app, monkeypatch) -> None:
    need = mentor_need(_entrepreneur("Tim Tid"))
    assert not programme.waiting_needs()[0].flagged
    later = clock.now() + timedelta(days=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    row = programme.waiting_needs()[0]
    assert row.need_id == need.id and row.flagged and row.days_waiting == 31


# --- mentorships in progress --------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "days", "overdue"),
    [
        ("weekly", 14, False),
        ("weekly", 15, True),
        ("fortnightly", 21, False),
        ("fortnightly", 22, True),
        ("monthly", 42, False),
        ("monthly", 43, True),
        ("as_needed", 60, False),
        ("as_needed", 61, True),
    ],
)
def test_the_overdue_rule_follows_the_frequency(frequency, days, overdue) -> None:
    today = date(2026, 5, 1)
    assert programme.meeting_overdue(frequency, today - timedelta(days=days), today) is overdue


def test_overdue_counts_from_the_last_held_meeting_or_the_start(staff_client) -> None:
    never = _mentorship(_entrepreneur("Nina Nymøde"), frequency="monthly", started_days_ago=50)
    met = _mentorship(_entrepreneur("Mikkel Mødt"), frequency="monthly", started_days_ago=50)
    db.session.add(MentorshipMeeting(mentorship_id=met.id, held_on=clock.today() - timedelta(10)))
    # A planned meeting ahead is no meeting yet.
    db.session.add(
        MentorshipMeeting(mentorship_id=never.id, held_on=clock.today() + timedelta(days=3))
    )
    ending = _mentorship(
        _entrepreneur("Emil Ender"), frequency="weekly", started_days_ago=80, weeks=12
    )
    db.session.add(MentorshipMeeting(mentorship_id=ending.id, held_on=clock.today()))
    db.session.commit()

    rows = {r.entrepreneur_name: r for r in programme.running_mentorships()}
    assert rows["Nina Nymøde"].overdue and rows["Nina Nymøde"].last_meeting is None
    assert not rows["Mikkel Mødt"].overdue
    assert rows["Mikkel Mødt"].last_meeting == clock.today() - timedelta(days=10)
    assert rows["Emil Ender"].ends_soon and rows["Emil Ender"].days_left == 4
    assert (rows["Emil Ender"].week, rows["Emil Ender"].weeks) == (12, 12)
    assert (rows["Mikkel Mødt"].week, rows["Mikkel Mødt"].weeks) == (8, 12)

    page = staff_client.get("/programme/").get_data(as_text=True)
    assert "Overdue for a meeting: no meeting in 50 days" in page
    assert "Ends in 4 days" in page
    assert "week 8 of 12" in page

    # The mentorship's own page says the same as the overview (the course's rules).
    for ship in (never, met, ending):
        f = programme.mentorship_file(BusinessStaffFactory(), ship.id)
        row = rows[ship.entrepreneur.name]
        assert (f.week, f.weeks, f.last_meeting, f.overdue) == (
            row.week,
            row.weeks,
            row.last_meeting,
            row.overdue,
        )


# --- folding ------------------------------------------------------------------------------


def test_fold_small_groups() -> None:
    fold = statistics.fold_small_groups
    assert fold([("a", [1] * 5), ("b", [1] * 5)], 5) == (
        [("a", [1] * 5), ("b", [1] * 5)],
        [],
        False,
    )
    # Two small groups reach the threshold together.
    shown, rest, widened = fold([("a", [1] * 6), ("b", [2] * 3), ("c", [3] * 2)], 5)
    assert [k for k, _m in shown] == ["a"] and rest == [2, 2, 2, 3, 3] and not widened
    # A lone small group takes the smallest shown one with it.
    shown, rest, widened = fold([("a", [1] * 6), ("b", [2] * 5), ("c", [3])], 5)
    assert [k for k, _m in shown] == ["a"] and len(rest) == 6 and widened
    # Everything folded: nothing to show.
    assert fold([("a", [1] * 5), ("b", [2])], 5) == ([], [], True)


def _ended(outcome: Outcome, topic: str = "financing", n: int = 1) -> None:
    for _i in range(n):
        _mentorship(
            _entrepreneur("Anne Afsluttet"),
            MentorFactory(name="Morten Mentor"),
            topic=topic,
            status=MentorshipStatus.COMPLETED,
            outcome=outcome,
            started_days_ago=100,
        )


def test_small_groups_are_folded_in_the_tables_and_the_csv(app, staff_client) -> None:
    app.config["STATS_MIN_GROUP"] = 3
    _ended(Outcome.FUNDING, n=4)
    _ended(Outcome.PLAN, n=3)
    _ended(Outcome.FIRST_EXPORT, n=1)  # alone: it must not be seen

    out = programme.outcomes()
    assert [(line.count, line.folded) for line in out.by_outcome.lines] == [(4, False), (4, True)]
    page = staff_client.get("/programme/").get_data(as_text=True)
    assert "Funding obtained" in page
    assert "First export order" not in page and "A clearer plan" not in page
    assert "Other groups, put together so that no line has fewer than 3" in page
    # Every chart has its numbers in a table too.
    assert 'id="outcome-chart"' in page and '<th scope="row">Funding obtained</th>' in page

    response = staff_client.get("/programme/export/outcomes.csv")
    text = response.get_data().decode("utf-8-sig")
    assert response.mimetype == "text/csv"
    assert "Funding obtained;4" in text
    assert "First export order" not in text and "A clearer plan" not in text
    assert "Anne Afsluttet" not in text and "Morten Mentor" not in text


def test_a_breakdown_too_small_to_show_says_so(app, staff_client) -> None:
    app.config["STATS_MIN_GROUP"] = 5
    _ended(Outcome.FUNDING, n=2)
    page = staff_client.get("/programme/").get_data(as_text=True)
    assert "Too few to show this breakdown: every line must have at least 5." in page
    assert "Funding obtained" not in page
    text = staff_client.get("/programme/export/outcomes.csv").get_data().decode("utf-8-sig")
    assert "Too few to show this breakdown" in text and "Funding obtained" not in text


def test_average_ratings_need_enough_answers(app) -> None:
    app.config["STATS_MIN_GROUP"] = 2
    for rating in (4, 5):
        ship = _mentorship(status=MentorshipStatus.COMPLETED, outcome=Outcome.PLAN)
        db.session.add(
            MentorshipFeedback(
                mentorship_id=ship.id,
                author_id=ship.entrepreneur_id,
                side="entrepreneur",
                rating=rating,
                comment="Rigtig god sparring.",
            )
        )
    db.session.commit()
    ratings = {r.side: r for r in programme.outcomes().ratings}
    assert ratings["entrepreneur"].average == 4.5
    assert ratings["mentor"].average is None and ratings["mentor"].count == 0


# --- the staff pages ----------------------------------------------------------------------


def test_the_mentorship_page_never_shows_private_notes_or_messages(app, staff_client) -> None:
    app.config["STATS_MIN_GROUP"] = 1  # one ended mentorship: its sentence may be shown
    ship = _mentorship(_entrepreneur("Pia Privat"), status=MentorshipStatus.COMPLETED)
    meeting = MentorshipMeeting(
        mentorship_id=ship.id, held_on=clock.today() - timedelta(days=5), agenda="Budget 2027"
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all(
        [
            MeetingNote(meeting_id=meeting.id, author_id=ship.mentor_id, body="HEMMELIG-MENTOR"),
            MeetingNote(meeting_id=meeting.id, author_id=ship.entrepreneur_id, body="HEMMELIG-IV"),
            Message(mentorship_id=ship.id, sender_id=ship.mentor_id, body="PRIVAT-BESKED"),
            MentorshipFeedback(
                mentorship_id=ship.id,
                author_id=ship.entrepreneur_id,
                side="entrepreneur",
                rating=5,
                comment="Fik styr på budgettet.",
            ),
        ]
    )
    db.session.commit()
    page = staff_client.get(f"/programme/mentorships/{ship.id}").get_data(as_text=True)
    assert "Budget 2027" in page and "Fik styr på budgettet." in page
    assert "Pia Privat" in page and "Mads Mentor" in page
    for secret in ("HEMMELIG-MENTOR", "HEMMELIG-IV", "PRIVAT-BESKED"):
        assert secret not in page
    # The overview shows the sentence without the author's name.
    overview = staff_client.get("/programme/").get_data(as_text=True)
    assert "Fik styr på budgettet." in overview and "Pia Privat" not in overview


def test_the_need_page_shows_requests_and_their_outcomes(staff_client) -> None:
    need = mentor_need(_entrepreneur("Rikke Rejser"), topic="export")
    _request(need, MentorFactory(name="Mona Mentor"), RequestStatus.DECLINED, "Kender ikke Asien")
    _request(need, MentorFactory(name="Jens Mentor"), RequestStatus.PENDING)
    page = staff_client.get(f"/programme/needs/{need.id}").get_data(as_text=True)
    assert "Rikke Rejser" in page and "Export and new markets" in page
    assert "Mona Mentor" in page and "Kender ikke Asien" in page and "Declined" in page
    assert "Jens Mentor" in page and "Awaiting answer" in page


def _log(action: AccessAction) -> list[tuple[int, int]]:
    return [
        (row.actor_id, row.jobseeker_id)
        for row in db.session.execute(
            select(AccessLogEntry)
            .where(AccessLogEntry.action == action)
            .order_by(AccessLogEntry.id)
        ).scalars()
    ]


def test_opening_a_need_or_a_mentorship_is_logged_for_each_person(staff, staff_client) -> None:
    ship = _mentorship()
    need = mentor_need(_entrepreneur("Lone Logget"))
    asked = MentorFactory(name="Allan Adspurgt")
    _request(need, asked, RequestStatus.EXPIRED)

    staff_client.get(f"/programme/needs/{need.id}")
    assert _log(AccessAction.VIEW_MENTOR_NEED) == [
        (staff.id, need.entrepreneur_id),
        (staff.id, asked.id),
    ]
    staff_client.get(f"/programme/mentorships/{ship.id}")
    staff_client.get(f"/programme/mentorships/{ship.id}")  # every time
    assert (
        _log(AccessAction.VIEW_MENTORSHIP)
        == [
            (staff.id, ship.entrepreneur_id),
            (staff.id, ship.mentor_id),
        ]
        * 2
    )
    row = db.session.execute(select(AccessLogEntry)).scalars().first()
    assert row.purpose == AccessPurpose.MENTOR_PROGRAMME and row.actor_role == "business_staff"


def test_the_overview_is_logged_once_a_day_per_person(staff, staff_client, monkeypatch) -> None:
    ship = _mentorship()
    need = mentor_need(_entrepreneur("Vera Venter"))
    expected = {
        (staff.id, need.entrepreneur_id),
        (staff.id, ship.entrepreneur_id),
        (staff.id, ship.mentor_id),
    }
    staff_client.get("/programme/")
    staff_client.get("/programme/")
    assert sorted(_log(AccessAction.VIEW_PROGRAMME)) == sorted(expected)
    tomorrow = clock.now() + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    staff_client.get("/programme/")
    assert len(_log(AccessAction.VIEW_PROGRAMME)) == 6


def test_the_waiting_needs_csv_has_names_and_is_logged(staff, staff_client) -> None:
    need = mentor_need(_entrepreneur("Carl Csv"), topic="law")
    _backdate(need, 40)
    response = staff_client.get("/programme/export/waiting-needs.csv")
    text = response.get_data().decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("Entrepreneur;Company;Topic;Posted;Days waiting")
    assert "Carl Csv" in lines[1] and "Contracts and law" in lines[1] and ";40;" in lines[1]
    assert lines[1].endswith(";ja")  # flagged
    assert _log(AccessAction.EXPORT_PROGRAMME) == [(staff.id, need.entrepreneur_id)]


def test_the_outcome_csv_has_months_and_no_names(staff_client) -> None:
    _mentorship(_entrepreneur("Nanna Navn"))
    text = staff_client.get("/programme/export/outcomes.csv").get_data().decode("utf-8-sig")
    assert text.startswith("Table;Group;Value")
    assert f"Mentorships started per month;{clock.today():%Y-%m};1" in text
    assert "Nanna Navn" not in text and "Mads Mentor" not in text
    assert not _log(AccessAction.EXPORT_PROGRAMME)


def test_empty_programme_says_what_to_do(staff_client) -> None:
    page = staff_client.get("/programme/").get_data(as_text=True)
    assert "No need is waiting for a mentor." in page
    assert "No mentorship is in progress." in page
    assert "No mentorship has ended yet." in page


def test_headline_figures_link_to_approvals_and_questions(staff_client) -> None:
    MentorFactory(profile__approved=False)
    MentorFactory(profile__paused=True)
    MentorFactory()
    _mentorship(mentor=MentorFactory(profile__capacity=1))  # full
    MentorFactory(is_disabled=True)  # not counted
    MentorFactory(is_disabled=True, profile__approved=False)  # refused: no longer waiting
    page = staff_client.get("/programme/").get_data(as_text=True)
    assert 'href="/mentors/approvals"' in page and 'href="/questions/"' in page
    overview = programme.programme_overview(BusinessStaffFactory())
    assert (
        overview.mentors_available,
        overview.mentors_paused,
        overview.mentors_full,
        overview.mentors_awaiting,
    ) == (1, 1, 1, 1)


def _commented(name: str, comment: str = "") -> Mentorship:
    ship = _mentorship(
        _entrepreneur(name),
        MentorFactory(name=f"Mentor for {name}"),
        status=MentorshipStatus.COMPLETED,
        outcome=Outcome.PLAN,
        started_days_ago=100,
    )
    if comment:
        db.session.add(
            MentorshipFeedback(
                mentorship_id=ship.id,
                author_id=ship.entrepreneur_id,
                side="entrepreneur",
                rating=5,
                comment=comment,
            )
        )
        db.session.commit()
    return ship


def test_feedback_sentences_wait_for_enough_ended_mentorships(app, staff_client) -> None:
    app.config["STATS_MIN_GROUP"] = 3
    _commented("Frida Først", "Min mentor åbnede døre hos banken.")
    _commented("Gorm Gem")
    assert programme.outcomes().comments == []
    page = staff_client.get("/programme/").get_data(as_text=True)
    assert "Min mentor åbnede døre" not in page
    assert "Too few mentorships have ended to show feedback sentences" in page
    assert "at least 3 must have ended" in page

    _commented("Hans Tredje")
    assert [c.comment for c in programme.outcomes().comments] == [
        "Min mentor åbnede døre hos banken."
    ]
    page = staff_client.get("/programme/").get_data(as_text=True)
    assert "Min mentor åbnede døre hos banken." in page
    assert "Too few mentorships have ended" not in page


def test_both_parties_of_a_quoted_sentence_are_in_the_access_log(app, staff, staff_client):
    app.config["STATS_MIN_GROUP"] = 2
    quoted = _commented("Karen Citeret", "Rigtig god sparring om eksport.")
    silent = _commented("Lars Tavs")
    overview = programme.programme_overview(staff)
    assert quoted.entrepreneur_id in overview.people_listed
    assert quoted.mentor_id in overview.people_listed
    assert silent.entrepreneur_id not in overview.people_listed
    logged = set(_log(AccessAction.VIEW_PROGRAMME))
    assert logged == {(staff.id, quoted.entrepreneur_id), (staff.id, quoted.mentor_id)}
    staff_client.get("/programme/")  # once a day
    assert len(_log(AccessAction.VIEW_PROGRAMME)) == 2


def test_the_overview_costs_a_fixed_number_of_queries(staff_client) -> None:
    _mentorship()
    _mentorship(_entrepreneur("Slut"), MentorFactory(), status=MentorshipStatus.ENDED)
    _request(mentor_need(_entrepreneur("En")), MentorFactory())
    one = count_queries(staff_client, "/programme/")
    for i in range(4):
        _mentorship(_entrepreneur(f"Flere {i}"), MentorFactory(), status=MentorshipStatus.ENDED)
        _mentorship(_entrepreneur(f"Aktiv {i}"), MentorFactory())
        _request(mentor_need(_entrepreneur(f"Venter {i}")), MentorFactory())
    assert count_queries(staff_client, "/programme/") == one


# --- admin: the new roles -----------------------------------------------------------------


@pytest.fixture
def admin_client(login_as):
    return login_as(UserFactory(role=Role.ADMIN, locale="en"))


@pytest.mark.parametrize("role", [Role.BUSINESS_STAFF, Role.MENTOR])
def test_an_admin_creates_business_service_and_mentor_accounts(admin_client, role) -> None:
    form = admin_client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="business_staff"' in form and 'value="mentor"' in form
    response = admin_client.post(
        "/admin/users/new",
        data={
            "role": role.value,
            "name": "Ny Bruger",
            "email": "ny@kommune.example",
            "password": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.execute(select(User).where(User.email == "ny@kommune.example")).scalar_one()
    assert user.role == role
    listed = admin_client.get(f"/admin/users?role={role.value}").get_data(as_text=True)
    assert "Ny Bruger" in listed


def test_the_user_list_filters_by_the_new_roles(admin_client) -> None:
    BusinessStaffFactory(name="Berit Erhverv")
    MentorFactory(name="Max Mentor")
    page = admin_client.get("/admin/users?role=business_staff").get_data(as_text=True)
    assert "Berit Erhverv" in page and "Max Mentor" not in page
    page = admin_client.get("/admin/users?role=mentor").get_data(as_text=True)
    assert "Max Mentor" in page and "Berit Erhverv" not in page


def test_an_admin_moves_a_caseworker_to_the_business_service(admin_client) -> None:
    user = UserFactory(role=Role.CASEWORKER, name="Kaj Skifter")
    response = admin_client.post(
        f"/admin/users/{user.id}/edit",
        data={"name": user.name, "email": user.email, "role": "business_staff"},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == Role.BUSINESS_STAFF


def test_a_mentor_with_a_mentorship_keeps_the_role(admin_client) -> None:
    ship = _mentorship(mentor=MentorFactory(name="Bo Bundet"))
    mentor = db.session.get(User, ship.mentor_id)
    response = admin_client.post(
        f"/admin/users/{mentor.id}/edit",
        data={"name": mentor.name, "email": mentor.email, "role": "business_staff"},
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "a mentor profile" in text and "1 mentorship" in text and "as a mentor" in text
    db.session.refresh(mentor)
    assert mentor.role == Role.MENTOR
    # An entrepreneur's mentor needs tie them to the role too.
    entrepreneur = db.session.get(User, ship.entrepreneur_id)
    response = admin_client.post(
        f"/admin/users/{entrepreneur.id}/edit",
        data={"name": entrepreneur.name, "email": entrepreneur.email, "role": "mentor"},
    )
    assert response.status_code == 422 and "1 mentor need" in response.get_data(as_text=True)
