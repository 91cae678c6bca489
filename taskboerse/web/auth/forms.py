"""Sign-up, login, password and password-reset forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from taskboerse.services.passwords import MAX_PASSWORD_LENGTH
from taskboerse.web.forms import REQUIRED, BaseForm, password_field


class SignupForm(BaseForm):
    """Self-registration for graduates, entrepreneurs and mentors."""

    role = RadioField(
        _l("I am"),
        choices=[
            SelectChoice("jobseeker", _l("a newly graduated jobseeker")),
            SelectChoice("entrepreneur", _l("an entrepreneur with tasks to offer")),
            SelectChoice("mentor", _l("a mentor")),
        ],
        validators=[DataRequired(message=_l("Choose graduate, entrepreneur or mentor."))],
    )
    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = password_field()
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )


class LoginForm(BaseForm):
    """Email and password; the field names are fixed (other tools post to them)."""

    email = StringField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED), Length(max=MAX_PASSWORD_LENGTH)]
    )


class PasswordForm(BaseForm):
    """Change the password."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_PASSWORD_LENGTH)],
    )
    password = password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )


class DeleteAccountForm(BaseForm):
    """Delete my account: confirmed with the password."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_PASSWORD_LENGTH)],
    )


class ResetRequestForm(BaseForm):
    """Ask for a link to choose a new password."""

    email = EmailField(
        _l("Email"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(BaseForm):
    """Choose a new password through a reset link."""

    password = password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )


def notification_settings_form(
    categories, current: dict, formdata=None, role: str = "jobseeker"
) -> BaseForm:
    """One radio group per category the user's role gets (in-app, email at once, digest),
    preset to ``current``, named in the role's words; the field names are the category
    codes."""
    from taskboerse.services.notifications import CHANNEL_LABELS, category_label

    class NotificationSettingsForm(BaseForm):
        pass

    for category in categories:
        setattr(
            NotificationSettingsForm,
            category.value,
            RadioField(
                category_label(category, role),
                choices=[SelectChoice(c.value, label) for c, label in CHANNEL_LABELS.items()],
                default=current[category].value,
                validators=[DataRequired(message=_l("Choose how you want to hear about this."))],
            ),
        )
    return NotificationSettingsForm(formdata=formdata)
