"""The course of a mentorship: only the two parties open it, meetings with a shared agenda
and private notes (never seen by the other side or by staff), the end (early or completed),
feedback once and only at the end, the entrepreneur's outcome, the conversation and the
worker's completion of forgotten mentorships."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    MeetingNote,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    Message,
    NeedStatus,
    Notification,
    NotificationKind,
    OutboxMessage,
    RequestStatus,
    Role,
)
from taskboerse.models.types import utcnow
from taskboerse.services import clock, conversations, mentorships
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests.factories import (
    BusinessStaffFactory,
    CaseworkerFactory,
    CompanyFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
    mentor_need,
)

SECRET_NOTE = "Hemmelig note: iværksætteren virker usikker på budgettet"
ENT_NOTE = "Min egen note: husk at sende regnskabet"


def make_mentorship(
    mentor=None, entrepreneur=None, start: date | None = None, weeks: int = 12, **need_fields
) -> Mentorship:
    """An accepted request's mentorship, as the request helper creates it."""
    mentor = mentor or MentorFactory(name="Mette Mentor")
    entrepreneur = entrepreneur or CompanyFactory(owner__name="Ida Iværksætter").owner
    need = mentor_need(entrepreneur, **need_fields)
    need.status = NeedStatus.MATCHED
    request = MentorRequest(
        need_id=need.id,
        mentor_id=mentor.id,
        message="Vil du være min mentor?",
        status=RequestStatus.ACCEPTED,
        expires_at=utcnow() + timedelta(days=7),
        answered_at=utcnow(),
    )
    db.session.add(request)
    db.session.flush()
    start = start or clock.today() - timedelta(days=15)
    mentorship = Mentorship(
        request_id=request.id,
        need_id=need.id,
        mentor_id=mentor.id,
        entrepreneur_id=entrepreneur.id,
        start_on=start,
        end_on=start + timedelta(weeks=weeks),
        status=MentorshipStatus.ACTIVE,
    )
    db.session.add(mentorship)
    db.session.commit()
    return mentorship


def english(*users) -> None:
    for user in users:
        user.locale = "en"
    db.session.commit()


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def url(m: Mentorship, tail: str = "") -> str:
    return f"/mentorships/{m.id}{tail}"


@pytest.fixture
def ms(app) -> Mentorship:
    return make_mentorship()


# --- list and page ----------------------------------------------------------------------------


def test_both_parties_see_the_mentorship_with_the_period(ms, login_as) -> None:
    english(ms.mentor, ms.entrepreneur)
    for user, other in ((ms.mentor, ms.entrepreneur), (ms.entrepreneur, ms.mentor)):
        client = login_as(user)
        listed = client.get("/mentorships/").get_data(as_text=True)
        assert other.name in listed and "Financing and investors" in listed
        assert "week 3 of 12" in listed
        page = client.get(url(ms)).get_data(as_text=True)
        assert "Mentorship with " + other.name in page
        assert "Vi skal rejse kapital til vores første år." in page  # the need's text
        assert "week 3 of 12" in page


def test_list_puts_active_first_and_flags_an_overdue_meeting(app) -> None:
    mentor = MentorFactory()
    old = make_mentorship(mentor=mentor, start=clock.today() - timedelta(days=200))
    old.status = MentorshipStatus.COMPLETED
    overdue = make_mentorship(mentor=mentor, start=clock.today() - timedelta(days=50))
    fresh = make_mentorship(mentor=mentor, start=clock.today() - timedelta(days=20))
    db.session.add(MentorshipMeeting(mentorship_id=fresh.id, held_on=clock.today()))
    db.session.add(
        MentorshipMeeting(mentorship_id=fresh.id, held_on=clock.today() + timedelta(days=10))
    )
    db.session.commit()
    rows = mentorships.list_mentorships(mentor)
    assert [r.mentorship.id for r in rows] == [fresh.id, overdue.id, old.id]
    by_id = {r.mentorship.id: r for r in rows}
    assert by_id[overdue.id].overdue is True  # monthly: 42 days, started 50 days ago
    assert by_id[fresh.id].overdue is False
    assert by_id[fresh.id].last_meeting_on == clock.today()
    assert by_id[fresh.id].next_meeting_on == clock.today() + timedelta(days=10)
    assert by_id[old.id].overdue is False  # not active
    assert mentorships.last_meetings([fresh.id, overdue.id]) == {fresh.id: clock.today()}


@pytest.mark.parametrize(
    ("frequency", "days", "overdue"),
    [
        ("weekly", 14, False),
        ("weekly", 15, True),
        ("monthly", 42, False),
        ("monthly", 43, True),
        ("as_needed", 61, True),
        ("unknown", 60, False),
    ],
)
def test_meeting_overdue(frequency, days, overdue) -> None:
    today = date(2027, 3, 1)
    assert mentorships.meeting_overdue(frequency, today - timedelta(days=days), today) is overdue


def test_empty_list_says_how_a_mentorship_starts(app, login_as) -> None:
    mentor, entrepreneur = MentorFactory(), CompanyFactory().owner
    english(mentor, entrepreneur)
    page = login_as(mentor).get("/mentorships/").get_data(as_text=True)
    assert 'href="/mentor-needs/requests"' in page and "accept an entrepreneur" in page
    page = login_as(entrepreneur).get("/mentorships/").get_data(as_text=True)
    assert 'href="/mentor-needs/"' in page and "Find a mentor" in page


def test_only_the_parties_open_a_mentorship(ms, login_as) -> None:
    meeting = mentorships.add_meeting(ms.mentor, ms.id, clock.today(), "Budget")
    for outsider, code in (
        (MentorFactory(), 404),
        (CompanyFactory().owner, 404),
        (BusinessStaffFactory(), 403),
        (UserFactory(role=Role.ADMIN), 403),
        (CaseworkerFactory(), 403),
        (JobseekerFactory(), 403),
    ):
        client = login_as(outsider)
        assert client.get(url(ms)).status_code == code
        assert client.get(url(ms, "/end")).status_code == code
        for tail, data in (
            ("/meetings", {"meeting-held_on": clock.today().isoformat()}),
            ("/messages", {"body": "Hej"}),
            ("/end", {}),
            ("/feedback", {"feedback-rating": "5"}),
        ):
            assert client.post(url(ms, tail), data=data).status_code == code, tail
        note = client.post(
            f"/mentorships/meetings/{meeting.id}/note", data={f"note{meeting.id}-body": "x"}
        )
        assert note.status_code == code
        agenda = client.post(
            f"/mentorships/meetings/{meeting.id}/agenda",
            data={f"agenda{meeting.id}-agenda": "x"},
        )
        assert agenda.status_code == code
    db.session.expire_all()
    assert ms.status == MentorshipStatus.ACTIVE
    assert count(MentorshipMeeting) == 1 and count(MeetingNote) == 0 and count(Message) == 0
    assert db.session.get(MentorshipMeeting, meeting.id).agenda == "Budget"
    assert login_as(MentorFactory()).get("/mentorships/999999").status_code == 404
    with pytest.raises(NotFound):
        mentorships.get_mentorship(BusinessStaffFactory(), ms.id)


def test_anonymous_is_sent_to_login(ms, client) -> None:
    response = client.get(url(ms))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- meetings and private notes ---------------------------------------------------------------


def test_meeting_with_shared_agenda_and_private_notes(ms, login_as) -> None:
    english(ms.mentor, ms.entrepreneur)
    mentor, ent = login_as(ms.mentor), login_as(ms.entrepreneur)
    r = mentor.post(
        url(ms, "/meetings"),
        data={"meeting-held_on": clock.today().isoformat(), "meeting-agenda": "Likviditetsbudget"},
    )
    assert r.status_code == 302
    meeting = db.session.execute(select(MentorshipMeeting)).scalar_one()
    assert meeting.created_by_id == ms.mentor_id
    r = mentor.post(
        f"/mentorships/meetings/{meeting.id}/note", data={f"note{meeting.id}-body": SECRET_NOTE}
    )
    assert r.status_code == 302
    ent.post(f"/mentorships/meetings/{meeting.id}/note", data={f"note{meeting.id}-body": ENT_NOTE})
    assert count(MeetingNote) == 2

    mentor_page = mentor.get(url(ms)).get_data(as_text=True)
    ent_page = ent.get(url(ms)).get_data(as_text=True)
    for page in (mentor_page, ent_page):
        assert "Likviditetsbudget" in page  # the agenda is shared
        assert "Only you can see your notes" in page
    assert SECRET_NOTE in mentor_page and ENT_NOTE not in mentor_page
    assert ENT_NOTE in ent_page and SECRET_NOTE not in ent_page

    # The agenda changes for both; a note saved again replaces, never duplicates.
    ent.post(
        f"/mentorships/meetings/{meeting.id}/agenda",
        data={f"agenda{meeting.id}-agenda": "Likviditet og bank"},
    )
    mentor.post(
        f"/mentorships/meetings/{meeting.id}/note",
        data={f"note{meeting.id}-body": SECRET_NOTE + " (rettet)"},
    )
    assert count(MeetingNote) == 2
    assert "Likviditet og bank" in mentor.get(url(ms)).get_data(as_text=True)
    # An emptied note is deleted.
    mentor.post(f"/mentorships/meetings/{meeting.id}/note", data={f"note{meeting.id}-body": ""})
    assert count(MeetingNote, MeetingNote.author_id == ms.mentor_id) == 0


def test_notes_are_never_shown_to_staff_or_in_the_other_sides_views(ms, login_as) -> None:
    meeting = mentorships.add_meeting(ms.entrepreneur, ms.id, clock.today(), "Pitch")
    mentorships.save_note(ms.mentor, meeting.id, SECRET_NOTE)
    view = mentorships.mentorship_view(ms.entrepreneur, ms.id)
    assert [mv.my_note for mv in view.meetings] == [""]
    (listed,) = mentorships.mentorship_views(ms.entrepreneur)
    assert [mv.my_note for mv in listed.meetings] == [""]
    for staff in (BusinessStaffFactory(), UserFactory(role=Role.ADMIN)):
        client = login_as(staff)
        for path in (url(ms), "/mentorships/", "/messages"):
            assert SECRET_NOTE not in client.get(path).get_data(as_text=True)
        with pytest.raises(NotFound):
            mentorships.mentorship_view(staff, ms.id)
        with pytest.raises(NotFound):
            mentorships.save_note(staff, meeting.id, "x")


@pytest.mark.parametrize(
    ("offset", "ok"),
    [
        (-15 - 14, True),  # two weeks before the start (an introduction)
        (-15 - 15, False),
        (0, True),
        (40, True),  # planned ahead
        (12 * 7 - 15 + 30, True),  # a month after the agreed end
        (12 * 7 - 15 + 31, False),
    ],
)
def test_meeting_date_bounds(ms, offset, ok) -> None:
    held_on = clock.today() + timedelta(days=offset)
    if ok:
        assert mentorships.add_meeting(ms.mentor, ms.id, held_on).held_on == held_on
    else:
        with pytest.raises(ValidationFailed) as error:
            mentorships.add_meeting(ms.mentor, ms.id, held_on)
        assert error.value.field == "held_on"
        assert count(MentorshipMeeting) == 0


def test_a_meeting_is_never_planned_more_than_a_year_ahead(app) -> None:
    ms = make_mentorship(start=clock.today() + timedelta(days=340), weeks=24)
    with pytest.raises(ValidationFailed):
        mentorships.add_meeting(ms.mentor, ms.id, clock.today() + timedelta(days=366))
    assert mentorships.add_meeting(ms.mentor, ms.id, clock.today() + timedelta(days=365))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"meeting-held_on": ""}, "held_on"),
        ({"meeting-held_on": "2027-02-30"}, "held_on"),
        ({"meeting-held_on": "i morgen"}, "held_on"),
        ({"meeting-held_on": "1999-01-01"}, "held_on"),
        ({"meeting-held_on": "TODAY", "meeting-agenda": "x" * 2001}, "agenda"),
        ({"meeting-held_on": "TODAY", "meeting-agenda": "CPR 010190-1234"}, "agenda"),
    ],
)
def test_bad_meeting_input_changes_nothing(ms, login_as, data, field) -> None:
    data = {k: v.replace("TODAY", clock.today().isoformat()) for k, v in data.items()}
    r = login_as(ms.mentor).post(url(ms, "/meetings"), data=data)
    assert r.status_code == 422
    assert f'id="meeting-{field}-error"' in r.get_data(as_text=True)
    assert count(MentorshipMeeting) == 0


def test_bad_note_input_changes_nothing(ms, login_as) -> None:
    meeting = mentorships.add_meeting(ms.mentor, ms.id, clock.today())
    client = login_as(ms.mentor)
    for body in ("x" * 5001, "Hans CPR er 010190-1234", "nul\x00tegn"):
        r = client.post(
            f"/mentorships/meetings/{meeting.id}/note", data={f"note{meeting.id}-body": body}
        )
        assert r.status_code in (400, 422)
    assert count(MeetingNote) == 0
    with pytest.raises(ValidationFailed):
        mentorships.save_note(ms.mentor, meeting.id, "nul\x00tegn")


# --- the end, feedback and outcome ------------------------------------------------------------


def test_ending_early_tells_the_other_side(ms, login_as) -> None:
    english(ms.mentor, ms.entrepreneur)
    client = login_as(ms.entrepreneur)
    confirm = client.get(url(ms, "/end"))
    assert confirm.status_code == 200 and "ended early" in confirm.get_data(as_text=True)
    assert client.post(url(ms, "/end")).status_code == 302
    db.session.expire_all()
    assert ms.status == MentorshipStatus.ENDED
    assert ms.ended_by_id == ms.entrepreneur_id and ms.ended_at is not None
    note = db.session.execute(
        select(Notification).where(Notification.kind == NotificationKind.MENTORSHIP_ENDED)
    ).scalar_one()
    assert note.user_id == ms.mentor_id
    assert note.params["mentorship_id"] == ms.id and note.params["topic"] == "financing"
    assert note.params["name"] == ms.entrepreneur.name
    # Ended: no meetings, no messages, no second end.
    with pytest.raises(Conflict):
        mentorships.end_mentorship(ms.mentor, ms.id)
    with pytest.raises(Conflict):
        mentorships.add_meeting(ms.mentor, ms.id, clock.today())
    with pytest.raises(Conflict):
        conversations.post_message(
            ms.mentor, conversations.mentorship_thread(ms.mentor, ms.id), "Hej"
        )
    page = login_as(ms.mentor).get(url(ms)).get_data(as_text=True)
    assert "The mentorship was ended early." in page and "conversation is read-only" in page


def test_ending_at_the_agreed_end_completes(app) -> None:
    ms = make_mentorship(start=clock.today() - timedelta(weeks=12))
    mentorships.end_mentorship(ms.mentor, ms.id)
    assert ms.status == MentorshipStatus.COMPLETED


def test_feedback_only_after_the_end_and_once_per_side(ms, login_as) -> None:
    english(ms.mentor, ms.entrepreneur)
    client = login_as(ms.mentor)
    r = client.post(url(ms, "/feedback"), data={"feedback-rating": "4"})
    assert r.status_code == 302  # refused with a message
    assert count(MentorshipFeedback) == 0
    with pytest.raises(Conflict):
        mentorships.give_feedback(ms.mentor, ms.id, 4)
    mentorships.end_mentorship(ms.mentor, ms.id)
    r = client.post(
        url(ms, "/feedback"), data={"feedback-rating": "4", "feedback-comment": "Godt samarbejde"}
    )
    assert r.status_code == 302
    with pytest.raises(Conflict):
        mentorships.give_feedback(ms.mentor, ms.id, 5)
    assert count(MentorshipFeedback) == 1
    row = db.session.execute(select(MentorshipFeedback)).scalar_one()
    assert (row.side, row.rating, row.comment) == ("mentor", 4, "Godt samarbejde")
    # Each side sees their own feedback, and only that the other side has given theirs.
    ent_page = login_as(ms.entrepreneur).get(url(ms)).get_data(as_text=True)
    assert "Godt samarbejde" not in ent_page
    assert f"{ms.mentor.name} has given their feedback." in ent_page
    assert "Godt samarbejde" in client.get(url(ms)).get_data(as_text=True)
    mentorships.give_feedback(ms.entrepreneur, ms.id, 5, "Tak!")
    assert count(MentorshipFeedback) == 2


def test_feedback_from_the_agreed_end_on_completes_an_active_mentorship(app) -> None:
    ms = make_mentorship(start=clock.today() - timedelta(weeks=12))
    mentorships.give_feedback(ms.entrepreneur, ms.id, 5, "Rigtig god hjælp")
    assert ms.status == MentorshipStatus.COMPLETED and ms.ended_by_id == ms.entrepreneur_id
    assert count(Notification, Notification.kind == NotificationKind.MENTORSHIP_ENDED) == 1


@pytest.mark.parametrize("rating", ["0", "6", "-1", "x", "", "4.5", "٣"])
def test_rating_bounds_on_the_page(ms, login_as, rating) -> None:
    mentorships.end_mentorship(ms.mentor, ms.id)
    r = login_as(ms.mentor).post(url(ms, "/feedback"), data={"feedback-rating": rating})
    assert r.status_code == 422
    assert count(MentorshipFeedback) == 0


@pytest.mark.parametrize("rating", [0, 6, -3, None, "5", True, 2.5])
def test_rating_bounds_in_the_service(ms, rating) -> None:
    mentorships.end_mentorship(ms.mentor, ms.id)
    with pytest.raises(ValidationFailed):
        mentorships.give_feedback(ms.mentor, ms.id, rating)
    assert count(MentorshipFeedback) == 0


@pytest.mark.parametrize("rating", [1, 5])
def test_rating_edges_are_accepted(ms, rating) -> None:
    mentorships.end_mentorship(ms.mentor, ms.id)
    assert mentorships.give_feedback(ms.mentor, ms.id, rating).rating == rating


def test_feedback_comment_is_limited(ms) -> None:
    mentorships.end_mentorship(ms.mentor, ms.id)
    for comment in ("x" * 501, "CPR 010190-1234"):
        with pytest.raises(ValidationFailed):
            mentorships.give_feedback(ms.mentor, ms.id, 3, comment)
    assert count(MentorshipFeedback) == 0


def test_outcome_only_by_the_entrepreneur_after_the_end(ms, login_as) -> None:
    english(ms.mentor, ms.entrepreneur)
    ent = login_as(ms.entrepreneur)
    r = ent.post(url(ms, "/outcome"), data={"outcome-outcome": "funding"})
    assert r.status_code == 302 and ms.outcome is None  # still active: refused
    mentorships.end_mentorship(ms.mentor, ms.id)
    assert (
        login_as(ms.mentor)
        .post(url(ms, "/outcome"), data={"outcome-outcome": "funding"})
        .status_code
        == 403
    )
    with pytest.raises(Forbidden):
        mentorships.record_outcome(ms.mentor, ms.id, "funding")
    db.session.expire_all()
    assert ms.outcome is None
    for bad in ("", "millions", "FUNDING"):
        r = ent.post(url(ms, "/outcome"), data={"outcome-outcome": bad})
        assert r.status_code == 422
    r = ent.post(
        url(ms, "/outcome"),
        data={"outcome-outcome": "funding", "outcome-note": "Lån fra Vækstfonden"},
    )
    assert r.status_code == 302
    db.session.expire_all()
    assert ms.outcome.value == "funding" and ms.outcome_note == "Lån fra Vækstfonden"
    mentor_page = login_as(ms.mentor).get(url(ms)).get_data(as_text=True)
    assert "Funding obtained" in mentor_page and "Vækstfonden" not in mentor_page
    with pytest.raises(ValidationFailed):
        mentorships.record_outcome(ms.entrepreneur, ms.id, None)


def test_complete_due_closes_forgotten_mentorships(app) -> None:
    forgotten = make_mentorship(start=clock.today() - timedelta(weeks=12, days=30))
    recent = make_mentorship(start=clock.today() - timedelta(weeks=12, days=29))
    assert mentorships.complete_due(clock.today()) == 1
    db.session.expire_all()
    assert forgotten.status == MentorshipStatus.COMPLETED and forgotten.ended_by_id is None
    assert recent.status == MentorshipStatus.ACTIVE
    # Both sides are asked for their feedback, once.
    told = db.session.execute(
        select(Notification.user_id).where(
            Notification.kind == NotificationKind.MENTORSHIP_COMPLETED
        )
    ).scalars()
    assert sorted(told) == sorted([forgotten.mentor_id, forgotten.entrepreneur_id])
    assert mentorships.complete_due(clock.today()) == 0


def test_the_worker_completes_forgotten_mentorships(app) -> None:
    from taskboerse.worker import jobs

    forgotten = make_mentorship(start=clock.today() - timedelta(weeks=12, days=31))
    assert jobs.scheduled_work.call_local()["mentorships_completed"] == 1
    db.session.refresh(forgotten)
    assert forgotten.status == MentorshipStatus.COMPLETED


# --- the conversation -------------------------------------------------------------------------


def test_messaging_in_a_mentorship_thread(ms, login_as) -> None:
    english(ms.mentor, ms.entrepreneur)
    ent, mentor = login_as(ms.entrepreneur), login_as(ms.mentor)
    r = ent.post(url(ms, "/messages"), data={"body": "Hej Mette, kan vi mødes torsdag?"})
    assert r.status_code == 302 and r.headers["Location"].endswith("#latest")
    assert conversations.unread_total(ms.mentor) == 1
    assert conversations.unread_by_mentorship(ms.mentor) == {ms.id: 1}
    assert conversations.unread_by_thread(ms.entrepreneur) == {}  # task threads untouched
    # The in-app notification and the email notice, with the ids.
    note = db.session.execute(
        select(Notification).where(Notification.kind == NotificationKind.MENTORSHIP_MESSAGE)
    ).scalar_one()
    assert note.user_id == ms.mentor_id and note.params["mentorship_id"] == ms.id
    assert note.params["topic"] == "financing" and note.params["name"] == ms.entrepreneur.name
    assert count(OutboxMessage, OutboxMessage.to_email == ms.mentor.email) == 1
    # The menu count, the inbox, then the page reads it.
    dashboard = mentor.get("/mentorships/").get_data(as_text=True)
    assert 'aria-label="1 unread"' in dashboard
    inbox = mentor.get("/messages").get_data(as_text=True)
    assert ms.entrepreneur.name in inbox and f"/mentorships/{ms.id}#conversation" in inbox
    page = mentor.get(url(ms)).get_data(as_text=True)
    assert "Hej Mette, kan vi mødes torsdag?" in page and 'id="conversation"' in page
    assert conversations.unread_total(ms.mentor) == 0
    db.session.expire_all()
    assert note.read_at is not None
    # A second message within the hour: a notification, no second email.
    ent.post(url(ms, "/messages"), data={"body": "Eller fredag?"})
    assert count(OutboxMessage, OutboxMessage.to_email == ms.mentor.email) == 1
    assert count(Notification, Notification.kind == NotificationKind.MENTORSHIP_MESSAGE) == 2
    mentor.post(url(ms, "/messages"), data={"body": "Torsdag passer."})
    assert conversations.unread_total(ms.entrepreneur) == 1
    assert "Torsdag passer." in ent.get("/messages").get_data(as_text=True)
    bodies = [
        m.body for m in conversations.messages(conversations.mentorship_thread(ms.mentor, ms.id))
    ]
    assert bodies == ["Hej Mette, kan vi mødes torsdag?", "Eller fredag?", "Torsdag passer."]


def test_an_outsider_cannot_read_or_write_a_mentorship_thread(ms, login_as) -> None:
    conversations.post_message(
        ms.mentor, conversations.mentorship_thread(ms.mentor, ms.id), "Fortroligt"
    )
    outsider = MentorFactory()
    with pytest.raises(NotFound):
        conversations.mentorship_thread(outsider, ms.id)
    client = login_as(outsider)
    assert client.post(url(ms, "/messages"), data={"body": "ind"}).status_code == 404
    assert "Fortroligt" not in client.get("/messages").get_data(as_text=True)
    assert count(Message) == 1


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001, "Mit CPR 010190-1234"])
def test_bad_messages_are_refused(ms, login_as, body) -> None:
    r = login_as(ms.mentor).post(url(ms, "/messages"), data={"body": body})
    assert r.status_code == 422
    assert count(Message) == 0


def test_the_entrepreneurs_unread_total_counts_both_kinds(ms) -> None:
    from tests.factories import ApplicationFactory, TaskFactory

    task = TaskFactory(company=ms.entrepreneur.company)
    application = ApplicationFactory(task=task)
    db.session.commit()
    conversations.post_message(
        application.jobseeker,
        conversations.thread_of_application(application.jobseeker, application.id),
        "Hej fra dimittenden",
    )
    conversations.post_message(
        ms.mentor, conversations.mentorship_thread(ms.mentor, ms.id), "Hej fra mentoren"
    )
    assert conversations.unread_total(ms.entrepreneur) == 2
    threads = conversations.threads_of(ms.entrepreneur)
    assert {t.mentorship_id for t in threads} == {None, ms.id}
    assert all(t.unread == 1 for t in threads)


def test_erasing_a_party_empties_their_mentorship_messages(ms) -> None:
    conversations.post_message(
        ms.mentor, conversations.mentorship_thread(ms.mentor, ms.id), "Mit telefonnummer er ..."
    )
    conversations.erase_messages_of(ms.mentor_id)
    db.session.commit()
    message = db.session.execute(select(Message)).scalar_one()
    assert message.body == "" and message.erased_at is not None and message.sender_id is None
    assert conversations.unread_total(ms.entrepreneur) == 1  # the thread keeps its shape


def test_the_mentorship_page_costs_a_fixed_number_of_queries(ms, login_as) -> None:
    from tests.helpers import count_queries

    client = login_as(ms.mentor)

    def queries_with(n: int) -> int:
        for i in range(n):
            meeting = mentorships.add_meeting(ms.mentor, ms.id, clock.today(), f"Punkt {i}")
            mentorships.save_note(ms.mentor, meeting.id, f"Note {i}")
            conversations.post_message(
                ms.entrepreneur, conversations.mentorship_thread(ms.entrepreneur, ms.id), "Hej"
            )
        return count_queries(client, url(ms))

    assert queries_with(1) == queries_with(4)
    listed = count_queries(client, "/mentorships/")
    make_mentorship(mentor=ms.mentor)
    assert count_queries(client, "/mentorships/") == listed
