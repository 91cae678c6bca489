"""The mentor's profile form. The rules (lengths, ranges, the vocabulary, postcodes) are the
service's, which reports every refused field at once; the form only carries the values, and
the browser gets the same limits as hints (maxlength, min/max)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from taskboerse.services.companies import SECTORS
from taskboerse.services.mentoring import MAX_BIO, MAX_CAPACITY, MAX_HEADLINE, MAX_HOURS_PER_MONTH
from taskboerse.services.notifications import MAX_REASON
from taskboerse.services.places import MAX_DISTANCE_KM
from taskboerse.web.forms import BaseForm


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice (the name is what _macros.field renders as a
    fieldset); unknown codes reach the service, which says why."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def _number(label, low: int, high: int, **render) -> StringField:
    """A whole number typed in a text field (checked by the service, so a wrong value is
    reported together with every other refusal)."""
    return StringField(
        label,
        render_kw={"type": "number", "inputmode": "numeric", "min": low, "max": high, **render},
    )


class MentorProfileForm(BaseForm):
    """What a mentor tells entrepreneurs about themselves."""

    headline = StringField(
        _l("Headline"),
        render_kw={"maxlength": MAX_HEADLINE, "autocomplete": "organization-title"},
    )
    bio = TextAreaField(_l("About you"), render_kw={"maxlength": MAX_BIO, "rows": 6})
    expertise = StringField(
        _l("Areas of expertise (separated by commas)"),
        render_kw={"data-skill-input": "1"},
    )
    sectors = MultiCheckboxField(
        _l("Sectors you know well"),
        choices=[SelectChoice(code, label) for code, label in SECTORS.items()],
    )
    languages = StringField(
        _l("Languages you can mentor in (separated by commas)"), render_kw={"maxlength": 400}
    )
    hours_per_month = _number(_l("Hours a month you can give"), 1, MAX_HOURS_PER_MONTH)
    capacity = _number(_l("Entrepreneurs at a time"), 1, MAX_CAPACITY)
    postcode = StringField(
        _l("Postcode where you can meet"),
        render_kw={"inputmode": "numeric", "maxlength": 4, "autocomplete": "postal-code"},
    )
    max_distance_km = _number(_l("How far will you travel? (km)"), 1, MAX_DISTANCE_KM)
    online = BooleanField(_l("I can meet online"))


class RejectMentorForm(BaseForm):
    """Why the business service refuses a mentor; the mentor reads it in the email. The
    service requires it (a mentor that is no longer waiting is NotFound before that)."""

    reason = TextAreaField(
        _l("Reason for refusing (the mentor reads it)"),
        validators=[
            Length(
                max=MAX_REASON,
                message=_l("The reason can be at most %(n)d characters.", n=MAX_REASON),
            )
        ],
        render_kw={"maxlength": MAX_REASON, "rows": 3},
    )
