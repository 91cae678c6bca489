"""Saving a search from the task list, changing its alerts and name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from taskboerse.models import AlertFrequency
from taskboerse.services.saved_searches import FREQUENCY_LABELS, MAX_NAME, MAX_Q
from taskboerse.web.forms import REQUIRED, BaseForm

WHOLE_NUMBER = Regexp(r"^[0-9]{1,9}$", message=_l("Enter a whole number."))
FREQUENCIES = (
    AlertFrequency.INSTANT,
    AlertFrequency.DAILY,
    AlertFrequency.WEEKLY,
    AlertFrequency.NONE,
)


FREQUENCY_LABEL = _l("Alerts by email")


def frequency_field() -> SelectField:
    """How often to hear about new tasks: instantly, daily, weekly or not at all."""
    return SelectField(
        FREQUENCY_LABEL,
        choices=[SelectChoice(f.value, FREQUENCY_LABELS[f]) for f in FREQUENCIES],
        default=AlertFrequency.DAILY.value,
    )


def name_field() -> StringField:
    """The saved search's name."""
    return StringField(
        _l("Name of the search"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=MAX_NAME, message=_l("At most %(max)d characters.", max=MAX_NAME)),
        ],
        render_kw={"maxlength": MAX_NAME, "autocomplete": "off"},
    )


class SaveSearchForm(BaseForm):
    """The task list's current filters (hidden) with a name and a frequency. Shown on the
    task list with the prefix ``save-`` so its ids never clash with the search form's."""

    name = name_field()
    frequency = frequency_field()
    q = HiddenField(validators=[Optional(), Length(max=MAX_Q)])
    skill = HiddenField(validators=[Optional(), WHOLE_NUMBER])
    remote = HiddenField(validators=[Optional(), AnyOf(["yes", "no"])])
    form = HiddenField(validators=[Optional(), AnyOf(["praktik", "paid", "voluntary"])])
    max_hours = HiddenField(validators=[Optional(), WHOLE_NUMBER])
    within_km = HiddenField(validators=[Optional(), WHOLE_NUMBER])


class FrequencyForm(BaseForm):
    """Change how often one saved search (or "new tasks that fit you") alerts."""

    frequency = frequency_field()


class RenameForm(BaseForm):
    """Give a saved search another name."""

    name = name_field()
