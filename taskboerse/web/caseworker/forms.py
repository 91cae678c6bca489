"""Caseworker forms: caseload filters, notes, outcomes, statistics scope."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SearchField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from taskboerse.labels import flag_label
from taskboerse.services.caseload import MAX_NOTE
from taskboerse.services.follow_up import FlagCode
from taskboerse.web.forms import REQUIRED, BaseForm


class CaseloadFilterForm(BaseForm):
    """Filters and order in the query string (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    education = SearchField(_l("Education"), validators=[Optional(), Length(max=120)])
    flag = SelectField(
        _l("Follow-up points"),
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("any", _l("With a flag")),
            SelectChoice("none", _l("Without flags")),
            *(SelectChoice(code.value, flag_label(code)) for code in FlagCode),
        ],
        validators=[Optional()],
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice("name", _l("Name")),
            SelectChoice("education", _l("Education")),
            SelectChoice("registered", _l("Registered")),
            SelectChoice("applications", _l("Applications")),
            SelectChoice("accepted", _l("Accepted")),
            SelectChoice("completed", _l("Completed")),
            SelectChoice("last_activity", _l("Last activity")),
            SelectChoice("flags", _l("Follow-up points")),
        ],
        validators=[Optional()],
    )
    dir = SelectField(
        _l("Order"),
        choices=[SelectChoice("asc", _l("Ascending")), SelectChoice("desc", _l("Descending"))],
        validators=[Optional()],
    )


class NoteForm(BaseForm):
    """A note for the graduate's file."""

    text = TextAreaField(
        _l("New note (visible to the job centre only)"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=MAX_NOTE, message=_l("At most %(max)d characters.", max=MAX_NOTE)),
        ],
    )


class OutcomeForm(BaseForm):
    """Where the graduate went, and from when."""

    # Starts on "Choose …" so a caseworker never saves "Employed" by leaving the default.
    status = SelectField(
        _l("Outcome"),
        choices=[
            SelectChoice("", _l("Choose …")),
            SelectChoice("employed", _l("Employed")),
            SelectChoice("in_education", _l("In education")),
            SelectChoice("other", _l("Other")),
        ],
        default="",
        validators=[DataRequired(_l("Choose an outcome."))],
    )
    date = DateField(
        _l("From (date)"),
        validators=[InputRequired(REQUIRED)],
        render_kw={"type": "date"},
    )


class StatisticsForm(BaseForm):
    """Which graduates the statistics cover (GET)."""

    class Meta:
        csrf = False

    scope = SelectField(
        _l("Graduates"),
        choices=[
            SelectChoice("mine", _l("My caseload")),
            SelectChoice("all", _l("The whole job centre")),
        ],
        validators=[Optional()],
    )
