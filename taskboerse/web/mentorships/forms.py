"""The mentorship page's forms: a meeting, its shared agenda, one's private note, feedback at
the end and the entrepreneur's outcome. The limits are the service's (services/mentoring.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from taskboerse.services.mentoring import MAX_AGENDA, MAX_FEEDBACK, MAX_NOTE, OUTCOMES
from taskboerse.services.mentorships import MAX_OUTCOME_NOTE, RATINGS
from taskboerse.web.forms import REQUIRED, BaseForm


def _text(label, limit: int, message, rows: int = 3) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=limit, message=message)],
        render_kw={"maxlength": limit, "rows": rows},
    )


class MeetingForm(BaseForm):
    """A meeting held or planned, with an agenda both sides see."""

    held_on = DateField(_l("Date of the meeting"), validators=[InputRequired(REQUIRED)])
    agenda = _text(
        _l("Agenda (both of you see it)"),
        MAX_AGENDA,
        _l("The agenda can be at most %(n)d characters.", n=MAX_AGENDA),
    )


class AgendaForm(BaseForm):
    """A meeting's shared agenda."""

    agenda = _text(
        _l("Agenda (both of you see it)"),
        MAX_AGENDA,
        _l("The agenda can be at most %(n)d characters.", n=MAX_AGENDA),
    )


class NoteForm(BaseForm):
    """One's private note on a meeting."""

    body = _text(
        _l("My private note"),
        MAX_NOTE,
        _l("A note can be at most %(n)d characters.", n=MAX_NOTE),
        rows=4,
    )


class FeedbackForm(BaseForm):
    """Feedback at the end: 1-5 and a sentence."""

    rating = RadioField(
        _l("How was the mentorship? (1 = poor, 5 = very good)"),
        choices=[SelectChoice(str(n), str(n)) for n in RATINGS],
        validators=[InputRequired(_l("Choose a rating from 1 to 5."))],
    )
    comment = _text(
        _l("A sentence about it (optional)"),
        MAX_FEEDBACK,
        _l("The comment can be at most %(n)d characters.", n=MAX_FEEDBACK),
    )


class OutcomeForm(BaseForm):
    """What came of the mentorship, in the entrepreneur's words."""

    outcome = RadioField(
        _l("What came of the mentorship?"),
        choices=[SelectChoice(code.value, label) for code, label in OUTCOMES.items()],
        validators=[InputRequired(_l("Choose what came of the mentorship."))],
    )
    note = _text(
        _l("More about it (optional)"),
        MAX_OUTCOME_NOTE,
        _l("The note can be at most %(n)d characters.", n=MAX_OUTCOME_NOTE),
    )
