"""The entrepreneur's forms: company, task, reference."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from taskboerse.labels import rating_label
from taskboerse.models import TaskForm as Form
from taskboerse.services import companies, placements, tasks
from taskboerse.services.conversations import MESSAGE_MAX_LENGTH
from taskboerse.services.logos import LOGO_FORMATS
from taskboerse.web.forms import REQUIRED, BaseForm, postcode_field


def _one_line_breaks(text: str | None) -> str | None:
    """A browser sends a textarea's line breaks as CRLF; count each as one character, as the
    textarea's maxlength does."""
    return text.replace("\r\n", "\n") if isinstance(text, str) else text


class CompanyForm(BaseForm):
    """Company name and CVR number, and the public profile shown on the company's tasks."""

    # The company's attributes the form shows (the logo is uploaded, never shown back).
    COMPANY_FIELDS = (
        "name",
        "cvr",
        "phone",
        "description",
        "website",
        "sector",
        "address",
        "postcode",
        "employees",
    )

    name = StringField(_l("Company name"), validators=[DataRequired(REQUIRED), Length(max=160)])
    cvr = StringField(
        _l("CVR number"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    phone = StringField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )
    description = TextAreaField(
        _l("Description (optional)"),
        filters=[_one_line_breaks],
        validators=[
            Optional(),
            Length(
                max=companies.MAX_COMPANY_DESCRIPTION,
                message=_l(
                    "The description can be at most %(n)d characters.",
                    n=companies.MAX_COMPANY_DESCRIPTION,
                ),
            ),
        ],
        render_kw={"rows": 5, "maxlength": companies.MAX_COMPANY_DESCRIPTION},
    )
    website = StringField(
        _l("Website (optional)"),
        validators=[Optional(), Length(max=companies.MAX_WEBSITE)],
        render_kw={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"},
    )
    sector = SelectField(
        _l("Sector (optional)"),
        choices=[SelectChoice("", _l("Choose a sector"))]
        + [SelectChoice(code, label) for code, label in companies.SECTORS.items()],
        validators=[Optional()],
    )
    address = StringField(
        _l("Street address (optional)"),
        validators=[Optional(), Length(max=companies.MAX_ADDRESS)],
        render_kw={"autocomplete": "street-address"},
    )
    postcode = postcode_field(_l("Postcode (optional)"))
    employees = IntegerField(
        _l("Number of ordinary employees"),
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=companies.MAX_EMPLOYEES,
                message=_l(
                    "Enter the number of ordinary employees: 0 to %(n)d.",
                    n=companies.MAX_EMPLOYEES,
                ),
            ),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": companies.MAX_EMPLOYEES},
    )
    logo = FileField(
        _l("Logo (optional)"),
        render_kw={"accept": ",".join(f"image/{f.lower()}" for f in LOGO_FORMATS)},
    )
    remove_logo = BooleanField(_l("Remove logo"))


class ChosenRadioField(RadioField):
    """A required choice: nothing chosen gives only the required message, not also WTForms'
    "Not a valid choice"."""

    def pre_validate(self, form) -> None:  # noqa: D102
        if self.raw_data:
            super().pre_validate(form)


class TaskForm(BaseForm):
    """A task's content, size, place and skills."""

    title = StringField(
        _l("Title"), validators=[DataRequired(REQUIRED), Length(max=tasks.MAX_TITLE)]
    )
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(REQUIRED), Length(max=tasks.MAX_DESCRIPTION)],
        render_kw={"rows": 8},
    )
    required_skills = StringField(
        _l("Required skills (separated by commas)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"data-skill-input": "1"},
    )
    nice_skills = StringField(
        _l("Nice-to-have skills (separated by commas)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"data-skill-input": "1"},
    )
    hours = IntegerField(
        _l("Estimated hours"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                min=1,
                max=tasks.MAX_HOURS,
                message=_l("Enter 1 to %(n)d hours.", n=tasks.MAX_HOURS),
            ),
        ],
    )
    deadline = DateField(
        _l("Deadline"),
        validators=[InputRequired(_l("Enter a date."))],
        render_kw={"type": "date"},
    )
    postcode = postcode_field(_l("Postcode (where the work is done)"))
    remote = BooleanField(_l("Can be done remotely"))
    capacity = IntegerField(
        _l("How many graduates"),
        default=1,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                min=1,
                max=tasks.MAX_CAPACITY,
                message=_l("Enter 1 to %(n)d graduates.", n=tasks.MAX_CAPACITY),
            ),
        ],
    )
    learning = TextAreaField(
        _l("What the graduate will learn"),
        validators=[Optional(), Length(max=tasks.MAX_LEARNING)],
    )
    # What the task is for a graduate on dagpenge; no choice is made for the entrepreneur.
    form = ChosenRadioField(
        _l("What is the task?"),
        choices=[
            SelectChoice(Form.PRAKTIK.value, _l("Virksomhedspraktik")),
            SelectChoice(Form.PAID.value, _l("Paid small job")),
            SelectChoice(Form.VOLUNTARY.value, _l("Voluntary work in an association")),
        ],
        validators=[
            InputRequired(
                _l("Choose what the task is: virksomhedspraktik, paid small job or voluntary work.")
            )
        ],
    )
    hourly_wage = IntegerField(
        _l("Hourly wage (DKK)"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    hours_per_week = IntegerField(
        _l("Hours a week"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    weeks = IntegerField(
        _l("Number of weeks"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    uses_degree = BooleanField(_l("The work uses the graduate's higher education"))

    def form_choice(self) -> Form | None:
        """The chosen form, or None when none (or no valid one) is chosen."""
        try:
            return Form(self.form.data) if self.form.data else None
        except ValueError:
            return None


class PlacementForm(BaseForm):
    """What the entrepreneur agrees when accepting a graduate for a virksomhedspraktik."""

    purpose = TextAreaField(
        _l("Purpose of the praktik"),
        filters=[_one_line_breaks],
        validators=[
            DataRequired(
                _l("Write the purpose of the praktik: what the graduate will do and learn.")
            ),
            Length(
                max=placements.MAX_PURPOSE,
                message=_l("At most %(max)d characters.", max=placements.MAX_PURPOSE),
            ),
        ],
        render_kw={"rows": 6, "maxlength": placements.MAX_PURPOSE},
    )
    start_on = DateField(
        _l("Start date"),
        validators=[InputRequired(_l("Enter a date."))],
        render_kw={"type": "date"},
    )


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompleteForm(BaseForm):
    """The reference for completed work."""

    rating = RadioField(
        _l("Rating"),
        choices=[SelectChoice(str(i), rating_label(i)) for i in range(1, 6)],
        validators=[DataRequired(_l("Give a rating from 1 to 5."))],
    )
    reference = TextAreaField(
        _l("Reference"),
        validators=[DataRequired(REQUIRED), Length(max=5000)],
        render_kw={"rows": 6},
    )
    skills_used = MultiCheckboxField(_l("Skills the graduate used"), coerce=int)


class InviteForm(BaseForm):
    """An invitation to apply, with an optional personal message that opens the conversation."""

    message = TextAreaField(
        _l("Personal message (optional)"),
        validators=[Optional(), Length(max=MESSAGE_MAX_LENGTH)],
        render_kw={"maxlength": MESSAGE_MAX_LENGTH, "rows": 4},
    )
