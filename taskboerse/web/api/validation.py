"""Request validation from the OpenAPI document: JSON bodies against its schemas, query
strings against its parameter specs; anything else is a 400 or a 422 naming the fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import wraps
from typing import Any, NoReturn

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

from taskboerse.web.api.openapi import SCHEMAS
from taskboerse.web.errors import api_error
from taskboerse.web.forms import is_whole_number

# An error answer lists at most this many fields, and names an unknown field by at most
# this many characters: input is never echoed back beyond a short excerpt.
MAX_REPORTED_FIELDS = 20
MAX_ECHOED_NAME = 40

TYPE_MESSAGES = {
    "string": _l("Enter text."),
    "integer": _l("Enter a whole number."),
    "number": _l("Enter a number."),
    "boolean": _l("Use true or false."),
    "array": _l("Enter a list."),
    "object": _l("Enter an object with fields."),
    "null": _l("Leave it empty (null)."),
}

_VALIDATORS: dict[str, Draft202012Validator] = {}


def validated(body: str | None = None, query: Mapping[str, dict] | None = None) -> Callable:
    """Check the request before the view runs: the JSON body against the document's schema
    named ``body`` (passed to the view as ``data``), the query string against the parameter
    spec ``query`` (passed as ``params``, parsed, only the parameters given)."""
    if body is not None and body not in SCHEMAS:
        raise KeyError(f"no schema {body!r} in the OpenAPI document")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if body is not None:
                kwargs["data"] = parse_body(body)
            if query is not None:
                kwargs["params"] = parse_query(query)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def raise_validation(fields: dict[str, str]) -> NoReturn:
    """Stop with a 422 listing the fields."""
    abort(api_error(422, "validation_failed", _("Check the fields."), fields))


def _validator(schema: str) -> Draft202012Validator:
    if schema not in _VALIDATORS:
        _VALIDATORS[schema] = Draft202012Validator(
            {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}},
            format_checker=FormatChecker(),
        )
    return _VALIDATORS[schema]


def _field_message(err) -> str:
    """Our own wording for a schema error, in the user's language; never the value sent."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        return _field_message(best_match(err.context))
    rule, schema = err.validator, err.schema
    if rule == "type":
        expected = rule_value = err.validator_value
        if isinstance(rule_value, list):
            expected = rule_value[0]
        return str(TYPE_MESSAGES.get(expected, _l("Wrong type of value.")))
    if rule == "maxLength":
        return _("At most %(max)d characters.", max=schema["maxLength"])
    if (
        rule in ("minLength", "pattern")
        and schema.get("minLength", 0) <= 1
        and (schema.get("pattern") in (None, r"\S"))
    ):
        return _("This field is required.")
    if rule == "pattern":
        return _("The value does not have the expected form.")
    if rule in ("minimum", "maximum"):
        return _(
            "Enter a number from %(min)s to %(max)s.",
            min=schema.get("minimum", "…"),
            max=schema.get("maximum", "…"),
        )
    if rule == "enum":
        return _("Use one of: %(values)s.", values=", ".join(map(str, schema["enum"])))
    if rule == "maxItems":
        return _("At most %(max)d items.", max=schema["maxItems"])
    if rule == "minItems":
        return _("At least %(min)d items.", min=schema["minItems"])
    if rule == "format" and schema.get("format") == "date":
        return _("Enter a date as YYYY-MM-DD.")
    if rule == "format" and schema.get("format") == "email":
        return _("Enter a valid email address.")
    return _("This value is not valid here.")


def _excerpt(name: object) -> str:
    text = str(name)
    return text if len(text) <= MAX_ECHOED_NAME else text[: MAX_ECHOED_NAME - 1] + "…"


def parse_optional_body(schema: str) -> dict:
    """An optional JSON body: ``{}`` when the request has none, else ``parse_body``."""
    if not (request.get_data(cache=True) or b"").strip():
        return {}
    return parse_body(schema)


def parse_body(schema: str) -> Any:
    """The JSON body, validated against ``schema``; 400 when not JSON, 422 when invalid.

    Every object in the document is closed, nested ones too: an unknown field anywhere is
    named in the answer (by its path, shortened), never silently ignored."""
    data = request.get_json(silent=True)
    if data is None and not (request.data or b"").strip().startswith(b"null"):
        abort(400, description=_("The body must be JSON."))
    fields: dict[str, str] = {}
    for err in sorted(_validator(schema).iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = ".".join(_excerpt(p) for p in err.path)
        if err.validator == "additionalProperties":
            known = set(err.schema.get("properties", {}))
            for name in sorted(set(err.instance) - known, key=str)[:MAX_REPORTED_FIELDS]:
                fields[f"{path}.{_excerpt(name)}".strip(".")] = _("Unknown field.")
        elif err.validator == "required":
            for name in err.validator_value:
                if isinstance(err.instance, dict) and name not in err.instance:
                    fields[f"{path}.{name}".strip(".")] = _("This field is required.")
        else:
            fields[path or "body"] = _field_message(err)
        if len(fields) >= MAX_REPORTED_FIELDS:
            break
    if fields:
        raise_validation(dict(list(fields.items())[:MAX_REPORTED_FIELDS]))
    return data


def _whole_number_message(low: int, high: int) -> str:
    if low == 1:
        return _("Enter a whole number from 1 to %(max)d.", max=high)
    return _("Enter a whole number from %(min)d to %(max)d.", min=low, max=high)


def parse_query(spec: Mapping[str, dict]) -> dict[str, Any]:
    """The query parameters named in ``spec``, checked against their schemas and parsed
    (integers, booleans as ``true``/``false``); 422 on an unknown or invalid one."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    for name in request.args:
        if name not in spec and len(fields) < MAX_REPORTED_FIELDS:
            fields[_excerpt(name)] = _("Unknown parameter.")
    for name, schema in spec.items():
        raw = request.args.get(name)
        if raw is None:
            continue
        if schema["type"] == "integer":
            low, high = schema["minimum"], schema["maximum"]
            if not is_whole_number(raw) or not low <= int(raw) <= high:
                fields[name] = _whole_number_message(low, high)
            else:
                values[name] = int(raw)
        elif schema["type"] == "boolean":
            if raw not in ("true", "false"):
                fields[name] = str(TYPE_MESSAGES["boolean"])
            else:
                values[name] = raw == "true"
        elif "enum" in schema and raw not in schema["enum"]:
            fields[name] = _("Use one of: %(values)s.", values=", ".join(schema["enum"]))
        elif len(raw) > schema.get("maxLength", 10_000):
            fields[name] = _("At most %(max)d characters.", max=schema["maxLength"])
        else:
            values[name] = raw
    if fields:
        raise_validation(fields)
    return values


def parse_date(text: str, field: str) -> date:
    """A date the schema let through as ``format: date`` but that may still not exist
    (2027-02-30): parsed, or a 422 naming the field."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise_validation({field: _("Not a valid date value.")})
