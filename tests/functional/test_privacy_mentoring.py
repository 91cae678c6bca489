"""GDPR for the mentor programme: the data export holds the person's own part only (never the
other side's private notes, never another person's request), and erasure of a mentor or an
entrepreneur leaves nothing personal while the programme's counts still add up."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    Answer,
    MeetingNote,
    MentorNeed,
    MentorNeedSkill,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    MentorSkill,
    Message,
    NeedStatus,
    Notification,
    NotificationKind,
    Outcome,
    Question,
    RequestStatus,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services import privacy
from taskboerse.services.clock import today
from tests.factories import PASSWORD, CompanyFactory, MentorFactory, mentor_need
from tests.functional.test_privacy import all_text_in_database

# Unique words, so a search of the whole database finds exactly what belongs to whom.
MENTOR_NAME = "Valdemar Quistrup-Mentor"
MENTOR_EMAIL = "valdemar.quistrup@example.com"
HEADLINE = "Pensioneret zinkhandler Qxheadline"
BIO = "Bioord-qzvw om mit liv"
MENTOR_NOTE = "Mentornote-kvxz privat"
MENTOR_MESSAGE = "Mentorbesked-plmq"
MENTOR_ANSWER = "Mentorsvar-trwq med et godt råd"
MENTOR_FEEDBACK = "Mentorfeedback-hjyt"
DECLINE_OTHER = "Anden mentors afslag-gfds"

ENT_NAME = "Ulrikke Zachariassen-Iværk"
ENT_EMAIL = "ulrikke.zach@example.com"
NEED_TEXT = "Behovstekst-wqer om vores finansiering"
DONE_TEXT = "Afsluttet behov-yxcv"
REQUEST_TEXT = "Anmodningstekst-mnbv"
ENT_NOTE = "Iværksætternote-poiu privat"
ENT_MESSAGE = "Iværksætterbesked-lkjh"
ENT_FEEDBACK = "Iværksætterfeedback-zuio"
OUTCOME_NOTE = "Udfaldsnote-asdf"
QUESTION_TITLE = "Spørgsmålstitel-rewq"
QUESTION_BODY = "Spørgsmålstekst-fdsa"
AGENDA_MENTOR = "Dagsorden fra mentor-cxyv"
AGENDA_ENT = "Dagsorden fra iværksætter-bnmq"

OTHER_REQUEST = "Andens anmodning-jklø"
OTHER_ANSWER = "Andet svar-ghjk"


@dataclass
class World:
    mentor: User
    other_mentor: User
    entrepreneur: User
    other_entrepreneur: User
    active: Mentorship
    done: Mentorship
    question: Question
    other_question: Question


def _request(need, mentor, status, message, reason="", days_ago=10) -> MentorRequest:
    sent = utcnow() - timedelta(days=days_ago)
    request = MentorRequest(
        need_id=need.id,
        mentor_id=mentor.id,
        message=message,
        status=status,
        decline_reason=reason,
        created_at=sent,
        expires_at=sent + timedelta(days=7),
        answered_at=None if status == RequestStatus.PENDING else sent + timedelta(days=1),
    )
    db.session.add(request)
    db.session.flush()
    return request


def _mentorship(request, need, status, weeks_ago) -> Mentorship:
    start = today() - timedelta(weeks=weeks_ago)
    ship = Mentorship(
        request_id=request.id,
        need_id=need.id,
        mentor_id=request.mentor_id,
        entrepreneur_id=need.entrepreneur_id,
        status=status,
        start_on=start,
        end_on=start + timedelta(weeks=8),
    )
    db.session.add(ship)
    need.status = NeedStatus.MATCHED
    db.session.flush()
    return ship


@pytest.fixture
def world(app) -> World:
    """A mentor and an entrepreneur with everything the programme holds about them: an
    active and a completed mentorship (meetings, both sides' notes, messages, feedback, an
    outcome), a declined request to another mentor, another entrepreneur's pending request
    to the mentor, and questions with answers."""
    mentor = MentorFactory(
        name=MENTOR_NAME,
        email=MENTOR_EMAIL,
        profile__headline=HEADLINE,
        profile__bio=BIO,
        profile__capacity=3,
    )
    other_mentor = MentorFactory()
    entrepreneur = CompanyFactory(owner__name=ENT_NAME, owner__email=ENT_EMAIL).owner
    other = CompanyFactory().owner

    need = mentor_need(
        entrepreneur,
        description=NEED_TEXT,
        skills=[MentorNeedSkill(label="Ønsket ekspertise-hgfd")],
    )
    _request(need, other_mentor, RequestStatus.DECLINED, REQUEST_TEXT, DECLINE_OTHER, 20)
    accepted = _request(need, mentor, RequestStatus.ACCEPTED, REQUEST_TEXT, days_ago=15)
    active = _mentorship(accepted, need, MentorshipStatus.ACTIVE, 2)
    first = MentorshipMeeting(
        mentorship_id=active.id,
        held_on=today() - timedelta(days=10),
        agenda=AGENDA_MENTOR,
        created_by_id=mentor.id,
    )
    second = MentorshipMeeting(
        mentorship_id=active.id,
        held_on=today() - timedelta(days=3),
        agenda=AGENDA_ENT,
        created_by_id=entrepreneur.id,
    )
    for meeting in (first, second):
        meeting.notes = [
            MeetingNote(author_id=mentor.id, body=MENTOR_NOTE),
            MeetingNote(author_id=entrepreneur.id, body=ENT_NOTE),
        ]
        db.session.add(meeting)
    db.session.add_all(
        [
            Message(mentorship_id=active.id, sender_id=mentor.id, body=MENTOR_MESSAGE),
            Message(mentorship_id=active.id, sender_id=entrepreneur.id, body=ENT_MESSAGE),
        ]
    )

    done_need = mentor_need(entrepreneur, topic="export", description=DONE_TEXT)
    done_request = _request(done_need, mentor, RequestStatus.ACCEPTED, REQUEST_TEXT, days_ago=90)
    done = _mentorship(done_request, done_need, MentorshipStatus.COMPLETED, 12)
    done.ended_at = utcnow() - timedelta(days=20)
    done.outcome = Outcome.FUNDING
    done.outcome_note = OUTCOME_NOTE
    done.meetings = [
        MentorshipMeeting(held_on=today() - timedelta(weeks=10), agenda="Kickoff", notes=[])
    ]
    done.feedback = [
        MentorshipFeedback(author_id=mentor.id, side="mentor", rating=4, comment=MENTOR_FEEDBACK),
        MentorshipFeedback(
            author_id=entrepreneur.id, side="entrepreneur", rating=5, comment=ENT_FEEDBACK
        ),
    ]

    other_need = mentor_need(other, topic="marketing", description="Andet behov")
    _request(other_need, mentor, RequestStatus.PENDING, OTHER_REQUEST, days_ago=2)

    question = Question(author_id=entrepreneur.id, title=QUESTION_TITLE, body=QUESTION_BODY)
    question.answers = [
        Answer(author_id=mentor.id, body=MENTOR_ANSWER, helpful_at=utcnow()),
        Answer(author_id=other_mentor.id, body=OTHER_ANSWER),
    ]
    other_question = Question(author_id=other.id, title="Andet spørgsmål", body="Hvordan?")
    other_question.answers = [Answer(author_id=mentor.id, body=MENTOR_ANSWER + " igen")]
    db.session.add_all([question, other_question])
    db.session.commit()
    return World(mentor, other_mentor, entrepreneur, other, active, done, question, other_question)


# --- Art. 15 -----------------------------------------------------------------------------------


def test_mentor_export_holds_their_part_only(world, login_as) -> None:
    response = login_as(world.mentor).get("/auth/account/export.json")
    assert response.status_code == 200
    data = json.loads(response.data)
    text = json.dumps(data, ensure_ascii=False)
    profile = data["mentor_profile"]
    assert (profile["headline"], profile["bio"]) == (HEADLINE, BIO)
    assert profile["expertise"] == ["Finansiering", "Forretningsplan"]
    received = data["mentor_requests_received"]
    assert {r["status"] for r in received} == {"accepted", "pending"}
    assert {r["from"] for r in received} == {ENT_NAME, world.other_entrepreneur.name}
    ships = {s["id"]: s for s in data["mentorships"]}
    assert set(ships) == {world.active.id, world.done.id}
    active = ships[world.active.id]
    assert active["as"] == "mentor" and active["with"] == ENT_NAME
    assert [m["agenda"] for m in active["meetings"]] == [AGENDA_MENTOR, AGENDA_ENT]
    assert [m["my_note"] for m in active["meetings"]] == [MENTOR_NOTE, MENTOR_NOTE]
    assert [f["comment"] for f in data["mentorship_feedback_given"]] == [MENTOR_FEEDBACK]
    assert {a["body"] for a in data["answers_written"]} == {MENTOR_ANSWER, MENTOR_ANSWER + " igen"}
    assert MENTOR_MESSAGE in {m["body"] for m in data["messages_written"]}
    assert world.active.id in {m["mentorship_id"] for m in data["messages_written"]}
    # Never the other side's notes, feedback, outcome note or messages; never another
    # mentor's request or its refusal; never others' requests' messages or answers.
    for foreign in (
        ENT_NOTE,
        ENT_FEEDBACK,
        OUTCOME_NOTE,
        ENT_MESSAGE,
        DECLINE_OTHER,
        world.other_mentor.name,
        OTHER_REQUEST,
        REQUEST_TEXT,
        OTHER_ANSWER,
        NEED_TEXT,
        QUESTION_BODY,
    ):
        assert foreign not in text, foreign
    assert "mentor_needs" not in data and "questions" not in data


def test_entrepreneur_export_holds_their_part_only(world, login_as, app) -> None:
    data = privacy.export_personal_data(world.entrepreneur)
    text = json.dumps(data, ensure_ascii=False)
    assert {n["description"] for n in data["mentor_needs"]} == {NEED_TEXT, DONE_TEXT}
    sent = data["mentor_requests_sent"]
    assert len(sent) == 3 and {r["message"] for r in sent} == {REQUEST_TEXT}
    # The other mentor's refusal was written to the entrepreneur: it is theirs to see.
    assert {r["decline_reason"] for r in sent} == {DECLINE_OTHER, ""}
    ships = {s["id"]: s for s in data["mentorships"]}
    active, done = ships[world.active.id], ships[world.done.id]
    assert active["as"] == "entrepreneur" and active["with"] == MENTOR_NAME
    assert [m["my_note"] for m in active["meetings"]] == [ENT_NOTE, ENT_NOTE]
    assert [m["agenda"] for m in active["meetings"]] == [AGENDA_MENTOR, AGENDA_ENT]
    assert (done["outcome"], done["outcome_note"]) == ("funding", OUTCOME_NOTE)
    assert [f["comment"] for f in data["mentorship_feedback_given"]] == [ENT_FEEDBACK]
    questions = data["questions"]
    assert [(q["title"], q["body"], q["answers"]) for q in questions] == [
        (QUESTION_TITLE, QUESTION_BODY, 2)
    ]
    for foreign in (
        MENTOR_NOTE,
        MENTOR_FEEDBACK,
        MENTOR_MESSAGE,
        MENTOR_ANSWER,
        OTHER_ANSWER,
        OTHER_REQUEST,
        BIO,
        HEADLINE,
        "Andet behov",
        "Andet spørgsmål",
    ):
        assert foreign not in text, foreign
    assert "mentor_profile" not in data and "answers_written" not in data
    # The same through the API.
    from tests.functional.test_api import token_for

    api = app.test_client().get(
        "/api/v1/me/export", headers=token_for(app.test_client(), world.entrepreneur)
    )
    assert api.status_code == 200
    api_text = json.dumps(api.get_json(), ensure_ascii=False)
    assert MENTOR_NOTE not in api_text and ENT_NOTE in api_text


def test_another_person_exports_nothing_of_theirs(world, login_as) -> None:
    data = json.loads(login_as(world.other_mentor).get("/auth/account/export.json").data)
    text = json.dumps(data, ensure_ascii=False)
    for needle in (MENTOR_NOTE, ENT_NOTE, NEED_TEXT, REQUEST_TEXT, QUESTION_BODY, MENTOR_ANSWER):
        assert needle not in text, needle
    assert [r["status"] for r in data["mentor_requests_received"]] == ["declined"]
    assert [r["decline_reason"] for r in data["mentor_requests_received"]] == [DECLINE_OTHER]
    assert "mentorships" not in data


# --- Art. 17 -----------------------------------------------------------------------------------


def test_a_mentor_deletes_their_account_and_nothing_personal_is_left(world, login_as) -> None:
    client = login_as(world.mentor)
    assert client.get("/auth/account").status_code == 200
    before = all_text_in_database()
    for needle in (MENTOR_NAME, MENTOR_EMAIL, HEADLINE, BIO, MENTOR_NOTE, MENTOR_ANSWER):
        assert needle in before, needle
    response = client.post("/auth/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302

    after = all_text_in_database()
    for needle in (
        MENTOR_NAME,
        MENTOR_EMAIL,
        HEADLINE,
        BIO,
        MENTOR_NOTE,
        MENTOR_MESSAGE,
        MENTOR_ANSWER,
        MENTOR_FEEDBACK,
        AGENDA_MENTOR,
        "Qxheadline",
        "qzvw",
    ):
        assert needle not in after, needle
    # The other side's data stays untouched.
    for needle in (ENT_NOTE, ENT_MESSAGE, ENT_FEEDBACK, AGENDA_ENT, OTHER_ANSWER, NEED_TEXT):
        assert needle in after, needle
    db.session.expire_all()
    uid = world.mentor.id
    profile = db.session.execute(
        select(MentorProfile).where(MentorProfile.user_id == uid)
    ).scalar_one()
    assert profile.headline == profile.bio == "" and profile.sectors == []
    assert profile.is_paused
    assert (
        db.session.execute(select(MentorSkill).where(MentorSkill.mentor_id == profile.id)).first()
        is None
    )
    active = db.session.get(Mentorship, world.active.id)
    assert active.status == MentorshipStatus.ENDED and active.ended_at is not None
    done = db.session.get(Mentorship, world.done.id)
    assert done.status == MentorshipStatus.COMPLETED  # finished history is not rewritten
    pending = db.session.execute(
        select(MentorRequest).where(MentorRequest.message == OTHER_REQUEST)
    ).scalar_one()
    assert pending.status == RequestStatus.DECLINED
    feedback = db.session.execute(
        select(MentorshipFeedback).where(MentorshipFeedback.side == "mentor")
    ).scalar_one()
    assert (feedback.rating, feedback.comment) == (4, "")  # the statistics keep the rating
    assert db.session.execute(select(Answer).where(Answer.author_id == uid)).first() is None
    assert (
        db.session.execute(select(MeetingNote).where(MeetingNote.author_id == uid)).first() is None
    )
    # The entrepreneurs are told: the mentorship ended, the request was declined.
    told = {
        (n.user_id, n.kind)
        for n in db.session.execute(select(Notification)).scalars()
        if n.params.get("name") == privacy.ERASED_NAME
    }
    assert (world.entrepreneur.id, NotificationKind.MENTORSHIP_ENDED) in told
    assert (world.other_entrepreneur.id, NotificationKind.MENTOR_REQUEST_DECLINED) in told


def test_erasing_an_entrepreneur_leaves_nothing_personal(world) -> None:
    uid, question_id = world.entrepreneur.id, world.question.id
    privacy.anonymise_user(db.session.get(User, uid))

    after = all_text_in_database()
    for needle in (
        ENT_NAME,
        ENT_EMAIL,
        NEED_TEXT,
        DONE_TEXT,
        REQUEST_TEXT,
        "hgfd",
        ENT_NOTE,
        ENT_MESSAGE,
        ENT_FEEDBACK,
        OUTCOME_NOTE,
        QUESTION_TITLE,
        QUESTION_BODY,
        AGENDA_ENT,
    ):
        assert needle not in after, needle
    # The mentor's own data stays (their notes are theirs), except the answer to the
    # deleted question, which goes with it.
    for needle in (MENTOR_NOTE, MENTOR_MESSAGE, MENTOR_FEEDBACK, AGENDA_MENTOR, HEADLINE):
        assert needle in after, needle
    assert OTHER_ANSWER not in after
    db.session.expire_all()
    needs = (
        db.session.execute(select(MentorNeed).where(MentorNeed.entrepreneur_id == uid))
        .scalars()
        .all()
    )
    assert {n.status for n in needs} == {NeedStatus.MATCHED}  # matched ones keep counting
    assert {n.description for n in needs} == {""}
    assert db.session.execute(select(MentorNeedSkill)).first() is None
    assert db.session.get(Mentorship, world.active.id).status == MentorshipStatus.ENDED
    done = db.session.get(Mentorship, world.done.id)
    assert (done.outcome, done.outcome_note) == (Outcome.FUNDING, "")
    feedback = db.session.execute(
        select(MentorshipFeedback).where(MentorshipFeedback.side == "entrepreneur")
    ).scalar_one()
    assert (feedback.rating, feedback.comment) == (5, "")
    assert db.session.get(Question, question_id) is None
    assert db.session.get(Question, world.other_question.id) is not None
    told = db.session.execute(
        select(Notification).where(
            Notification.user_id == world.mentor.id,
            Notification.kind == NotificationKind.MENTORSHIP_ENDED,
        )
    ).scalar_one()
    assert told.params["name"] == privacy.ERASED_NAME
    assert told.params["mentorship_id"] == world.active.id


def test_erasing_an_entrepreneur_closes_open_needs_and_withdraws_requests(app) -> None:
    entrepreneur = CompanyFactory().owner
    mentor = MentorFactory()
    need = mentor_need(entrepreneur, description="Åbent behov-qwas")
    request = _request(need, mentor, RequestStatus.PENDING, "Vil du?", days_ago=1)
    db.session.commit()
    privacy.anonymise_user(entrepreneur)
    db.session.expire_all()
    need = db.session.get(MentorNeed, need.id)
    assert need.status == NeedStatus.CLOSED and need.closed_at is not None
    assert (need.description, need.postcode) == ("", "")
    request = db.session.get(MentorRequest, request.id)
    assert (request.status, request.message) == (RequestStatus.WITHDRAWN, "")
    assert "qwas" not in all_text_in_database()


def test_retention_covers_mentors_not_business_staff(app) -> None:
    from tests.factories import BusinessStaffFactory

    now = utcnow()
    mentor, staff = MentorFactory(), BusinessStaffFactory()
    for user in (mentor, staff):
        user.created_at = user.last_active_at = now - timedelta(days=30 * 24)
    db.session.commit()
    assert privacy.retention_run(now=now).warned == 1
    assert privacy.retention_run(now=now + timedelta(days=30)).anonymised == 1
    db.session.expire_all()
    assert db.session.get(User, mentor.id).anonymised_at is not None
    assert db.session.get(User, staff.id).anonymised_at is None


def test_business_staff_cannot_delete_themselves(app, login_as) -> None:
    from tests.factories import BusinessStaffFactory

    staff = BusinessStaffFactory()
    response = login_as(staff).post("/auth/account/delete", data={"password": PASSWORD})
    assert response.status_code == 403
    assert db.session.get(User, staff.id).anonymised_at is None
