"""Spørg en mentor: entrepreneurs' questions to the mentor pool, approved mentors' answers,
the asker's helpful answer, search, and the business service's moderation.

Who sees a question (``visible_clause`` is the one place this is decided):

* the asker: always their own, hidden ones too (with the business service's reason);
* other entrepreneurs: public questions with at least one visible answer — an answered
  question is what helps them, an unanswered one only waits for a mentor;
* approved mentors (paused ones too): every question not hidden, public or private;
* admins and business-service staff: everything, hidden posts included.

Mentors that are not yet approved, graduates and caseworkers see none. A paused mentor may
still answer: pausing stops new mentees, not a quick answer the mentor chooses to give.
The asker's name is shown to the asker and to staff only; mentors and other entrepreneurs
read "an entrepreneur", so a public question gives away no one's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, exists, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    MENTOR_PROGRAMME_ROLES,
    AccessAction,
    AccessPurpose,
    Answer,
    MentorProfile,
    NotificationKind,
    Question,
    Role,
    User,
)
from taskboerse.services import clock
from taskboerse.services.access_log import log_access
from taskboerse.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from taskboerse.services.mentoring import MAX_ANSWER, MAX_QUESTION_BODY, MAX_QUESTION_TITLE
from taskboerse.services.notifications import MAX_REASON, notify
from taskboerse.services.security import CPR_MESSAGE, contains_cpr

PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_SEARCH = 200
# The asker's own questions on the index page (newest first).
MAX_OWN_LISTED = 100
# The mentors' "waiting for an answer" list on the index page (oldest first).
MAX_WAITING_LISTED = 50

# Who may use the questions at all (graduates and caseworkers may not).
QUESTION_ROLES = (Role.ENTREPRENEUR, Role.MENTOR, *MENTOR_PROGRAMME_ROLES)

# SQLite's lower() folds ASCII letters only; these capitals are folded by hand first, so a
# search for "ærø" finds "ÆRØ" on SQLite as on PostgreSQL.
_FOLD = (("Æ", "æ"), ("Ø", "ø"), ("Å", "å"), ("Ä", "ä"), ("Ö", "ö"), ("Ü", "ü"), ("É", "é"))

NO_SUCH_QUESTION = _l("No such question.")
NO_SUCH_ANSWER = _l("No such answer.")


# --- who is who ------------------------------------------------------------------------------


def is_staff(user: User) -> bool:
    """Admins and business-service staff moderate and see everything."""
    return user.role in MENTOR_PROGRAMME_ROLES


def is_approved_mentor(user: User) -> bool:
    """A mentor whose profile the business service approved (paused or not)."""
    if user.role != Role.MENTOR:
        return False
    approved = db.session.execute(
        select(MentorProfile.approved_at).where(MentorProfile.user_id == user.id)
    ).scalar_one_or_none()
    return approved is not None


def _require_role(user: User) -> None:
    if user.role not in QUESTION_ROLES:
        raise Forbidden(_l("Questions to mentors are for entrepreneurs and mentors."))


# --- visibility ------------------------------------------------------------------------------


def _answer_shown():
    """SQL: an answer anyone but staff and its author can read."""
    return Answer.hidden_at.is_(None)


def _has_shown_answer():
    return exists().where(Answer.question_id == Question.id, _answer_shown())


def visible_clause(user: User, approved_mentor: bool | None = None):
    """SQL condition on Question: the questions ``user`` may open (module docstring)."""
    if is_staff(user):
        return true()
    if user.role == Role.MENTOR:
        if approved_mentor is None:
            approved_mentor = is_approved_mentor(user)
        return Question.hidden_at.is_(None) if approved_mentor else false()
    if user.role == Role.ENTREPRENEUR:
        return or_(
            Question.author_id == user.id,
            and_(Question.is_public.is_(True), Question.hidden_at.is_(None), _has_shown_answer()),
        )
    return false()


def answer_visible_to(answer: Answer, user: User) -> bool:
    """Whether ``user`` reads this answer: staff and its author always, others unless hidden."""
    return answer.hidden_at is None or is_staff(user) or answer.author_id == user.id


def visible_answers(question: Question, user: User) -> list[Answer]:
    """The answers of ``question`` that ``user`` reads, oldest first."""
    return [a for a in question.answers if answer_visible_to(a, user)]


def helpful_answer(question: Question) -> Answer | None:
    """The answer the asker marked as helpful, if any."""
    return next((a for a in question.answers if a.helpful_at is not None), None)


def shows_asker(question: Question, user: User) -> bool:
    """The asker's name is for the asker and staff; everyone else reads "an entrepreneur"."""
    return is_staff(user) or (question.author_id is not None and question.author_id == user.id)


def _load_question(question_id: int) -> Question | None:
    return db.session.execute(
        select(Question)
        .where(Question.id == question_id)
        .options(
            selectinload(Question.answers).selectinload(Answer.author),
            selectinload(Question.author),
        )
    ).scalar_one_or_none()


def get_question(user: User, question_id: int, via: str = "web") -> Question:
    """The question, if ``user`` may see it; NotFound otherwise (even when it exists). Staff
    read it with the asker's name, so their opening is in the asker's access log (commits)."""
    _require_role(user)
    question = db.session.execute(
        select(Question.id).where(Question.id == question_id, visible_clause(user))
    ).scalar_one_or_none()
    if question is None:
        raise NotFound(NO_SUCH_QUESTION)
    loaded = _load_question(question_id)
    if is_staff(user) and loaded.author_id is not None and loaded.author_id != user.id:
        log_access(
            user,
            [loaded.author_id],
            AccessAction.VIEW_QUESTION,
            AccessPurpose.MENTOR_PROGRAMME,
            via,
        )
        db.session.commit()
    return loaded


def mentor_headlines(user_ids: Iterable[int | None]) -> dict[int, str]:
    """Each mentor's one-line headline, by user id (one query for a page of answers)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(MentorProfile.user_id, MentorProfile.headline).where(MentorProfile.user_id.in_(ids))
    ).all()
    return {uid: headline for uid, headline in rows}


# --- checks ----------------------------------------------------------------------------------


def _text(value: str | None, field: str, limit: int, empty, too_long) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(empty, field=field)
    if len(text) > limit:
        raise ValidationFailed(too_long, field=field)
    if "\x00" in text:
        raise ValidationFailed(_l("The text holds a character that cannot be stored."), field)
    if contains_cpr(text):
        raise ValidationFailed(CPR_MESSAGE, field=field)
    return text


def check_title(title: str | None) -> str:
    """The question's title as stored: required, at most MAX_QUESTION_TITLE, no CPR."""
    return _text(
        title,
        "title",
        MAX_QUESTION_TITLE,
        _l("Write your question in one line."),
        _l("The title can be at most %(n)d characters.", n=MAX_QUESTION_TITLE),
    )


def check_body(body: str | None) -> str:
    """The question's details as stored: required, at most MAX_QUESTION_BODY, no CPR."""
    return _text(
        body,
        "body",
        MAX_QUESTION_BODY,
        _l("Describe your question, so a mentor can answer it."),
        _l("The question can be at most %(n)d characters.", n=MAX_QUESTION_BODY),
    )


def check_answer(body: str | None) -> str:
    """An answer as stored: required, at most MAX_ANSWER, no CPR."""
    return _text(
        body,
        "body",
        MAX_ANSWER,
        _l("Write your answer."),
        _l("The answer can be at most %(n)d characters.", n=MAX_ANSWER),
    )


def check_hide_reason(reason: str | None) -> str:
    """Why a post is hidden: required (the author reads it), at most MAX_REASON, no CPR."""
    return _text(
        reason,
        "reason",
        MAX_REASON,
        _l("Give the reason for hiding. The author reads it."),
        _l("The reason can be at most %(n)d characters.", n=MAX_REASON),
    )


# --- asking and answering --------------------------------------------------------------------


def ask_question(entrepreneur: User, title: str, body: str, is_public: bool) -> Question:
    """Post a question to the mentor pool; commits. Approved mentors see it at once."""
    if entrepreneur.role != Role.ENTREPRENEUR:
        raise Forbidden(_l("Only entrepreneurs ask the mentors questions."))
    errors = []
    checked = {}
    for name, check, value in (("title", check_title, title), ("body", check_body, body)):
        try:
            checked[name] = check(value)
        except ValidationFailed as error:
            errors.append(error)
    if errors:
        first = errors[0]
        combined = ValidationFailed(first.message, field=first.field)
        combined.errors = errors  # the API names every field refused
        raise combined
    question = Question(
        author_id=entrepreneur.id,
        title=checked["title"],
        body=checked["body"],
        is_public=bool(is_public),
        created_at=clock.now(),
    )
    db.session.add(question)
    db.session.commit()
    return question


def answer_question(mentor: User, question_id: int, body: str) -> Answer:
    """An approved mentor answers (paused mentors too); the asker is told. Commits."""
    if mentor.role != Role.MENTOR:
        raise Forbidden(_l("Only mentors answer questions."))
    if not is_approved_mentor(mentor):
        raise Forbidden(
            _l("You can answer questions once the business service has approved your profile.")
        )
    question = get_question(mentor, question_id)
    body = check_answer(body)
    if any(a.author_id == mentor.id for a in question.answers):
        raise Conflict(_l("You have already answered this question."))
    answer = Answer(question_id=question.id, author_id=mentor.id, body=body, created_at=clock.now())
    db.session.add(answer)
    db.session.flush()
    if question.author is not None:
        notify(
            question.author,
            NotificationKind.QUESTION_ANSWERED,
            actor=mentor,
            params={"title": question.title, "question_id": question.id},
        )
    db.session.commit()
    return answer


def _answer_for(user: User, answer_id: int) -> Answer:
    """The answer, when ``user`` may see its question and the answer; NotFound otherwise."""
    _require_role(user)
    answer = db.session.get(Answer, answer_id)
    if answer is None or not answer_visible_to(answer, user):
        raise NotFound(NO_SUCH_ANSWER)
    visible = db.session.execute(
        select(Question.id).where(Question.id == answer.question_id, visible_clause(user))
    ).scalar_one_or_none()
    if visible is None:
        raise NotFound(NO_SUCH_ANSWER)
    return answer


def question_id_for_answer(user: User, answer_id: int) -> int:
    """The question an answer belongs to, when ``user`` may see it (for a page to return to)."""
    return _answer_for(user, answer_id).question_id


def mark_helpful(entrepreneur: User, answer_id: int) -> Answer:
    """The asker marks the answer that helped; one per question, so marking another moves
    the mark. Commits."""
    answer = _answer_for(entrepreneur, answer_id)
    question = answer.question
    if question.author_id != entrepreneur.id:
        raise Forbidden(_l("Only the one who asked marks the helpful answer."))
    if question.hidden_at is not None or answer.hidden_at is not None:
        raise Conflict(_l("The business service has hidden this post."))
    if answer.helpful_at is None:
        for other in question.answers:
            other.helpful_at = None
        answer.helpful_at = clock.now()
    db.session.commit()
    return answer


# --- moderation ------------------------------------------------------------------------------


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise Forbidden(_l("Only the business service moderates questions."))


def _hide(actor: User, post: Question | Answer, question: Question, reason: str, via: str):
    reason = check_hide_reason(reason)
    if post.hidden_at is not None:
        raise Conflict(_l("The post is already hidden."))
    post.hidden_at = clock.now()
    post.hidden_by_id = actor.id
    post.hidden_reason = reason
    if post.author is not None:
        notify(
            post.author,
            NotificationKind.QUESTION_HIDDEN,
            reason=reason,
            params={"title": question.title, "question_id": question.id},
        )
        log_access(
            actor,
            [post.author.id],
            AccessAction.HIDE_QUESTION,
            AccessPurpose.MENTOR_PROGRAMME,
            via=via,
        )
    db.session.commit()


def _unhide(post: Question | Answer) -> None:
    if post.hidden_at is None:
        raise Conflict(_l("The post is not hidden."))
    post.hidden_at = None
    post.hidden_by_id = None
    post.hidden_reason = ""
    db.session.commit()


def hide_question(actor: User, question_id: int, reason: str, via: str = "web") -> Question:
    """Staff hide a question with a reason the asker reads; it disappears for everyone but
    staff and the asker. The asker is told; the act is in the access log. Commits."""
    _require_staff(actor)
    question = get_question(actor, question_id)
    _hide(actor, question, question, reason, via)
    return question


def unhide_question(actor: User, question_id: int) -> Question:
    """Staff show a hidden question again. Commits."""
    _require_staff(actor)
    question = get_question(actor, question_id)
    _unhide(question)
    return question


def hide_answer(actor: User, answer_id: int, reason: str, via: str = "web") -> Answer:
    """Staff hide an answer with a reason its mentor reads; as ``hide_question``."""
    _require_staff(actor)
    answer = _answer_for(actor, answer_id)
    _hide(actor, answer, answer.question, reason, via)
    return answer


def unhide_answer(actor: User, answer_id: int) -> Answer:
    """Staff show a hidden answer again. Commits."""
    _require_staff(actor)
    answer = _answer_for(actor, answer_id)
    _unhide(answer)
    return answer


# --- lists and search ------------------------------------------------------------------------


def _fold(column):
    """The column lower-cased in SQL, Danish capitals too (see _FOLD)."""
    for upper, lower in _FOLD:
        column = func.replace(column, upper, lower)
    return func.lower(column)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def _matches(text: str, staff: bool):
    """SQL: the question's title, body or a visible answer holds ``text`` (any case)."""
    like = _like(text.lower())
    in_answer = exists().where(
        Answer.question_id == Question.id,
        _fold(Answer.body).like(like, escape="\\"),
        true() if staff else _answer_shown(),
    )
    return or_(
        _fold(Question.title).like(like, escape="\\"),
        _fold(Question.body).like(like, escape="\\"),
        in_answer,
    )


def _with_answers(stmt):
    return stmt.options(
        selectinload(Question.answers).selectinload(Answer.author),
        selectinload(Question.author),
    )


@dataclass(frozen=True)
class QuestionQuery:
    """A search: free text, which questions, and the page."""

    text: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    # Leave out the user's own questions (an entrepreneur's index lists them apart).
    exclude_own: bool = False
    # Only questions without a visible answer / only those with one (the mentors' index).
    answered: bool | None = None


def search(user: User, query: QuestionQuery | str = "", page: int = 1) -> Pagination:
    """The questions ``user`` may see whose title, details or an answer hold the text (any
    case, % and _ taken literally), newest first, a page at a time (a page past the end
    gives the last page)."""
    _require_role(user)
    if isinstance(query, str):
        query = QuestionQuery(text=query, page=page)
    text = query.text.strip()
    if len(text) > MAX_SEARCH:
        raise ValidationFailed(_l("Search with at most %(n)d characters.", n=MAX_SEARCH), field="q")
    stmt = select(Question).where(visible_clause(user))
    if text:
        stmt = stmt.where(_matches(text, is_staff(user)))
    if query.exclude_own:
        stmt = stmt.where(or_(Question.author_id.is_(None), Question.author_id != user.id))
    if query.answered is not None:
        has = _has_shown_answer()
        stmt = stmt.where(has if query.answered else ~has)
    stmt = _with_answers(stmt.order_by(Question.created_at.desc(), Question.id.desc()))
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    number = max(1, min(query.page, MAX_PAGE))
    found = db.paginate(stmt, page=number, per_page=per_page, error_out=False)
    if not found.items and number > 1 and found.pages:
        found = db.paginate(stmt, page=found.pages, per_page=per_page, error_out=False)
    return found


def own_questions(entrepreneur: User) -> list[Question]:
    """The entrepreneur's own questions, newest first, hidden ones too."""
    stmt = (
        select(Question)
        .where(Question.author_id == entrepreneur.id)
        .order_by(Question.created_at.desc(), Question.id.desc())
        .limit(MAX_OWN_LISTED)
    )
    return list(db.session.execute(_with_answers(stmt)).scalars())


def unanswered_count() -> int:
    """Questions to the mentor pool that are not hidden and have no visible answer yet (the
    mentor's start page and the business service's overview)."""
    return db.session.execute(
        select(func.count(Question.id)).where(Question.hidden_at.is_(None), ~_has_shown_answer())
    ).scalar_one()


def waiting_questions(mentor: User) -> list[Question]:
    """For an approved mentor: questions with no visible answer yet, the longest waiting
    first."""
    if not is_approved_mentor(mentor):
        return []
    stmt = (
        select(Question)
        .where(Question.hidden_at.is_(None), ~_has_shown_answer())
        .order_by(Question.created_at.asc(), Question.id.asc())
        .limit(MAX_WAITING_LISTED)
    )
    return list(db.session.execute(_with_answers(stmt)).scalars())
