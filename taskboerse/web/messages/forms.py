"""The message form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from taskboerse.services.conversations import MESSAGE_MAX_LENGTH
from taskboerse.web.forms import REQUIRED, BaseForm


class MessageForm(BaseForm):
    """One message in a thread (plain text)."""

    body = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(REQUIRED),
            Length(
                max=MESSAGE_MAX_LENGTH,
                message=_l("A message can be at most %(n)d characters.", n=MESSAGE_MAX_LENGTH),
            ),
        ],
        render_kw={"maxlength": MESSAGE_MAX_LENGTH, "rows": 4},
    )
