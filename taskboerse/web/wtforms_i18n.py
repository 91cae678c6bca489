"""Danish for WTForms' and Flask-WTF's built-in messages, which ship no Danish catalog.

The messages are marked here for extraction into our own catalog, and forms look them up
through Flask-Babel's active translations.
"""

from __future__ import annotations

from flask_babel import get_translations


def N_(message: str) -> str:
    """Mark a message for extraction without translating it."""
    return message


def N_p(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for extraction without translating it."""
    return singular, plural


MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Invalid email address."),
)
PLURALS = (
    N_p(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    N_p(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    N_p(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
)


class BabelTranslations:
    """The translations object WTForms asks for: our catalog in the request's language."""

    def gettext(self, string: str) -> str:
        """Translate without formatting (WTForms formats the result itself)."""
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a plural without formatting."""
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = BabelTranslations()
