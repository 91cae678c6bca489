"""Helpers shared by the blueprints' forms and views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from taskboerse.services.errors import DomainError
from taskboerse.web.wtforms_i18n import TRANSLATIONS

REQUIRED = _l("This field is required.")


class BaseForm(FlaskForm):
    """Every form: WTForms' own messages come from our catalog, so they are Danish too."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):  # noqa: D102
            return TRANSLATIONS


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for button-only POSTs."""


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Put a service's error next to its field when the form has one, else flash it."""
    field = getattr(form, error.field, None) if (form is not None and error.field) else None
    if field is not None:
        field.errors = [*list(field.errors), str(error.message)]
    else:
        flash(str(error.message), "error")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a local path; None for anything that could leave the site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
