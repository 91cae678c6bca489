"""The question pages' forms: a question, an answer, and the business service's reason for
hiding a post."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from taskboerse.services.mentoring import MAX_ANSWER, MAX_QUESTION_BODY, MAX_QUESTION_TITLE
from taskboerse.services.notifications import MAX_REASON
from taskboerse.web.forms import BaseForm

VISIBILITY_CHOICES = [
    SelectChoice(
        "public",
        _l(
            "Public: once a mentor has answered, other entrepreneurs can find the question "
            "and the answers. Your name is not shown."
        ),
    ),
    SelectChoice(
        "private", _l("Private: only you, the approved mentors and the business service see it.")
    ),
]


class QuestionForm(BaseForm):
    """An entrepreneur's question to the mentor pool."""

    title = StringField(
        _l("Your question in one line"),
        validators=[
            DataRequired(_l("Write your question in one line.")),
            Length(
                max=MAX_QUESTION_TITLE,
                message=_l("The title can be at most %(n)d characters.", n=MAX_QUESTION_TITLE),
            ),
        ],
        render_kw={"maxlength": MAX_QUESTION_TITLE, "autocomplete": "off"},
    )
    body = TextAreaField(
        _l("Details"),
        validators=[
            DataRequired(_l("Describe your question, so a mentor can answer it.")),
            Length(
                max=MAX_QUESTION_BODY,
                message=_l("The question can be at most %(n)d characters.", n=MAX_QUESTION_BODY),
            ),
        ],
        render_kw={"maxlength": MAX_QUESTION_BODY, "rows": 8},
    )
    visibility = RadioField(
        _l("Who can see the question?"),
        choices=VISIBILITY_CHOICES,
        default="public",
        validators=[InputRequired(_l("Choose public or private."))],
    )


class AnswerForm(BaseForm):
    """A mentor's answer."""

    body = TextAreaField(
        _l("Your answer"),
        validators=[
            DataRequired(_l("Write your answer.")),
            Length(
                max=MAX_ANSWER,
                message=_l("The answer can be at most %(n)d characters.", n=MAX_ANSWER),
            ),
        ],
        render_kw={"maxlength": MAX_ANSWER, "rows": 8},
    )


class HideForm(BaseForm):
    """Why the business service hides a post; its author reads the reason."""

    reason = TextAreaField(
        _l("Reason for hiding"),
        validators=[
            DataRequired(_l("Give the reason for hiding. The author reads it.")),
            Length(
                max=MAX_REASON,
                message=_l("The reason can be at most %(n)d characters.", n=MAX_REASON),
            ),
        ],
        render_kw={"maxlength": MAX_REASON, "rows": 3},
    )
