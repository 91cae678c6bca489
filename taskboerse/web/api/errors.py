"""The API's own error handlers: domain errors and HTTP errors in the one error shape."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from taskboerse.extensions import db
from taskboerse.services.errors import DomainError
from taskboerse.web.api import bp
from taskboerse.web.errors import api_error

HTTP_CODES = {
    400: "malformed",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "malformed",
    429: "rate_limited",
}
HTTP_MESSAGES = {
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    413: _l("The request is too large."),
    415: _l("Send the body as JSON."),
    429: _l("Too many requests. Wait a minute and try again."),
}


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    """A service refused: its status, code and message; the field named when it has one."""
    db.session.rollback()
    fields = {exc.field: str(exc.message)} if exc.field else {}
    for part in getattr(exc, "errors", ()):  # several fields refused at once
        if part.field:
            fields.setdefault(part.field, str(part.message))
    return api_error(exc.status_code, exc.code, str(exc.message), fields)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """An HTTP error raised in an API view, with our wording where we have one."""
    status = exc.code or 500
    message = HTTP_MESSAGES.get(status) or exc.description or exc.name
    return api_error(status, HTTP_CODES.get(status, "error"), str(message))
