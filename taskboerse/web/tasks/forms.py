"""Browsing and applying for tasks."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SearchField,
    SelectField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from taskboerse.services.search import DISTANCES_KM
from taskboerse.web.forms import REQUIRED, BaseForm


class TaskSearchForm(BaseForm):
    """Filters in the query string (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)])
    skill = SelectField(_l("Skill"), coerce=str, validators=[Optional()], validate_choice=False)
    remote = SelectField(
        _l("Place"),
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("yes", _l("Remote only")),
            SelectChoice("no", _l("On site only")),
        ],
        validators=[Optional()],
    )
    form = SelectField(
        _l("Kind of task"),
        choices=[
            SelectChoice("", _l("All forms")),
            SelectChoice("paid", _l("Paid small jobs")),
            SelectChoice("praktik", _l("Virksomhedspraktik")),
            SelectChoice("voluntary", _l("Voluntary work in an association")),
        ],
        validators=[Optional()],
    )
    max_hours = IntegerField(
        _l("At most hours"),
        validators=[Optional(), NumberRange(min=1, max=1000, message=_l("Enter 1 to 1000 hours."))],
    )
    deadline_before = DateField(
        _l("Deadline at the latest"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice("relevance", _l("Relevance")),
            SelectChoice("best", _l("Best match for me")),
            SelectChoice("deadline", _l("Deadline")),
            SelectChoice("newest", _l("Newest")),
            SelectChoice("distance", _l("Distance")),
        ],
        default="relevance",
        validators=[Optional()],
    )
    within_km = SelectField(
        _l("Distance from my postcode"),
        choices=[SelectChoice("", _l("Any distance"))]
        + [SelectChoice(str(km), _l("Within %(km)d km", km=km)) for km in DISTANCES_KM],
        validators=[Optional()],
    )


class ApplyForm(BaseForm):
    """A short motivation, and whether the graduate has worked for the company before."""

    motivation = TextAreaField(
        _l("Why are you a good fit? (short motivation)"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=2000, message=_l("At most %(max)d characters.", max=2000)),
        ],
    )
    worked_for_company = BooleanField(_l("I have worked for this company before"))
