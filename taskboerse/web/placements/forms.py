"""The placement page's forms: a day's hours and the job centre's reason for declining."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from taskboerse.services.notifications import MAX_REASON
from taskboerse.services.placements import MAX_HOURS_NOTE
from taskboerse.web.forms import REQUIRED, BaseForm


class HoursForm(BaseForm):
    """The hours the graduate worked on one day. The hours stay text ("7,5") so the service
    reads them the Danish way and says what is wrong with them."""

    date = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    hours = StringField(
        _l("Hours"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 6},
    )
    note = StringField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=MAX_HOURS_NOTE)],
        render_kw={"maxlength": MAX_HOURS_NOTE},
    )


class DeclineForm(BaseForm):
    """The caseworker's reason for declining a praktik; both sides read it."""

    reason = TextAreaField(
        _l("Reason for declining"),
        validators=[
            DataRequired(_l("Give the reason for declining.")),
            Length(
                max=MAX_REASON,
                message=_l("The reason can be at most %(n)d characters.", n=MAX_REASON),
            ),
        ],
        render_kw={"maxlength": MAX_REASON, "rows": 3},
    )
