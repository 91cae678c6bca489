"""Fuzz every route in the URL map with odd input, as every role: no answer may be a 5xx.

Routes come from ``app.url_map``. Each body route gets odd values in every field at once
(form-encoded, JSON, multipart with file parts, broken and 1,000-deep JSON) and then one
odd field at a time in an otherwise valid body: the form the app itself renders for that
route, or for the API a body made from the OpenAPI schema. Every GET route gets odd query
values. Failures are collected and reported together, each with the last frames of the
traceback the app's 500 handler logged, so one run shows every bug.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from itertools import count, product
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskboerse.models import Role
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    CompanyFactory,
    JobseekerFactory,
    TaskFactory,
    UserFactory,
    follow,
)

pytestmark = pytest.mark.slow

ROLES = ("anonymous", "jobseeker", "entrepreneur", "caseworker", "admin")

GENERIC_FIELDS = [
    "email",
    "password",
    "name",
    "title",
    "description",
    "skills",
    "postcode",
    "motivation",
    "text",
    "q",
]
GENERIC_PARAMS = [
    "page",
    "q",
    "skill",
    "skills",
    "sort",
    "within_km",
    "hours",
    "remote",
    "next",
    "status",
    "lang",
    "kind",
]
# Words a plain ``<string>`` path argument may expect; ``any(...)`` words come from the map.
PATH_WORDS = ["disable", "enable", "accept", "reject", "publish", "close", "cancel"]
ODD_IDS = ["0", "99999999"]
# Routes that may end the session, the token or the account run last.
ENDS_SESSION = re.compile(r"logout|delete|/current$")

SURROGATE = "\ud800"
CRLF = "\r\nSet-Cookie:x=1"
LONG = "x" * 5000
ODD_STRINGS = {
    "²": "²",
    "-1": "-1",
    "0": "0",
    "20 digits": "9" * 20,
    "empty": "",
    "space": " ",
    "lone surrogate": SURROGATE,
    "<script>": "<script>",
    "CRLF": CRLF,
    "5000 chars": LONG,
    "Ø": "Ø",
}
INF = "__raw_1e309__"  # written as the bare literal 1e309 in the JSON text
ODD_JSON = {
    **ODD_STRINGS,
    "list": ["a", "²"],
    "object": {"a": {"b": [1, None]}},
    "null": None,
    "true": True,
    "1e309": INF,
    "-1 number": -1,
    "10**20": 10**20,
    "1.5": 1.5,
}
RAW_JSON = {
    "top-level list": '["a", 1]',
    "top-level string": '"x"',
    "top-level 1e309": "1e309",
    "top-level null": "null",
    "malformed": '{"email": "a@b.dk", ',
    "1000-deep array": "[" * 1000 + "]" * 1000,
}
MULTIPART_VALUES = {"²": "²", "lone surrogate": SURROGATE, "5000 chars": LONG}
# One odd field in an otherwise valid form ("+" marks a value appended to the valid one).
FIELD_FORM = {"²": "²", "20 digits": "9" * 20, "-1": "-1"}
FIELD_JSON = {
    "+lone surrogate": SURROGATE,
    "+CRLF": CRLF,
    "²": "²",
    "1e309": INF,
    "10**20": 10**20,
    "null": None,
    "list": [SURROGATE],
    "object": {"a": SURROGATE},
}
# Query values, already percent-encoded as a client would send them.
ODD_QUERY = {
    "²": "%C2%B2",
    "-1": "-1",
    "0": "0",
    "20 digits": "9" * 20,
    "empty": "",
    "space": "+",
    "lone surrogate": "%ED%A0%80",
    "<script>": "%3Cscript%3E",
    "CRLF": "%0d%0aSet-Cookie:x=1",
    "next CRLF": "/dashboard%0d%0aSet-Cookie:x=1",
    "5000 chars": LONG,
    "Ø": "%C3%98",
}
FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"


# --- encoders --------------------------------------------------------------------------------


def _enc(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def form_body(fields: dict[str, str]) -> bytes:
    """Form-encoded; a lone surrogate goes as the bytes a client can produce for it."""
    return b"&".join(
        quote(_enc(k), safe="").encode() + b"=" + quote(_enc(str(v)), safe="").encode()
        for k, v in fields.items()
    )


def multipart_body(fields: dict[str, str], as_files: bool) -> tuple[bytes, str]:
    """multipart/form-data; with ``as_files`` every field is a file part under its text name."""
    boundary = "fuzz-boundary-7MA4YWxkTrZu0gW"
    out = b""
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if as_files:
            disposition += '; filename="odd.txt"\r\nContent-Type: text/plain'
        out += f"--{boundary}\r\n{disposition}\r\n\r\n".encode() + _enc(str(value)) + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def json_text(data: object) -> str:
    """JSON with ASCII escapes (a lone surrogate becomes the text \\ud800) and a bare 1e309."""
    return json.dumps(data).replace(f'"{INF}"', "1e309")


def odd_in(valid: object, label: str, odd: object) -> object:
    """The odd value, or for "+" labels the valid string with the odd text appended."""
    if label.startswith("+"):
        return f"{valid if isinstance(valid, str) else 'Fuzz'}{odd}"
    return odd


# --- failures and their tracebacks -----------------------------------------------------------


@dataclass
class Failure:
    method: str
    path: str
    role: str
    kind: str
    status: int | str
    cause: str = ""
    frame: str = ""
    app_frame: str = ""


class TracebackCatcher(logging.Handler):
    """Keeps the exceptions the app's 500 handler logs, to name each failure's cause."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:  # noqa: D102
        if record.exc_info:
            self.records.append(record)

    def take(self) -> BaseException | None:
        """The last exception logged since the previous call."""
        exc = self.records[-1].exc_info[1] if self.records else None
        self.records.clear()
        return exc


LIBRARY = re.compile(r"^.*/(site-packages|python3\.\d+)/")


def _frame(f: traceback.FrameSummary) -> str:
    """file:line in function, the file relative to the app or library folder."""
    where = LIBRARY.sub("", f.filename)
    if where == f.filename and "/taskboerse/" in where:
        where = "taskboerse/" + where.rsplit("/taskboerse/", 1)[1]
    return f"{where}:{f.lineno} in {f.name}"


def describe(exc: BaseException | None) -> tuple[str, str, str]:
    """(type: message, last frame, last frame in the app's own code) of an exception."""
    if exc is None:
        return "", "", ""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/taskboerse/" in f.filename and "site-packages" not in f.filename]
    message = str(exc).splitlines()[0][:160] if str(exc) else ""
    return (
        f"{type(exc).__name__}: {message}",
        _frame(frames[-1]) if frames else "",
        _frame(ours[-1]) if ours else "",
    )


def failed(status: int | str) -> bool:
    """A 5xx, or an exception that escaped the app."""
    return status == "raised" or int(status) >= 500


# --- data, sessions, forms -------------------------------------------------------------------


@dataclass
class Seed:
    users: dict
    ids: dict[str, int]


def seed() -> Seed:
    """A graduate followed by a caseworker, a company with an open task nobody has applied
    to and a task the graduate has applied to, and an admin."""
    jobseeker = JobseekerFactory()
    company = CompanyFactory()
    task = TaskFactory(company=company, capacity=3)
    applied = TaskFactory(company=company, capacity=3)
    application = ApplicationFactory(task=applied, jobseeker=jobseeker)
    caseworker = UserFactory(role=Role.CASEWORKER)
    follow(caseworker, jobseeker)
    users = {
        "jobseeker": jobseeker,
        "entrepreneur": company.owner,
        "caseworker": caseworker,
        "admin": UserFactory(role=Role.ADMIN),
    }
    ids = {
        "task": task.id,
        "application": application.id,
        "jobseeker": jobseeker.id,
        "user": jobseeker.id,
        "company": company.id,
    }
    return Seed(users, ids)


def api_prefix(app: Flask) -> str:
    """Where the JSON API lives: the folder of its openapi.json route."""
    rule = next(r for r in app.url_map.iter_rules() if r.rule.endswith("/openapi.json"))
    return rule.rule.rsplit("/", 1)[0]


@dataclass
class Actor:
    """One role's browser session plus API token, restored whenever a route ends them."""

    app: Flask
    role: str
    user: object | None
    client: FlaskClient = field(init=False)
    headers: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.login()

    def login(self) -> None:
        """A fresh client, logged in through the real form, with a fresh bearer token."""
        self.client = self.app.test_client()
        if self.user is None:
            return
        credentials = {"email": self.user.email, "password": PASSWORD}
        self.client.post("/auth/login", data=credentials)
        token = self.client.post(f"{api_prefix(self.app)}/tokens", json=credentials)
        body = token.get_json(silent=True) or {}
        self.headers = {"Authorization": f"Bearer {body['token']}"} if "token" in body else {}

    def ensure(self) -> None:
        """Log in again if a route (logout, token revoke) ended the session or token; an
        anonymous visitor starts over, since a fuzzed login form may have logged it in."""
        if self.user is None:
            self.login()
        elif self.client.get("/auth/account").status_code != 200 or (
            self.client.get(f"{api_prefix(self.app)}/me", headers=self.headers).status_code != 200
        ):
            self.login()


class FormParser(HTMLParser):
    """The POST forms of a page: action → {field: the value the page would submit}."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: D102
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = self.forms.setdefault(a.get("action", ""), {})
        if self._form is None or not a.get("name") or a["name"] == "csrf_token":
            return
        name, kind = a["name"], a.get("type", "text").lower()
        if tag == "input" and kind not in ("submit", "button", "file", "image", "reset"):
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in self._form):
                    self._form[name] = a.get("value") or "y"
            else:
                self._form[name] = a.get("value") or default_for(name, kind, a)
        elif tag == "select":
            self._select = name
            self._form.setdefault(name, "")
        elif tag == "option" and self._select:
            if a.get("value") and (not self._form[self._select] or "selected" in a):
                self._form[self._select] = a["value"]
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""

    def handle_data(self, data: str) -> None:  # noqa: D102
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:  # noqa: D102
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._form is not None:
            self._form[self._textarea] = self._form[self._textarea].strip() or "Fuzz text"
            self._textarea = None


def default_for(name: str, kind: str, attrs: dict) -> str:
    """A value an empty input accepts, so that one odd field is the only thing wrong."""
    if kind == "email" or "email" in name:
        return "fuzz@example.com"
    if kind == "password":
        return PASSWORD
    if kind == "date":
        return (date.today() + timedelta(days=30)).isoformat()
    if kind == "number":
        return attrs.get("min") or "1"
    if "postcode" in name:
        return "8000"
    if "cvr" in name:
        return "12345674"  # a valid check digit
    return "Fuzz text"


_emails = count()


def sample(schema: dict, schemas: dict, ids: dict[str, int], name: str = "") -> object:
    """A value the OpenAPI schema accepts."""
    if "$ref" in schema:
        return sample(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas, ids, name)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return sample(schema[key][0], schemas, ids, name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: sample(v, schemas, ids, k) for k, v in props.items()}
    if kind == "array":
        return [sample(schema["items"], schemas, ids, name)] if "items" in schema else []
    if kind in ("integer", "number"):
        return ids.get(name.removesuffix("_id")) or schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if schema.get("format") == "email":
        return f"fuzz{next(_emails)}@example.com"
    if schema.get("format") == "date":
        return (date.today() + timedelta(days=30)).isoformat()
    digits = re.fullmatch(r"\^\[0-9\]\{(\d+)\}\$", schema.get("pattern", ""))
    if digits:
        return {4: "8000", 8: "12345674"}.get(int(digits.group(1)), "1" * int(digits.group(1)))
    return "Fuzz text".ljust(schema.get("minLength", 0), "x")


@dataclass
class ApiOperation:
    pattern: re.Pattern
    method: str
    body: dict | None


def api_operations(app: Flask, ids: dict[str, int], params: list[str]) -> list[ApiOperation]:
    """The API's operations from its OpenAPI document, each with a valid example body; their
    query parameter names join ``params``."""
    prefix = api_prefix(app)
    doc = app.test_client().get(f"{prefix}/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    out = []
    for path, operations in doc["paths"].items():
        pattern = re.compile("^" + prefix + re.sub(r"\{\w+\}", r"[^/]+", path) + "$")
        for method, op in operations.items():
            if not isinstance(op, dict):
                continue
            schema = op.get("requestBody", {}).get("content", {}).get(JSON_TYPE, {}).get("schema")
            body = sample(schema, schemas, ids) if schema else None
            out.append(ApiOperation(pattern, method.upper(), body))
            for p in op.get("parameters", []):
                if p.get("in") == "query" and p["name"] not in params:
                    params.append(p["name"])
    return out


ARG = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def fillings(rule_text: str, ids: dict[str, int], words: list[str]) -> Iterator[tuple[str, bool]]:
    """(path, real): seeded ids and every path word first, then each argument made odd."""
    args = ARG.findall(rule_text)

    def real_values(conv: str, items: str, name: str) -> list[str]:
        if conv in ("id", "int"):
            return [str(ids.get(name.removesuffix("_id"), ids["task"]))]
        if conv == "any":
            return [w.strip().strip("'\"") for w in items.split(",")]
        return words

    def build(values: list[str]) -> str:
        it = iter(values)
        return ARG.sub(lambda m: quote(_enc(next(it)), safe=""), rule_text)

    real = [real_values(conv, items, name) for conv, items, name in args]
    for values in product(*real):
        yield build(list(values)), True
    base = [r[0] for r in real]
    for i, (conv, _items, _name) in enumerate(args):
        odd = ODD_IDS if conv in ("id", "int") else [] if conv == "any" else ["²", "Ø"]
        for value in odd:
            yield build([*base[:i], value, *base[i + 1 :]]), False


# --- the fuzzer ------------------------------------------------------------------------------


class Fuzzer:
    """Sends requests as one actor and collects every 5xx."""

    def __init__(self, actor: Actor, catcher: TracebackCatcher, params: list[str]) -> None:
        self.actor, self.catcher, self.params = actor, catcher, params
        self.failures: list[Failure] = []
        self.requests = 0
        self.location = ""
        self.forms: dict[str, dict[str, str]] = {}

    def send(self, method: str, path: str, kind: str, **kwargs) -> int | str:
        """One request; a 5xx or an escaped exception is recorded with its traceback."""
        self.requests += 1
        headers = {**self.actor.headers, **kwargs.pop("headers", {})}
        try:
            response = self.actor.client.open(path, method=method, headers=headers, **kwargs)
            status: int | str = response.status_code
            self.location = response.location or ""
            if method == "GET" and status == 200 and response.mimetype == "text/html":
                self.harvest(path, response.get_data(as_text=True))
            exc = self.catcher.take()
        except Exception as raised:  # it escaped even the app's own 500 handler
            status, exc = "raised", raised
            self.catcher.take()
        if failed(status):
            cause, frame, app_frame = describe(exc)
            shown = path if len(path) < 120 else path[:100] + "…"
            self.failures.append(
                Failure(method, shown, self.actor.role, kind, status, cause, frame, app_frame)
            )
        return status

    def harvest(self, page: str, html: str) -> None:
        """Remember each POST form on the page by the path it posts to."""
        parser = FormParser()
        parser.feed(html)
        for action, fields in parser.forms.items():
            self.forms.setdefault(urlsplit(action).path or page, fields)

    def refused(self, status: int | str) -> bool:
        """The role was turned away (login redirect, 401, 403) before any body was read."""
        return status in (401, 403) or (status == 302 and "/login" in self.location)

    def get_battery(self, path: str) -> None:
        """Each odd value in every query parameter at once; on a 5xx, each parameter alone."""
        self.send("GET", path, "no query")
        for label, value in ODD_QUERY.items():
            query = "&".join(f"{name}={value}" for name in self.params)
            if not failed(self.send("GET", path, f"query all={label}", query_string=query)):
                continue
            self.failures.pop()  # name the parameter(s) that fail alone instead
            before = len(self.failures)
            for name in self.params:
                self.send("GET", path, f"query {name}={label}", query_string=f"{name}={value}")
            if len(self.failures) == before:
                self.send("GET", path, f"query all={label}", query_string=query)
        self.send("GET", path, "query repeated", query_string="page=1&page=%C2%B2&skill=&skill=a")

    def raw_json(self, method: str, path: str) -> None:
        for label, text in RAW_JSON.items():
            self.send(method, path, f"json {label}", data=text, content_type=JSON_TYPE)

    def refused_battery(self, method: str, path: str) -> None:
        """What hooks that run before the role check see: odd bodies of each kind."""
        self.raw_json(method, path)
        fields = dict.fromkeys(GENERIC_FIELDS, SURROGATE)
        self.send(
            method, path, "json lone surrogate", data=json_text(fields), content_type=JSON_TYPE
        )
        self.send(
            method, path, "form lone surrogate", data=form_body(fields), content_type=FORM_TYPE
        )
        data, content_type = multipart_body(fields, as_files=True)
        self.send(method, path, "multipart file parts", data=data, content_type=content_type)

    def body_battery(self, method: str, path: str, valid: dict, is_api: bool) -> None:
        """Odd values in every field at once, in every encoding; then one field at a time."""
        names = list(dict.fromkeys([*valid, *([] if is_api and valid else GENERIC_FIELDS)]))
        for label, value in ODD_STRINGS.items():
            data = form_body(dict.fromkeys(names, value))
            self.send(method, path, f"form {label}", data=data, content_type=FORM_TYPE)
        for label, value in ODD_JSON.items():
            data = json_text(dict.fromkeys(names, value))
            self.send(method, path, f"json {label}", data=data, content_type=JSON_TYPE)
        self.raw_json(method, path)
        for label, value in MULTIPART_VALUES.items():
            for as_files in (False, True):
                data, content_type = multipart_body(dict.fromkeys(names, value), as_files)
                kind = f"multipart {'file parts' if as_files else 'text'} {label}"
                self.send(method, path, kind, data=data, content_type=content_type)
        for name in valid:
            if not is_api:
                for label, value in FIELD_FORM.items():
                    data = form_body({**valid, name: value})
                    kind = f"valid form but {name}={label}"
                    self.send(method, path, kind, data=data, content_type=FORM_TYPE)
            for label, value in FIELD_JSON.items():
                if not is_api and label != "+lone surrogate":
                    continue  # the all-fields JSON above already tries the other types
                data = json_text({**valid, name: odd_in(valid[name], label, value)})
                kind = f"valid json but {name}={label}"
                self.send(method, path, kind, data=data, content_type=JSON_TYPE)


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_5xx_to_odd_input(app: Flask, role: str) -> None:
    """Every route, every body kind, odd values, every role: any answer but a 5xx."""
    data = seed()
    catcher = TracebackCatcher()
    app.logger.addHandler(catcher)
    try:
        actor = Actor(app, role, data.users.get(role))
        params = list(GENERIC_PARAMS)
        operations = api_operations(app, data.ids, params)
        fuzz = Fuzzer(actor, catcher, params)
        words = list(PATH_WORDS)
        for rule in app.url_map.iter_rules():
            for conv, items, _name in ARG.findall(rule.rule):
                if conv == "any":
                    words += [w.strip().strip("'\"") for w in items.split(",")]
        words = list(dict.fromkeys(words))
        rules = sorted(
            (r for r in app.url_map.iter_rules() if r.endpoint != "static"),
            key=lambda r: (bool(ENDS_SESSION.search(r.rule)), "DELETE" in r.methods, r.rule),
        )
        targets = [
            (rule, path, real, sorted(rule.methods - {"HEAD", "OPTIONS"}))
            for rule in rules
            for path, real in fillings(rule.rule, data.ids, words)
        ]
        # GET first: it also collects the forms the pages render, for valid bodies below.
        for _rule, path, real, methods in targets:
            if "GET" in methods:
                if real:
                    fuzz.get_battery(path)
                else:
                    fuzz.send("GET", path, "odd id")
        for _rule, path, real, methods in targets:
            for method in (m for m in methods if m != "GET"):
                probe = fuzz.send(method, path, "empty form", data={})
                if not real or probe == 404:
                    continue  # an unknown id or path word: the body is never read
                if fuzz.refused(probe):
                    fuzz.refused_battery(method, path)
                    continue
                op = next(
                    (o for o in operations if o.method == method and o.pattern.match(path)), None
                )
                if op is not None:
                    fuzz.body_battery(method, path, op.body or {}, is_api=True)
                else:
                    fuzz.body_battery(method, path, fuzz.forms.get(path, {}), is_api=False)
            actor.ensure()
        # A successful login with a header-splitting next.
        if actor.user is not None:
            actor.client = app.test_client()
            fuzz.send(
                "POST",
                "/auth/login",
                "valid login, next=CRLF",
                query_string="next=/dashboard%0d%0aSet-Cookie:x=1",
                data={"email": actor.user.email, "password": PASSWORD},
            )
    finally:
        app.logger.removeHandler(catcher)

    assert fuzz.requests > 500  # the map was walked
    if fuzz.failures:
        by_cause: dict[tuple[str, str], list[Failure]] = defaultdict(list)
        for f in fuzz.failures:  # the same exception type at the same place: one cause
            by_cause[(f.cause.split(":")[0], f.app_frame or f.frame)].append(f)
        lines = [f"{len(fuzz.failures)} of {fuzz.requests} requests answered 5xx as {role}:"]
        for (_type, at), group in by_cause.items():
            lines.append(f"\n== {group[0].cause or '(no traceback logged)'}\n   at {at}")
            if group[0].frame and group[0].frame != at:
                lines.append(f"   last frame {group[0].frame}")
            lines += [f"   {f.method} {f.path} [{f.role}] {f.kind} -> {f.status}" for f in group]
        pytest.fail("\n".join(lines), pytrace=False)
