"""The application factory: it only wires extensions, blueprints, error handlers and commands."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from taskboerse.config import INSTANCE_DIR, Config, ProductionConfig, config_from_env
from taskboerse.extensions import babel, csrf, db, limiter, login_manager, migrate
from taskboerse.services.errors import DomainError

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

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_warm_up(app)
    register_input_guard(app)
    register_activity(app)
    return app


def select_locale() -> str:
    """Danish unless the visitor chose English (in this session or their account)."""
    if not has_request_context():
        return "da"
    lang = session.get("lang")
    if lang in ("da", "en"):
        return lang
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
        if current_user.is_authenticated:
            if "unread" not in g:
                g.unread = unread_count(current_user.id)
            unread = g.unread
        return {"unread_count": unread, "current_locale": str(get_locale())}


def register_input_guard(app: Flask) -> None:
    """Refuse NUL characters in any input: no database can store them in text (400)."""

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
