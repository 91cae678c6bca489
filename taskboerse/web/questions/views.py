"""Spørg en mentor: entrepreneurs' questions to the mentor pool, mentors' answers, the helpful
answer, search, and staff moderation. Every rule (who sees what, who may do what) is in
services/questions.py; the views parse, call it and render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import MENTOR_PROGRAMME_ROLES, Question, Role
from taskboerse.services import questions
from taskboerse.services.errors import DomainError, ValidationFailed
from taskboerse.services.questions import QUESTION_ROLES, QuestionQuery
from taskboerse.web.access import role_required
from taskboerse.web.forms import EmptyForm, flash_form_errors, is_whole_number, show_domain_error
from taskboerse.web.questions.forms import AnswerForm, HideForm, QuestionForm

bp = Blueprint("questions", __name__, url_prefix="/questions")

# Characters of a question's details shown in a list.
EXCERPT = 240


def _page() -> int:
    raw = request.args.get("page")
    return int(raw) if is_whole_number(raw, max_digits=5) else 1


def _summary(question: Question) -> dict[str, Any]:
    """What a list shows of a question, precomputed so the template only displays."""
    answers = questions.visible_answers(question, current_user)
    helpful = questions.helpful_answer(question)
    if helpful is not None and not questions.answer_visible_to(helpful, current_user):
        helpful = None
    return {
        "q": question,
        "answers": len([a for a in answers if a.hidden_at is None]),
        "helpful": helpful,
        "mine": question.author_id == current_user.id,
        # Lists never name the asker (not even to staff): the question's own page does, for
        # staff, and that opening is in the asker's access log.
        "asker": None,
        "hidden_answers": sum(1 for a in question.answers if a.hidden_at is not None)
        if questions.is_staff(current_user)
        else 0,
    }


# --- the list --------------------------------------------------------------------------------


@bp.route("/")
@role_required(*QUESTION_ROLES)
def index():
    """Entrepreneurs: search, ask, their own questions and others' answered public ones.
    Mentors: questions waiting for an answer first, then the rest. Staff: everything."""
    user = current_user
    text = request.args.get("q", "")
    page = _page()
    approved = questions.is_approved_mentor(user)
    own: list = []
    waiting: list = []
    results = None
    search_error = None
    status = 200
    query = QuestionQuery(
        text=text,
        page=page,
        exclude_own=user.role == Role.ENTREPRENEUR,
        answered=True if (user.role == Role.MENTOR and not text.strip()) else None,
    )
    if user.role == Role.ENTREPRENEUR:
        own = questions.own_questions(user)
    if approved and not text.strip():
        waiting = questions.waiting_questions(user)
    if user.role != Role.MENTOR or approved:
        try:
            results = questions.search(user, query)
        except ValidationFailed as error:
            search_error, status = str(error.message), 422
    return render_template(
        "questions/index.html",
        role=user.role.value,
        staff=user.role in MENTOR_PROGRAMME_ROLES,
        approved=approved,
        q=text[: questions.MAX_SEARCH],
        search_error=search_error,
        own=[_summary(x) for x in own],
        waiting_rows=[_summary(x) for x in waiting],
        results=results,
        rows=[_summary(x) for x in results.items] if results is not None else [],
        excerpt=EXCERPT,
    ), status


# --- asking ----------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ENTREPRENEUR)
def new():
    """The entrepreneur writes a question and chooses public or private."""
    form = QuestionForm()
    status = 200
    if form.validate_on_submit():
        try:
            question = questions.ask_question(
                current_user,
                form.title.data,
                form.body.data,
                form.visibility.data == "public",
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            for part in getattr(error, "errors", None) or [error]:
                show_domain_error(form, part)
        else:
            flash(
                _("Your question is posted. You get a notification when a mentor answers."),
                "success",
            )
            return redirect(url_for("questions.detail", question_id=question.id))
    if request.method == "POST":
        status = 422
    return render_template("questions/new.html", form=form), status


# --- one question ----------------------------------------------------------------------------


def _hide_form(prefix: str) -> HideForm:
    return HideForm(formdata=None, prefix=prefix)


def _render_detail(
    question: Question,
    answer_form: AnswerForm | None = None,
    hide_forms: dict[str, HideForm] | None = None,
    status: int = 200,
):
    user = current_user
    staff = questions.is_staff(user)
    answers = questions.visible_answers(question, user)
    helpful = questions.helpful_answer(question)
    helpful_id = helpful.id if helpful is not None and helpful in answers else None
    approved = questions.is_approved_mentor(user)
    already = any(a.author_id == user.id for a in question.answers)
    may_answer = approved and question.hidden_at is None and not already
    forms = dict(hide_forms or {})
    if staff:
        forms.setdefault("question", _hide_form("question"))
        for answer in answers:
            forms.setdefault(f"a{answer.id}", _hide_form(f"a{answer.id}"))
    asker = None
    if question.author is not None and questions.shows_asker(question, user):
        asker = question.author.name
    return render_template(
        "questions/detail.html",
        question=question,
        answers=answers,
        helpful_id=helpful_id,
        headlines=questions.mentor_headlines(a.author_id for a in answers),
        asker=asker,
        mine=question.author_id == user.id,
        staff=staff,
        may_answer=may_answer,
        already_answered=already,
        may_mark=question.author_id == user.id and question.hidden_at is None,
        answer_form=answer_form or (AnswerForm(formdata=None) if may_answer else None),
        hide_forms=forms,
        button_form=EmptyForm(formdata=None),
    ), status


@bp.route("/<id:question_id>")
@role_required(*QUESTION_ROLES)
def detail(question_id: int):
    """The question and its answers; what the reader may do with them."""
    return _render_detail(questions.get_question(current_user, question_id))


@bp.route("/<id:question_id>/answers", methods=["POST"])
@role_required(Role.MENTOR)
def answer(question_id: int):
    """An approved mentor answers; the asker is told."""
    form = AnswerForm()
    status = 422
    if form.validate_on_submit():
        try:
            questions.answer_question(current_user, question_id, form.body.data)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            status = error.status_code
            show_domain_error(form, error)
        else:
            flash(_("Your answer is posted. The entrepreneur is told."), "success")
            return redirect(url_for("questions.detail", question_id=question_id))
    question = questions.get_question(current_user, question_id)
    return _render_detail(question, answer_form=form, status=status)


@bp.route("/answers/<id:answer_id>/helpful", methods=["POST"])
@role_required(Role.ENTREPRENEUR)
def helpful(answer_id: int):
    """The asker marks the answer that helped (it moves from any other)."""
    form = EmptyForm()
    question_id = None
    if form.validate_on_submit():
        try:
            answer = questions.mark_helpful(current_user, answer_id)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            question_id = answer.question_id
            flash(_("Marked as the helpful answer. Thank you!"), "success")
    else:
        flash_form_errors(form)
    if question_id is None:
        question_id = questions.question_id_for_answer(current_user, answer_id)
    return redirect(url_for("questions.detail", question_id=question_id))


def _moderate(action, object_id: int, prefix: str, question_id_of, success: str):
    """Run a hide (with the reason from the form named ``prefix``) or an unhide."""
    if action in (questions.hide_question, questions.hide_answer):
        form = HideForm(prefix=prefix)
        if form.validate_on_submit():
            try:
                action(current_user, object_id, form.reason.data)
            except DomainError as error:
                if error.status_code in (403, 404):
                    raise
                if error.field != "reason":
                    show_domain_error(None, error)
                    return redirect(
                        url_for("questions.detail", question_id=question_id_of(object_id))
                    )
                show_domain_error(form, error)
            else:
                flash(success, "success")
                return redirect(url_for("questions.detail", question_id=question_id_of(object_id)))
        question = questions.get_question(current_user, question_id_of(object_id))
        return _render_detail(question, hide_forms={prefix: form}, status=422)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            action(current_user, object_id)
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            show_domain_error(None, error)
        else:
            flash(success, "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("questions.detail", question_id=question_id_of(object_id)))


def _same(question_id: int) -> int:
    return question_id


def _of_answer(answer_id: int) -> int:
    return questions.question_id_for_answer(current_user, answer_id)


@bp.route("/<id:question_id>/hide", methods=["POST"])
@role_required(*MENTOR_PROGRAMME_ROLES)
def hide(question_id: int):
    """Staff hide a question with a reason the asker reads."""
    return _moderate(
        questions.hide_question,
        question_id,
        "question",
        _same,
        _("The question is hidden. The entrepreneur is told why."),
    )


@bp.route("/<id:question_id>/unhide", methods=["POST"])
@role_required(*MENTOR_PROGRAMME_ROLES)
def unhide(question_id: int):
    """Staff show a hidden question again."""
    return _moderate(
        questions.unhide_question, question_id, "", _same, _("The question is shown again.")
    )


@bp.route("/answers/<id:answer_id>/hide", methods=["POST"])
@role_required(*MENTOR_PROGRAMME_ROLES)
def hide_answer(answer_id: int):
    """Staff hide an answer with a reason its mentor reads."""
    return _moderate(
        questions.hide_answer,
        answer_id,
        f"a{answer_id}",
        _of_answer,
        _("The answer is hidden. The mentor is told why."),
    )


@bp.route("/answers/<id:answer_id>/unhide", methods=["POST"])
@role_required(*MENTOR_PROGRAMME_ROLES)
def unhide_answer(answer_id: int):
    """Staff show a hidden answer again."""
    return _moderate(
        questions.unhide_answer, answer_id, "", _of_answer, _("The answer is shown again.")
    )
