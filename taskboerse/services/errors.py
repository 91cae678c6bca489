"""Domain errors raised by services and mapped to messages and status codes by the web layer."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request. ``message`` is already translated (lazily) for the user."""

    status_code = 400
    code = "domain_error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input that is well-formed but breaks a rule (a bad CVR number, a past deadline)."""

    status_code = 422
    code = "validation_failed"


class NotFound(DomainError):
    """The object does not exist, or the user may not know it exists."""

    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    """The user may see the object but not do this to it."""

    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    """The object's state does not allow the action (a full task, a second application)."""

    status_code = 409
    code = "conflict"
