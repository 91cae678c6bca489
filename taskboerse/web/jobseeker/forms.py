"""The graduate's profile form."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, NumberRange, Optional

from taskboerse.web.forms import BaseForm, postcode_field

DEGREE_CHOICES = [
    SelectChoice("", _l("Choose …")),
    SelectChoice("professional_bachelor", _l("Professional bachelor")),
    SelectChoice("bachelor", _l("Bachelor")),
    SelectChoice("master", _l("Master (cand.)")),
    SelectChoice("phd", _l("PhD")),
]


class ProfileForm(BaseForm):
    """Education, skills, languages, availability and place."""

    degree_level = SelectField(_l("Degree level"), choices=DEGREE_CHOICES, validators=[Optional()])
    # Free text; the page suggests the vocabulary's educations (a <datalist>, no script) and
    # the service links what is typed to the vocabulary.
    field = StringField(
        _l("Field of study"),
        validators=[
            Optional(),
            Length(max=120, message=_l("At most %(max)d characters.", max=120)),
        ],
        render_kw={"list": "education-suggestions", "autocomplete": "off"},
    )
    institution = StringField(_l("Institution"), validators=[Optional(), Length(max=160)])
    graduation_year = IntegerField(
        _l("Graduation year"),
        validators=[Optional(), NumberRange(min=1950, max=2100, message=_l("Enter a year."))],
    )
    skills = StringField(
        _l("Skills (separated by commas)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"data-skill-input": "1"},
    )
    languages = StringField(
        _l("Languages (separated by commas)"), validators=[Optional(), Length(max=400)]
    )
    hours_per_week = IntegerField(
        _l("Hours per week available"),
        validators=[Optional(), NumberRange(min=1, max=60, message=_l("Enter 1 to 60 hours."))],
    )
    postcode = postcode_field(_l("Postcode"))
    max_distance_km = IntegerField(
        _l("How far will you travel? (km)"),
        default=25,
        validators=[
            Optional(),
            NumberRange(min=1, max=500, message=_l("Enter a distance between 1 and 500 km.")),
        ],
    )
    remote_ok = BooleanField(_l("I can work remotely"))
    show_ratings = BooleanField(_l("Show ratings from companies on my CV"))
    about = TextAreaField(_l("About me"), validators=[Optional(), Length(max=3000)])
    phone = StringField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )


class ConsentForm(BaseForm):
    """Give ("yes") or withdraw ("no") consent to share activity with the job centre."""

    share = HiddenField(validators=[AnyOf(["yes", "no"])])
