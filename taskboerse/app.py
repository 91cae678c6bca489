"""The application factory: it only wires extensions, blueprints, error handlers and commands."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from taskboerse.config import INSTANCE_DIR, Config, ProductionConfig, config_from_env
from taskboerse.extensions import babel, csrf, db, limiter, login_manager, migrate
from taskboerse.models.search import include_object
from taskboerse.services.errors import DomainError
from taskboerse.services.security import CPR_MESSAGE, contains_cpr, install_log_redaction

ROOT = Path(__file__).resolve().parent.parent


class IdConverter(BaseConverter):
    """A database id in URLs. Any digit string matches; one outside the 32-bit id range
    becomes 0, an id that never exists, so the answer is a 404 and never a database error."""

    regex = r"\d+"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if 1 <= number <= 2**31 - 1 else 0

    def to_url(self, value: int) -> str:
        return str(int(value))


def create_app(config: type[Config] | None = None, **overrides: Any) -> Flask:
    """Build the app from a config class (from TASKBOERSE_ENV when None) plus overrides."""
    config = config or config_from_env()
    if config is ProductionConfig:
        ProductionConfig.validate()
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.url_map.converters["id"] = IdConverter
    app.config.from_object(config)
    app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO)
    install_log_redaction()

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_warm_up(app)
    register_input_guard(app)
    register_activity(app)
    register_security_headers(app)
    return app


def select_locale() -> str:
    """Danish unless the visitor chose English (in this session or their account)."""
    if not has_request_context():
        return "da"
    lang = session.get("lang")
    if lang in ("da", "en"):
        return lang
    if g.get("database_down"):
        return "da"
    if current_user and current_user.is_authenticated:
        return current_user.locale or "da"
    return "da"


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        include_object=include_object,  # autogenerate leaves the full-text objects alone
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "taskboerse" / "translations"),
    )
    from taskboerse.web import auth_support  # noqa: F401  (registers the user loader)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area."""
    from taskboerse.web.admin.views import bp as admin_bp
    from taskboerse.web.api.views import bp as api_bp
    from taskboerse.web.auth.views import bp as auth_bp
    from taskboerse.web.caseworker.views import bp as caseworker_bp
    from taskboerse.web.entrepreneur.views import bp as entrepreneur_bp
    from taskboerse.web.jobseeker.views import bp as jobseeker_bp
    from taskboerse.web.main.views import bp as main_bp
    from taskboerse.web.tasks.views import bp as tasks_bp

    for bp in (
        main_bp,
        auth_bp,
        tasks_bp,
        jobseeker_bp,
        entrepreneur_bp,
        caseworker_bp,
        admin_bp,
        api_bp,
    ):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages in the user's language; the 500 handler rolls the session back."""

    def render_error(status: int, message: str | None = None):
        if request.path.startswith("/api/"):
            from taskboerse.web.api.views import error

            return error(status, "error" if status == 500 else "http_error", message or "")
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
        if request.path.startswith("/api/"):
            from taskboerse.web.api.views import error as api_error

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


def register_template_helpers(app: Flask) -> None:
    """Values every template needs, computed once per request."""
    from taskboerse.services.notifications import unread_count
    from taskboerse.web import labels

    labels.register(app)

    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        unread = 0
        if g.get("database_down"):
            return {"unread_count": 0, "current_locale": str(get_locale())}
        if current_user.is_authenticated:
            if "unread" not in g:
                g.unread = unread_count(current_user.id)
            unread = g.unread
        return {"unread_count": unread, "current_locale": str(get_locale())}


def _cpr_paths(data: object, path: str = "") -> list[str]:
    """Where in a JSON document a string holds a CPR number ("skills.2", "about" …)."""
    if isinstance(data, str):
        return [path or "body"] if contains_cpr(data) else []
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return []
    found = []
    for key, value in items:
        if isinstance(key, str) and "password" in key:
            continue  # hashed, never stored or logged as typed
        found += _cpr_paths(value, f"{path}.{key}".strip("."))
    return found


def register_input_guard(app: Flask) -> None:
    """Refuse NUL characters in any input: no database can store them in text (400)."""

    @app.before_request
    def refuse_cpr_in_api_and_queries():
        # Forms check each field themselves (BaseForm) to put the message next to it.
        found = [name for name, value in request.args.items(multi=True) if contains_cpr(value)]
        if request.is_json:
            found += _cpr_paths(request.get_json(silent=True))
        if not found:
            return None
        if request.path.startswith("/api/"):
            from taskboerse.web.api.views import error

            message = str(CPR_MESSAGE)
            return error(422, "validation_failed", message, dict.fromkeys(found, message))
        return render_template("errors/error.html", status=422, message=str(CPR_MESSAGE)), 422

    @app.before_request
    def refuse_nul() -> None:
        values = [v for _, items in request.args.lists() for v in items]
        if request.is_json:
            data = request.get_data(cache=True)
            if b"\x00" in data or b"\\u0000" in data:
                abort(400)
        elif request.method in ("POST", "PUT", "PATCH", "DELETE"):
            values += [v for _, items in request.form.lists() for v in items]
        if any("\x00" in value for value in values):
            abort(400)


# Scripts and styles only from our own origin (no inline script, no CDN), no framing.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def register_security_headers(app: Flask) -> None:
    """CSP, nosniff, referrer policy, HSTS outside development; no caching of any page."""
    from flask_talisman import Talisman

    development = app.config["ENV_NAME"] in ("development", "testing")
    Talisman(
        app,
        force_https=False,  # TLS ends at the municipality's proxy; HSTS tells browsers
        strict_transport_security=not development,
        strict_transport_security_max_age=31_536_000,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    @app.after_request
    def no_store(response):
        # Pages show personal data (names, applications, notes) once logged in; a shared
        # computer's back button or a proxy must not keep them. Static files may be cached.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response


def register_activity(app: Flask) -> None:
    """Keep each signed-in user's last activity current (the follow-up flags read it)."""
    from datetime import timedelta

    from taskboerse.services.accounts import record_activity

    resolution = timedelta(minutes=app.config["ACTIVITY_RESOLUTION_MINUTES"])

    @app.before_request
    def note_activity() -> None:
        if request.endpoint in (None, "static") or request.path.startswith("/api/"):
            return
        if current_user.is_authenticated:
            record_activity(current_user._get_current_object(), resolution)


def register_warm_up(app: Flask) -> None:
    """Load the embedding model in the background when the process serves its first request."""
    if not app.config["MATCHING_WARM_UP"]:
        return

    @app.before_request
    def start_warm_up() -> None:
        if "taskboerse_warm_up" in app.extensions:
            return
        import threading

        from taskboerse.matching.embedder import get_embedder

        embedder = get_embedder(app.config["EMBEDDER"])
        thread = threading.Thread(
            target=embedder.encode, args=(["warm-up"],), name="model-warm-up", daemon=True
        )
        app.extensions["taskboerse_warm_up"] = thread
        thread.start()


def register_commands(app: Flask) -> None:
    """The flask CLI commands (seed-demo, users create, outbox send …)."""
    from taskboerse import cli

    cli.register(app)
