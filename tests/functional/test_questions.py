"""Spørg en mentor on the web and in the service: asking, answering, the helpful answer, who
sees which question, hiding with a reason, and search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessLogEntry,
    AccessPurpose,
    Answer,
    Notification,
    NotificationKind,
    Question,
    Role,
)
from taskboerse.services import clock, questions
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.mentoring import MAX_ANSWER, MAX_QUESTION_BODY, MAX_QUESTION_TITLE
from taskboerse.services.questions import QuestionQuery
from tests.factories import (
    BusinessStaffFactory,
    CaseworkerFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
)
from tests.helpers import count_queries

CPR = "010190-1234"


def ask(user, title="Hvordan prissætter jeg min første opgave?", body="Jeg er ny.", public=True):
    return questions.ask_question(user, title, body, public)


def notes(user, kind) -> list[Notification]:
    return list(
        db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        ).scalars()
    )


@pytest.fixture
def people(app):
    """Everyone the visibility matrix names."""
    return {
        "asker": EntrepreneurFactory(locale="en"),
        "other": EntrepreneurFactory(locale="en"),
        "mentor": MentorFactory(name="Mette Mentor", locale="en"),
        "paused": MentorFactory(profile__paused=True, locale="en"),
        "unapproved": MentorFactory(profile__approved=False, locale="en"),
        "staff": BusinessStaffFactory(locale="en"),
        "admin": UserFactory(role=Role.ADMIN, locale="en"),
        "graduate": JobseekerFactory(locale="en"),
        "caseworker": CaseworkerFactory(locale="en"),
    }


# --- ask, answer, helpful --------------------------------------------------------------------


def test_ask_answer_and_mark_helpful_on_the_web(people, login_as) -> None:
    asker, mentor, paused = people["asker"], people["mentor"], people["paused"]
    web = login_as(asker)
    page = web.get("/questions/new")
    assert page.status_code == 200
    assert "Your name is not shown" in page.get_data(as_text=True)
    response = web.post(
        "/questions/new",
        data={
            "title": "Skal jeg have et ApS?",
            "body": "Eller en enkeltmandsvirksomhed?",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    question = db.session.execute(select(Question)).scalar_one()
    assert question.is_public and question.author_id == asker.id
    assert response.headers["Location"].endswith(f"/questions/{question.id}")

    mentor_web = login_as(mentor)
    waiting = mentor_web.get("/questions/").get_data(as_text=True)
    assert "Skal jeg have et ApS?" in waiting
    assert asker.name not in waiting  # mentors never see the asker's name
    detail = mentor_web.get(f"/questions/{question.id}").get_data(as_text=True)
    assert asker.name not in detail
    response = mentor_web.post(
        f"/questions/{question.id}/answers", data={"body": "Start med et ApS, hvis I er to."}
    )
    assert response.status_code == 302
    # A paused mentor may still answer (pausing stops new mentees, not a quick answer).
    response = login_as(paused).post(
        f"/questions/{question.id}/answers", data={"body": "En enkeltmandsvirksomhed er billig."}
    )
    assert response.status_code == 302
    first, second = db.session.execute(select(Answer).order_by(Answer.id)).scalars().all()

    told = notes(asker, NotificationKind.QUESTION_ANSWERED)
    assert len(told) == 2
    assert told[0].params["question_id"] == question.id
    assert told[0].params["title"] == "Skal jeg have et ApS?"

    page = web.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Mette Mentor" in page and "Mark as the helpful answer" in page
    assert web.post(f"/questions/answers/{first.id}/helpful").status_code == 302
    db.session.expire_all()
    assert first.helpful_at is not None and second.helpful_at is None
    # Marking another answer moves the mark: one helpful answer per question.
    assert web.post(f"/questions/answers/{second.id}/helpful").status_code == 302
    db.session.expire_all()
    assert first.helpful_at is None and second.helpful_at is not None
    page = web.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "answer-helpful" in page and "The helpful answer" in page

    # Other entrepreneurs find it now it is answered, with the helpful answer highlighted.
    listing = login_as(people["other"]).get("/questions/").get_data(as_text=True)
    assert "Skal jeg have et ApS?" in listing and "helpful-excerpt" in listing
    assert asker.name not in listing


def test_a_mentor_answers_once_and_only_approved_mentors_answer(people) -> None:
    question = ask(people["asker"])
    questions.answer_question(people["mentor"], question.id, "Første svar")
    with pytest.raises(Conflict):
        questions.answer_question(people["mentor"], question.id, "Andet svar")
    with pytest.raises(Forbidden):
        questions.answer_question(people["unapproved"], question.id, "Svar")
    with pytest.raises(Forbidden):
        questions.answer_question(people["other"], question.id, "Svar")
    assert db.session.execute(select(Answer)).scalars().all().__len__() == 1


def test_only_the_asker_marks_helpful(people) -> None:
    question = ask(people["asker"])
    answer = questions.answer_question(people["mentor"], question.id, "Svar")
    with pytest.raises(Forbidden):
        questions.mark_helpful(people["other"], answer.id)
    with pytest.raises(NotFound):
        questions.mark_helpful(people["other"], 999_999)
    assert answer.helpful_at is None


def test_refused_posts_change_nothing_on_the_web(people, login_as) -> None:
    question = ask(people["asker"])
    answer = questions.answer_question(people["mentor"], question.id, "Svar")
    other = login_as(people["other"])
    assert other.post(f"/questions/answers/{answer.id}/helpful").status_code == 403
    assert other.post(f"/questions/{question.id}/answers", data={"body": "x"}).status_code == 403
    unapproved = login_as(people["unapproved"])
    response = unapproved.post(f"/questions/{question.id}/answers", data={"body": "Mit svar"})
    assert response.status_code == 403
    for who in ("asker", "mentor", "other"):
        response = login_as(people[who]).post(
            f"/questions/{question.id}/hide", data={"question-reason": "Nej"}
        )
        assert response.status_code == 403
    db.session.expire_all()
    assert answer.helpful_at is None and question.hidden_at is None
    assert len(question.answers) == 1


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Noget", "title"),
        ("   ", "Noget", "title"),
        ("Titel", "", "body"),
        ("Titel", " \n ", "body"),
        ("x" * (MAX_QUESTION_TITLE + 1), "Noget", "title"),
        ("Titel", "x" * (MAX_QUESTION_BODY + 1), "body"),
        (f"Mit CPR er {CPR}", "Noget", "title"),
        ("Titel", f"Mit CPR-nummer: {CPR}", "body"),
    ],
)
def test_bad_questions_are_refused(people, login_as, title, body, field) -> None:
    with pytest.raises(ValidationFailed) as caught:
        questions.ask_question(people["asker"], title, body, True)
    assert caught.value.field == field
    response = login_as(people["asker"]).post(
        "/questions/new", data={"title": title, "body": body, "visibility": "public"}
    )
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.execute(select(Question)).first() is None


def test_an_unknown_visibility_is_refused(people, login_as) -> None:
    response = login_as(people["asker"]).post(
        "/questions/new", data={"title": "T", "body": "B", "visibility": "everyone"}
    )
    assert response.status_code == 422
    assert db.session.execute(select(Question)).first() is None


@pytest.mark.parametrize(
    "body", ["", "   ", "x" * (MAX_ANSWER + 1), f"Send dit CPR {CPR}", "nul\x00tegn"]
)
def test_bad_answers_are_refused(people, login_as, body) -> None:
    question = ask(people["asker"])
    with pytest.raises(ValidationFailed):
        questions.answer_question(people["mentor"], question.id, body)
    response = login_as(people["mentor"]).post(
        f"/questions/{question.id}/answers", data={"body": body}
    )
    assert response.status_code in (400, 422)
    assert db.session.execute(select(Answer)).first() is None
    assert notes(people["asker"], NotificationKind.QUESTION_ANSWERED) == []


@pytest.mark.parametrize("reason", ["", "  ", "x" * 501, f"CPR {CPR}"])
def test_hiding_needs_a_good_reason(people, login_as, reason) -> None:
    question = ask(people["asker"])
    with pytest.raises(ValidationFailed):
        questions.hide_question(people["staff"], question.id, reason)
    response = login_as(people["staff"]).post(
        f"/questions/{question.id}/hide", data={"question-reason": reason}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert question.hidden_at is None
    assert notes(people["asker"], NotificationKind.QUESTION_HIDDEN) == []


@pytest.mark.parametrize("url", ["/questions/0", "/questions/abc", "/questions/99999999999"])
def test_bad_ids_are_404(people, login_as, url) -> None:
    assert login_as(people["asker"]).get(url).status_code == 404


# --- who sees what ---------------------------------------------------------------------------

# (public, answered) -> who may open the question.
MATRIX = {
    "asker": {"public_answered": 200, "public_open": 200, "private": 200},
    "other": {"public_answered": 200, "public_open": 404, "private": 404},
    "mentor": {"public_answered": 200, "public_open": 200, "private": 200},
    "paused": {"public_answered": 200, "public_open": 200, "private": 200},
    "unapproved": {"public_answered": 404, "public_open": 404, "private": 404},
    "staff": {"public_answered": 200, "public_open": 200, "private": 200},
    "admin": {"public_answered": 200, "public_open": 200, "private": 200},
    "graduate": {"public_answered": 403, "public_open": 403, "private": 403},
    "caseworker": {"public_answered": 403, "public_open": 403, "private": 403},
}


@pytest.fixture
def three(people):
    asker = people["asker"]
    answered = ask(asker, title="Offentligt og besvaret")
    questions.answer_question(people["mentor"], answered.id, "Et svar")
    open_ = ask(asker, title="Offentligt uden svar")
    private = ask(asker, title="Privat spørgsmål", public=False)
    questions.answer_question(people["mentor"], private.id, "Et privat svar")
    return {"public_answered": answered, "public_open": open_, "private": private}


@pytest.mark.parametrize("who", list(MATRIX))
def test_visibility_matrix(people, three, login_as, who) -> None:
    web = login_as(people[who])
    listing = web.get("/questions/")
    expected_index = 403 if who in ("graduate", "caseworker") else 200
    assert listing.status_code == expected_index
    text = listing.get_data(as_text=True)
    for kind, status in MATRIX[who].items():
        question = three[kind]
        assert web.get(f"/questions/{question.id}").status_code == status, (who, kind)
        if expected_index == 200:
            assert (question.title in text) == (status == 200), (who, kind)
        user = people[who]
        if status == 403:
            with pytest.raises(Forbidden):
                questions.get_question(user, question.id)
        elif status == 404:
            with pytest.raises(NotFound):
                questions.get_question(user, question.id)
        else:
            assert questions.get_question(user, question.id).id == question.id


def test_anonymous_is_sent_to_login(app, client) -> None:
    for url in ("/questions/", "/questions/new", "/questions/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_mentors_see_waiting_questions_first(people, login_as) -> None:
    old = ask(people["asker"], title="Gammelt spørgsmål uden svar")
    old.created_at = clock.now() - timedelta(days=3)
    db.session.commit()
    answered = ask(people["other"], title="Besvaret spørgsmål")
    questions.answer_question(people["paused"], answered.id, "Svar")
    page = login_as(people["mentor"]).get("/questions/").get_data(as_text=True)
    assert "Questions waiting for an answer" in page
    assert page.index("Gammelt spørgsmål uden svar") < page.index("Besvaret spørgsmål")
    unapproved = login_as(people["unapproved"]).get("/questions/").get_data(as_text=True)
    assert "Gammelt spørgsmål" not in unapproved and "Besvaret" not in unapproved


def test_only_entrepreneurs_ask(people, login_as) -> None:
    for who in ("mentor", "staff", "graduate", "caseworker"):
        assert login_as(people[who]).get("/questions/new").status_code == 403
        with pytest.raises(Forbidden):
            questions.ask_question(people[who], "T", "B", True)


# --- hiding ----------------------------------------------------------------------------------


def test_hiding_a_question_with_a_reason(people, three, login_as) -> None:
    question = three["public_answered"]
    staff_web = login_as(people["staff"])
    response = staff_web.post(
        f"/questions/{question.id}/hide", data={"question-reason": "Reklame for egen virksomhed"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert question.hidden_at is not None and question.hidden_by_id == people["staff"].id

    told = notes(people["asker"], NotificationKind.QUESTION_HIDDEN)
    assert len(told) == 1
    assert told[0].params["reason"] == "Reklame for egen virksomhed"
    assert told[0].params["question_id"] == question.id
    logged = db.session.execute(
        select(AccessLogEntry).where(AccessLogEntry.action == AccessAction.HIDE_QUESTION)
    ).scalar_one()
    assert logged.jobseeker_id == people["asker"].id
    assert logged.actor_id == people["staff"].id
    assert logged.purpose == AccessPurpose.MENTOR_PROGRAMME

    # Gone for everyone but staff and the asker, who reads why.
    for who in ("other", "mentor", "paused"):
        web = login_as(people[who])
        assert web.get(f"/questions/{question.id}").status_code == 404
        assert question.title not in web.get("/questions/").get_data(as_text=True)
    own = login_as(people["asker"]).get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Hidden by the business service: Reklame for egen virksomhed" in own
    for who in ("staff", "admin"):
        page = login_as(people[who]).get(f"/questions/{question.id}").get_data(as_text=True)
        assert "Show the question again" in page
        assert question.title in login_as(people[who]).get("/questions/").get_data(as_text=True)
    # Answering or marking a hidden question is not possible.
    with pytest.raises(NotFound):
        questions.answer_question(people["paused"], question.id, "Svar")
    with pytest.raises(Conflict):
        questions.mark_helpful(people["asker"], question.answers[0].id)

    assert staff_web.post(f"/questions/{question.id}/unhide").status_code == 302
    db.session.expire_all()
    assert question.hidden_at is None and question.hidden_reason == ""
    assert login_as(people["other"]).get(f"/questions/{question.id}").status_code == 200


def test_hiding_an_answer(people, three, login_as) -> None:
    question = three["public_answered"]
    answer = question.answers[0]
    staff_web = login_as(people["admin"])
    response = staff_web.post(
        f"/questions/answers/{answer.id}/hide", data=({f"a{answer.id}-reason": "Forkert råd"})
    )
    assert response.status_code == 302
    told = notes(people["mentor"], NotificationKind.QUESTION_HIDDEN)
    assert len(told) == 1 and told[0].params["question_id"] == question.id
    # The answer was the only one: the question no longer counts as answered for others.
    assert login_as(people["other"]).get(f"/questions/{question.id}").status_code == 404
    asker_page = login_as(people["asker"]).get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Forkert råd" not in asker_page and "Et svar" not in asker_page
    mentor_page = login_as(people["mentor"]).get(f"/questions/{question.id}")
    assert "Hidden by the business service: Forkert råd" in mentor_page.get_data(as_text=True)
    staff_page = staff_web.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Et svar" in staff_page and "Show the answer again" in staff_page
    db.session.expire_all()
    with pytest.raises(NotFound):
        questions.mark_helpful(people["asker"], answer.id)
    with pytest.raises(Conflict):
        questions.hide_answer(people["staff"], answer.id, "Igen")
    assert staff_web.post(f"/questions/answers/{answer.id}/unhide").status_code == 302
    assert login_as(people["other"]).get(f"/questions/{question.id}").status_code == 200


def test_the_hide_form_shows_its_error_beside_the_field(people, three, login_as) -> None:
    question = three["public_answered"]
    response = login_as(people["staff"]).post(
        f"/questions/{question.id}/hide", data={"question-reason": ""}
    )
    assert response.status_code == 422
    assert "question-reason-error" in response.get_data(as_text=True)


# --- search ----------------------------------------------------------------------------------


def test_search_finds_answer_text_danish_letters_and_escapes_wildcards(people, login_as) -> None:
    asker, mentor = people["asker"], people["mentor"]
    one = ask(asker, title="Moms på eksport", body="Hvordan med moms?")
    questions.answer_question(mentor, one.id, "Brug reverse charge ved ØRESUNDSHANDEL.")
    two = ask(asker, title="Rabat på 100% for nye kunder?", body="Er det lovligt_her?")
    questions.answer_question(mentor, two.id, "Ja, men skriv det tydeligt.")
    three = ask(asker, title="Æbler og pærer i ÆRØSKØBING", body="Salg på torvet")
    questions.answer_question(mentor, three.id, "Tal med kommunen.")
    other = people["other"]

    def titles(user, text):
        return {q.title for q in questions.search(user, text).items}

    assert titles(other, "reverse") == {"Moms på eksport"}  # by the answer's text
    assert titles(other, "øresundshandel") == {"Moms på eksport"}  # Danish letters, any case
    assert titles(other, "ærøskøbing") == {"Æbler og pærer i ÆRØSKØBING"}
    assert titles(other, "ÆBLER") == {"Æbler og pærer i ÆRØSKØBING"}
    assert titles(other, "100%") == {"Rabat på 100% for nye kunder?"}
    assert titles(other, "%") == {"Rabat på 100% for nye kunder?"}  # % is a literal
    assert titles(other, "lovligt_her") == {"Rabat på 100% for nye kunder?"}
    assert titles(other, "_") == {"Rabat på 100% for nye kunder?"}  # _ is a literal
    assert titles(other, "MOMS") == {"Moms på eksport"}
    assert titles(other, "findes ikke") == set()
    assert len(titles(other, "")) == 3

    page = login_as(other).get("/questions/", query_string={"q": "øresund"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Moms på eksport" in text and "Rabat" not in text


def test_search_leaves_out_hidden_answers_and_invisible_questions(people) -> None:
    asker, mentor, other = people["asker"], people["mentor"], people["other"]
    private = ask(asker, title="Privat", body="Hemmeligt", public=False)
    questions.answer_question(mentor, private.id, "kodeord-svar")
    public = ask(asker, title="Offentligt", body="Noget")
    questions.answer_question(mentor, public.id, "Et fint svar")
    answer = questions.answer_question(people["paused"], public.id, "skjult-tekst")
    questions.hide_answer(people["staff"], answer.id, "Upassende")
    assert questions.search(other, "kodeord").total == 0
    assert questions.search(other, "skjult-tekst").total == 0
    assert questions.search(people["mentor"], "kodeord").total == 1
    assert questions.search(people["staff"], "skjult-tekst").total == 1
    assert questions.search(asker, "kodeord").total == 1


def test_search_pages_newest_first(people, login_as) -> None:
    asker = people["asker"]
    made = []
    for n in range(25):
        question = ask(asker, title=f"Spørgsmål nummer {n:02d}")
        question.created_at = clock.now() - timedelta(hours=100 - n)
        made.append(question)
    db.session.commit()
    first = questions.search(people["staff"], QuestionQuery(page=1))
    assert first.total == 25 and len(first.items) == questions.PER_PAGE
    assert first.items[0].title == "Spørgsmål nummer 24"
    last = questions.search(people["staff"], QuestionQuery(page=99))
    assert last.page == 2 and len(last.items) == 5
    web = login_as(people["staff"])
    assert web.get("/questions/?page=2").status_code == 200
    assert web.get("/questions/?page=abc").status_code == 200


def test_a_too_long_search_is_refused_clearly(people, login_as) -> None:
    response = login_as(people["other"]).get("/questions/", query_string={"q": "x" * 201})
    assert response.status_code == 422
    assert 'id="q-error"' in response.get_data(as_text=True)


def test_the_index_costs_the_same_queries_for_more_questions(people, login_as) -> None:
    asker, mentor = people["asker"], people["mentor"]
    web = login_as(people["other"])

    def add(n):
        for i in range(n):
            question = ask(asker, title=f"Q{i}")
            questions.answer_question(mentor, question.id, "Svar")
            questions.answer_question(people["paused"], question.id, "Svar 2")

    add(2)
    few = count_queries(web, "/questions/")
    add(6)
    assert count_queries(web, "/questions/") == few
    staff = login_as(people["staff"])
    few = count_queries(staff, "/questions/")
    add(3)
    assert count_queries(staff, "/questions/") == few


def test_the_detail_page_costs_the_same_queries_for_more_answers(people, login_as) -> None:
    question = ask(people["asker"])
    web = login_as(people["staff"])
    questions.answer_question(people["mentor"], question.id, "Svar")
    few = count_queries(web, f"/questions/{question.id}")
    for _ in range(4):
        questions.answer_question(MentorFactory(), question.id, "Endnu et svar")
    assert count_queries(web, f"/questions/{question.id}") == few


def test_the_limits_are_the_services_everywhere(app) -> None:
    from taskboerse.services.notifications import MAX_REASON
    from taskboerse.web.api.openapi import SCHEMAS
    from taskboerse.web.questions.forms import AnswerForm, HideForm, QuestionForm

    with app.test_request_context():
        question, answer, hide = (
            QuestionForm(meta={"csrf": False}),
            AnswerForm(meta={"csrf": False}),
            HideForm(meta={"csrf": False}),
        )
        for form, name, limit in (
            (question, "title", MAX_QUESTION_TITLE),
            (question, "body", MAX_QUESTION_BODY),
            (answer, "body", MAX_ANSWER),
            (hide, "reason", MAX_REASON),
        ):
            assert [v.max for v in form[name].validators if hasattr(v, "max")] == [limit]
    assert SCHEMAS["QuestionCreate"]["properties"]["title"]["maxLength"] == MAX_QUESTION_TITLE
    assert SCHEMAS["QuestionCreate"]["properties"]["body"]["maxLength"] == MAX_QUESTION_BODY
    assert SCHEMAS["AnswerCreate"]["properties"]["body"]["maxLength"] == MAX_ANSWER
