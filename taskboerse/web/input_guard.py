"""One guard for every request's input, before any view or form sees it."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from taskboerse.services.security import CPR_MESSAGE, contains_cpr
from taskboerse.web.errors import api_error, wants_json

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
    if wants_json():
        codes = {400: "malformed", 413: "too_large", 415: "malformed", 422: "validation_failed"}
        return api_error(status, codes[status], message, fields)
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    """Checks every request's input before a view sees it, so no form or endpoint needs its
    own copy: HTML form routes take only form bodies (a JSON body there would bypass what
    the form reads, such as the per-account login limit); API bodies are size-capped,
    well-formed, not too deep, and hold only storable text; no CPR number in API bodies
    or query strings (forms check each field themselves, to put the message beside it)."""

    def cap_body() -> None:
        # Runs before every other hook (CSRF reads the form first): the cap holds for bodies
        # without a Content-Length too (chunked), as werkzeug stops reading past it (413).
        if wants_json():
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
        if not wants_json():
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
