"""The application factory: it only wires extensions, blueprints, error handlers and commands."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException
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

    register_proxies(app)
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


BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# JSON deeper than this is refused before anything walks it (no body of ours nests past 4).
MAX_JSON_DEPTH = 32


def json_strings(data: object) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document with its path ("skills.2", "education.field"),
    keys included, walked without recursion. Raises ValueError past MAX_JSON_DEPTH."""
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValueError("too deep")
        if isinstance(value, str):
            yield path or "body", value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield path or "body", key
                stack.append((item, f"{path}.{key}".strip("."), depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{path}.{i}".strip("."), depth + 1) for i, item in enumerate(value)
            )


def _is_text(value: str) -> bool:
    """False for text no database can store: NUL, or a lone surrogate (UTF-16 half)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse(status: int, message: str, fields: dict | None = None):
    """The error answer of the input guard, in the shape of the part of the site asked."""
    if request.path.startswith("/api/"):
        from taskboerse.web.api.views import error

        codes = {400: "malformed", 413: "too_large", 415: "malformed", 422: "validation_failed"}
        return error(status, codes[status], message, fields)
    return render_template("errors/error.html", status=status, message=message), status


def register_input_guard(app: Flask) -> None:
    """Checks every request's input before a view sees it, so no form or endpoint needs its
    own copy: HTML form routes take only form bodies (a JSON body there would bypass what
    the form reads, such as the per-account login limit); API bodies are size-capped,
    well-formed, not too deep, and hold only storable text; no CPR number in API bodies
    or query strings (forms check each field themselves, to put the message beside it)."""

    def cap_body() -> None:
        # Runs before every other hook (CSRF reads the form first): the cap holds for bodies
        # without a Content-Length too (chunked), as werkzeug stops reading past it (413).
        if request.path.startswith("/api/"):
            request.max_content_length = app.config["MAX_JSON_BYTES"]
        elif request.mimetype == "application/x-www-form-urlencoded":
            request.max_content_length = app.config["MAX_FORM_MEMORY_SIZE"]

    app.before_request_funcs.setdefault(None, []).insert(0, cap_body)

    @app.before_request
    def check_body():
        if request.method not in BODY_METHODS:
            return None
        has_body = bool(request.content_length) or "chunked" in request.headers.get(
            "Transfer-Encoding", ""
        )
        if not has_body:
            return None  # a bare POST (an action, a logout) whatever its content type
        if not request.path.startswith("/api/"):
            if request.mimetype not in FORM_TYPES:
                return _refuse(415, _("This address only takes forms sent from the page."))
            return None
        try:
            data = request.get_json(force=True, silent=False)
            strings = list(json_strings(data))
        except (BadRequest, RecursionError, ValueError):
            return _refuse(400, _("The body must be JSON."))
        if not all(_is_text(value) for _path, value in strings):
            return _refuse(400, _("The body holds characters that cannot be stored."))
        g.json_strings = strings
        return None

    @app.before_request
    def refuse_cpr_in_api_and_queries():
        found = [name for name, value in request.args.items(multi=True) if contains_cpr(value)]
        found += [
            path
            for path, value in g.get("json_strings", ())
            if "password" not in path and contains_cpr(value)
        ]
        if not found:
            return None
        message = str(CPR_MESSAGE)
        return _refuse(422, message, dict.fromkeys(found[:20], message))

    @app.before_request
    def refuse_nul():
        values = [v for _, items in request.args.lists() for v in items]
        if request.method in BODY_METHODS and request.mimetype in FORM_TYPES:
            values += [v for _, items in request.form.lists() for v in items]
        if not all(_is_text(value) for value in values):
            return _refuse(400, _("The request holds characters that cannot be stored."))
        return None


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
