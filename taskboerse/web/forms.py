"""What every form shares: the base form (catalog, CPR check, browser-only form data),
common fields, putting a service's error beside its field, and safe redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import FileField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from taskboerse.services.errors import DomainError
from taskboerse.services.notifications import MAX_REASON
from taskboerse.services.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from taskboerse.services.security import CPR_MESSAGE, contains_cpr
from taskboerse.web.wtforms_i18n import TRANSLATIONS

REQUIRED = _l("This field is required.")


def password_field(label: str = _l("Password")) -> PasswordField:
    """A new password: length rules only (no composition rules)."""
    return PasswordField(
        label,
        validators=[
            DataRequired(REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "The password must be %(min)d to %(max)d characters.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
            ),
        ],
    )


def postcode_field(label: str) -> StringField:
    """An optional Danish postcode (4 digits)."""
    return StringField(
        label,
        validators=[
            Optional(),
            Regexp(r"^[0-9]{4}$", message=_l("A Danish postcode is 4 digits.")),
        ],
    )


class BaseForm(FlaskForm):
    """Every form: WTForms' own messages come from our catalog, so they are Danish too, and
    no text field accepts a CPR number (nothing here needs one, so nothing may store one)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):  # noqa: D102
            return TRANSLATIONS

        def wrap_formdata(self, form, formdata):
            """Only what a browser's form sends: the form fields, and uploaded files only
            under the names of the form's file fields. Unlike Flask-WTF's default, a JSON
            body is never read as a form, and a file posted under a text field's name never
            reaches that field (it would not be a string)."""
            if formdata is not _Auto:
                return formdata
            if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
                return None
            file_fields = {field.name for field in form if isinstance(field, FileField)}
            files = MultiDict(
                [(k, v) for k, v in request.files.items(multi=True) if k in file_fields]
            )
            if files:
                return CombinedMultiDict((files, request.form))
            return request.form or None

    def validate(self, extra_validators=None) -> bool:  # noqa: D102
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, PasswordField) or not isinstance(field.data, str):
                continue
            if contains_cpr(field.data):
                field.errors = [*list(field.errors), str(CPR_MESSAGE)]
                valid = False
        return valid


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for button-only POSTs."""


class ConfirmForm(BaseForm):
    """The confirmation step of an action that affects someone else (cancel, reject,
    withdraw, disable), with an optional reason they will see in the notification."""

    reason = TextAreaField(
        _l("Reason (optional)"),
        validators=[
            Optional(),
            Length(
                max=MAX_REASON,
                message=_l("The reason can be at most %(n)d characters.", n=MAX_REASON),
            ),
        ],
        render_kw={"maxlength": MAX_REASON, "rows": 3},
    )


def flash_form_errors(form: FlaskForm) -> None:
    """Say why a form posted from a page that cannot show it again (a confirmation step)
    was not accepted."""
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Put a service's error next to its field when the form has one, else flash it."""
    field = getattr(form, error.field, None) if (form is not None and error.field) else None
    if field is not None:
        field.errors = [*list(field.errors), str(error.message)]
    else:
        flash(str(error.message), "error")


def is_whole_number(raw: str | None, max_digits: int = 9) -> bool:
    """True for a plain whole number in ASCII digits ("12"), never for "²" or "١٢", which
    ``str.isdigit`` accepts and ``int`` refuses or reads as another number."""
    return bool(raw) and raw.isascii() and raw.isdigit() and len(raw) <= max_digits


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a local path; None for anything that could leave the site or
    split a header (a line break in a redirect's Location)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
