"""The mentor-need pages' forms: the need itself, the message to a mentor, and the mentor's
answer (accept with a start and a length, or decline with a reason)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from taskboerse.services.mentoring import (
    DEFAULT_WEEKS,
    FREQUENCIES,
    MAX_MESSAGE,
    MAX_NEED_TEXT,
    MAX_WEEKS,
    MIN_WEEKS,
    STAGES,
    TOPICS,
)
from taskboerse.services.notifications import MAX_REASON
from taskboerse.web.forms import REQUIRED, BaseForm, postcode_field


def _choices(prompt, items) -> list[SelectChoice]:
    return [SelectChoice("", prompt)] + [SelectChoice(code, label) for code, label in items]


class NeedForm(BaseForm):
    """What the entrepreneur wants a mentor for, and where and how often to meet."""

    topic = SelectField(
        _l("What do you want a mentor for?"),
        choices=_choices(_l("Choose a topic"), ((c, t[0]) for c, t in TOPICS.items())),
        validators=[DataRequired(_l("Choose what you want a mentor for."))],
    )
    stage = SelectField(
        _l("Your company's stage"),
        choices=_choices(_l("Choose a stage"), STAGES.items()),
        validators=[DataRequired(_l("Choose your company's stage."))],
    )
    description = TextAreaField(
        _l("What would you like from a mentor?"),
        validators=[
            DataRequired(_l("Write what you would like from a mentor.")),
            Length(max=MAX_NEED_TEXT),
        ],
        render_kw={"rows": 6, "maxlength": MAX_NEED_TEXT},
    )
    frequency = SelectField(
        _l("How often would you like to meet?"),
        choices=_choices(_l("Choose how often"), FREQUENCIES.items()),
        validators=[DataRequired(_l("Choose how often you would like to meet."))],
    )
    postcode = postcode_field(_l("Postcode to meet near (optional)"))
    online = BooleanField(_l("Online meetings are fine"), default=True)
    skills = StringField(
        _l("Other expertise you want (optional, separated by commas)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"data-skill-input": "1"},
    )


class RequestForm(BaseForm):
    """The entrepreneur's message to one mentor."""

    message = TextAreaField(
        _l("Your message to the mentor"),
        validators=[
            DataRequired(_l("Write a message to the mentor.")),
            Length(max=MAX_MESSAGE),
        ],
        render_kw={"rows": 4, "maxlength": MAX_MESSAGE},
    )


class AcceptForm(BaseForm):
    """The mentor's yes: when to start and for how many weeks."""

    start_on = DateField(_l("Start"), validators=[Optional()])
    weeks = IntegerField(
        _l("Weeks"),
        default=DEFAULT_WEEKS,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                min=MIN_WEEKS,
                max=MAX_WEEKS,
                message=_l("Agree on %(min)d to %(max)d weeks.", min=MIN_WEEKS, max=MAX_WEEKS),
            ),
        ],
        render_kw={"min": MIN_WEEKS, "max": MAX_WEEKS, "inputmode": "numeric"},
    )


class DeclineForm(BaseForm):
    """The mentor's no, with a reason the entrepreneur reads."""

    reason = TextAreaField(
        _l("Why do you decline?"),
        validators=[
            DataRequired(_l("Tell the entrepreneur briefly why you decline.")),
            Length(
                max=MAX_REASON,
                message=_l("The reason can be at most %(n)d characters.", n=MAX_REASON),
            ),
        ],
        render_kw={"rows": 3, "maxlength": MAX_REASON},
    )
