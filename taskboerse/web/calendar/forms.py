"""The calendar's forms: the agreed start date (creating and revoking the feed link are
button-only POSTs with ``EmptyForm``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import Optional

from taskboerse.web.forms import BaseForm


class StartDateForm(BaseForm):
    """The start date the owner and the accepted graduate agreed; empty clears it. Whether it
    falls between today and the deadline is the service's rule."""

    start_on = DateField(
        _l("Agreed start date"), validators=[Optional()], render_kw={"type": "date"}
    )
