"""The application factory: it only wires extensions, blueprints, error handlers and commands."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.routing import BaseConverter

from taskboerse import worker
from taskboerse.config import INSTANCE_DIR, Config, ProductionConfig, config_from_env
from taskboerse.extensions import babel, csrf, db, limiter, login_manager, migrate
from taskboerse.models.search import include_object
from taskboerse.services.security import install_log_redaction
from taskboerse.web import errors, input_guard, matching, request_hooks, security_headers

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

    register_proxies(app)
    register_extensions(app)
    matching.register(app)
    worker.init_app(app)
    register_blueprints(app)
    # Browsers and feed readers ask for /favicon.ico whatever the page links to (kept in
    # memory: 1 KB, and no file handle per request).
    icon = (ROOT / "static" / "favicon.ico").read_bytes()
    app.add_url_rule(
        "/favicon.ico",
        "favicon",
        lambda: Response(
            icon, mimetype="image/vnd.microsoft.icon", headers={"Cache-Control": "max-age=86400"}
        ),
    )
    errors.register(app)
    register_template_helpers(app)
    register_commands(app)
    request_hooks.register_warm_up(app)
    input_guard.register(app)
    request_hooks.register_activity(app)
    security_headers.register(app)
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


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address, scheme and host from
    the headers those proxies set (werkzeug's ProxyFix); with 0, the headers are ignored."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies < 0:
        raise RuntimeError("TASKBOERSE_TRUSTED_PROXIES must be 0 or more")
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address and scheme only: the host is the one the proxy was asked
        # for (nginx passes Host on), never a header a client could add.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )


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
    from taskboerse.web import access  # noqa: F401  (registers the user loader)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area."""
    from taskboerse.web.admin.views import bp as admin_bp
    from taskboerse.web.alerts.views import bp as alerts_bp
    from taskboerse.web.api import bp as api_bp
    from taskboerse.web.auth.views import bp as auth_bp
    from taskboerse.web.calendar.views import bp as calendar_bp
    from taskboerse.web.caseworker.views import bp as caseworker_bp
    from taskboerse.web.entrepreneur.views import bp as entrepreneur_bp
    from taskboerse.web.jobseeker.views import bp as jobseeker_bp
    from taskboerse.web.main.views import bp as main_bp
    from taskboerse.web.mentors.views import bp as mentors_bp
    from taskboerse.web.mentorships.views import bp as mentorships_bp
    from taskboerse.web.messages.views import bp as messages_bp
    from taskboerse.web.needs.views import bp as needs_bp
    from taskboerse.web.placements.views import bp as placements_bp
    from taskboerse.web.programme.views import bp as programme_bp
    from taskboerse.web.questions.views import bp as questions_bp
    from taskboerse.web.tasks.views import bp as tasks_bp

    for bp in (
        main_bp,
        auth_bp,
        tasks_bp,
        jobseeker_bp,
        entrepreneur_bp,
        messages_bp,
        caseworker_bp,
        placements_bp,
        mentors_bp,
        needs_bp,
        mentorships_bp,
        questions_bp,
        programme_bp,
        admin_bp,
        alerts_bp,
        calendar_bp,
        api_bp,
    ):
        app.register_blueprint(bp)


def register_template_helpers(app: Flask) -> None:
    """Values every template needs, computed once per request."""
    from taskboerse.services.conversations import unread_total
    from taskboerse.services.notifications import unread_count
    from taskboerse.web import labels
    from taskboerse.web.linkify import linkify

    labels.register(app)
    app.jinja_env.filters["linkify"] = linkify

    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        unread = unread_messages = 0
        locale = str(get_locale())
        if g.get("database_down"):
            return {"unread_count": 0, "unread_messages": 0, "current_locale": locale}
        if current_user.is_authenticated:
            if "unread" not in g:
                g.unread = unread_count(current_user.id)
                g.unread_messages = unread_total(current_user)
            unread, unread_messages = g.unread, g.unread_messages
        return {
            "unread_count": unread,
            "unread_messages": unread_messages,
            "current_locale": locale,
        }


def register_commands(app: Flask) -> None:
    """The flask CLI commands (seed-demo, users create, outbox send …)."""
    from taskboerse import cli

    cli.register(app)
