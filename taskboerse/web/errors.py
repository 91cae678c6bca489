"""Error answers: one shape for the API, the site's own page elsewhere, in the user's
language; and the app's error handlers."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request, session
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from taskboerse.extensions import db
from taskboerse.services.errors import DomainError


def wants_json() -> bool:
    """True when the request is the API's: its answers, errors too, are JSON."""
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str, fields: dict | None = None):
    """The one error shape of the API."""
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    """Friendly error pages in the user's language; the 500 handler rolls the session back."""

    def render_error(status: int, message: str | None = None):
        if wants_json():
            return api_error(status, "error" if status == 500 else "http_error", message or "")
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        return render_error(error.status_code, str(error.message))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, None)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: Exception):
        # The database is down or unreachable: 503 with a page that needs neither the
        # database nor the user, in the language the browser chose (Danish by default).
        g.database_down = True
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        app.logger.error(
            "database unavailable on %s %s: %s", request.method, request.path, type(error).__name__
        )
        if wants_json():
            response = api_error(503, "unavailable", "The database is unavailable; try again.")
        else:
            lang = session.get("lang") if session.get("lang") in ("da", "en") else "da"
            response = app.make_response(
                (render_template("errors/unavailable.html", lang=lang), 503)
            )
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
