"""Admin forms."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SearchField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from taskboerse.labels import admin_action_label
from taskboerse.models import AccessAction
from taskboerse.web.forms import REQUIRED, BaseForm, password_field

ROLE_CHOICES = [
    SelectChoice("caseworker", _l("Caseworker")),
    SelectChoice("admin", _l("Administrator")),
    SelectChoice("jobseeker", _l("Graduate")),
    SelectChoice("entrepreneur", _l("Entrepreneur")),
    SelectChoice("business_staff", _l("Business service")),
    SelectChoice("mentor", _l("Mentor")),
]


class NewUserForm(BaseForm):
    """An account created by an admin, typically a caseworker or business-service staff
    (a mentor created here fills in their profile and waits for approval as any mentor)."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = password_field()


class UserSearchForm(BaseForm):
    """Search and filter the user list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("", _l("All roles")),
            SelectChoice("jobseeker", _l("Graduate")),
            SelectChoice("entrepreneur", _l("Entrepreneur")),
            SelectChoice("caseworker", _l("Caseworker")),
            SelectChoice("admin", _l("Administrator")),
            SelectChoice("mentor", _l("Mentor")),
            SelectChoice("business_staff", _l("Business service")),
        ],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("Active and disabled")),
            SelectChoice("active", _l("Active")),
            SelectChoice("disabled", _l("Disabled")),
        ],
        validators=[Optional()],
    )


class EditUserForm(BaseForm):
    """An admin's change to an account's name, email or role."""

    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class AssignForm(BaseForm):
    """Assign a graduate (by email, or a name only one graduate has) to a caseworker."""

    caseworker = SelectField(_l("Caseworker"), validators=[DataRequired(REQUIRED)])
    jobseeker = SearchField(
        _l("Graduate (name or email)"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class AccessLogSearchForm(BaseForm):
    """Search the access log (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    jobseeker = SearchField(_l("Person (name or email)"), validators=[Optional(), Length(max=200)])
    actor = SearchField(_l("Viewed by (name or email)"), validators=[Optional(), Length(max=200)])
    action = SelectField(
        _l("What"),
        # Every kind of access, in the log's own neutral words (placements and the mentor
        # programme included).
        choices=[
            SelectChoice("", _l("All")),
            *(SelectChoice(action.value, admin_action_label(action)) for action in AccessAction),
        ],
        validators=[Optional()],
    )
    date_from = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    date_to = DateField(_l("To"), validators=[Optional()], render_kw={"type": "date"})
