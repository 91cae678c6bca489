"""Admin forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from taskboerse.web.forms_support import REQUIRED, BaseForm, password_field

ROLE_CHOICES = [
    SelectChoice("caseworker", _l("Caseworker")),
    SelectChoice("admin", _l("Administrator")),
    SelectChoice("jobseeker", _l("Graduate")),
    SelectChoice("entrepreneur", _l("Entrepreneur")),
]


class NewUserForm(BaseForm):
    """An account created by an admin, typically a caseworker."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = password_field()
