"""Hardening: one guard for every request's input, logins that cannot be bypassed or timed,
and the proxy setting. Each test here failed before the fix it names."""

from __future__ import annotations

import io
import logging
import statistics
import time

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import JobseekerProfile, User
from taskboerse.services import accounts
from taskboerse.services.errors import ValidationFailed
from taskboerse.services.security import contains_cpr, redact, strip_query_strings
from tests.factories import PASSWORD, JobseekerFactory, TaskFactory
from tests.functional.test_api import token_for

DEEP = "[" * 1000 + "]" * 1000


# --- 2. the per-account limit reads what the login reads ----------------------------------


def test_a_json_login_cannot_bypass_the_account_lockout(app, limited) -> None:
    user = JobseekerFactory()
    web = limited()
    for i in range(5):
        wrong = web.test_client().post(
            "/auth/login",
            data={"email": user.email, "password": "wrong password"},
            environ_base={"REMOTE_ADDR": f"10.2.0.{i}"},
        )
        assert wrong.status_code == 422
    browser = web.test_client()
    bypass = browser.post(
        "/auth/login",
        json={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.2.0.99"},
    )
    assert bypass.status_code == 415
    assert browser.get("/jobseeker/").status_code == 302  # not logged in
    locked = web.test_client().post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.2.0.98"},
    )
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 60
    page = locked.get_data(as_text=True)  # the login form again, the email kept, the wait told
    assert f'value="{user.email}"' in page and "Prøv igen om 1 minut" in page


def test_html_form_routes_take_only_form_bodies(app, login_as) -> None:
    client = login_as(JobseekerFactory())
    for path in ("/auth/login", "/jobseeker/profile", "/auth/password"):
        response = client.post(path, json={"about": ["not", "text"]})
        assert response.status_code == 415, path
        assert "Taskbørs" in response.get_data(as_text=True)  # the site's own error page
    # A file posted under a text field's name never reaches the field.
    upload = client.post(
        "/jobseeker/profile",
        data={"about": (io.BytesIO(b"x" * 10), "about.txt"), "field": "Cand.merc."},
        content_type="multipart/form-data",
    )
    assert upload.status_code in (200, 302, 422)


def test_the_delay_grows_and_a_correct_password_ends_it(app, limited, caplog) -> None:
    from taskboerse.services.login_throttle import Policy, account_key

    policy = Policy()
    assert [policy.delay_after(n) for n in (4, 5, 6, 7, 20)] == [0, 60, 120, 240, 900]
    user = JobseekerFactory()
    web = limited(LOGIN_FREE_FAILURES=2, LOGIN_FIRST_DELAY_SECONDS=1)
    caplog.set_level(logging.INFO, "taskboerse.security")

    def attempt(password: str) -> int:
        return (
            web.test_client()
            .post("/auth/login", data={"email": user.email, "password": password})
            .status_code
        )

    assert [attempt("wrong password") for _ in range(3)] == [422, 422, 429]
    assert f"account={account_key(user.email)}" in caplog.text
    assert "key=minute" not in caplog.text
    time.sleep(1.1)
    assert attempt("wrong password") == 422  # the delay ran out; this failure doubles it
    assert attempt(PASSWORD) == 429
    time.sleep(2.1)
    assert attempt(PASSWORD) == 302
    assert attempt("wrong password") == 422  # the run of failures was forgotten


# --- 3. the same work whether or not the email has an account ------------------------------


def test_a_wrong_password_takes_as_long_for_known_and_unknown_emails(app) -> None:
    from taskboerse.config import Config

    for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"):
        app.config[name] = getattr(Config, name)  # the production cost, not the test one
    user = JobseekerFactory()
    user.password_hash = accounts.hash_password(PASSWORD)
    db.session.commit()

    def seconds(email: str) -> float:
        start = time.perf_counter()
        assert accounts.authenticate(email, "wrong password 123") is None
        return time.perf_counter() - start

    seconds("warm-up@example.com")
    known, unknown = [], []
    for _ in range(15):  # interleaved, so a busy moment on the machine hits both alike
        known.append(seconds(user.email))
        unknown.append(seconds("nobody-here@example.com"))
    ratio = statistics.median(unknown) / statistics.median(known)
    # Before the fix an unknown email cost a fresh hash and a verification: about 2x.
    assert 0.6 < ratio < 1.6, (statistics.median(known), statistics.median(unknown))


# --- 4. trusted proxies ----------------------------------------------------------------------


def addresses_seen(web, forwarded: list[str]) -> list[int]:
    return [
        web.test_client()
        .post(
            "/auth/login",
            data={"email": f"u{i}@example.com", "password": "wrong password"},
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": "192.0.2.1"},
        )
        .status_code
        for i, address in enumerate(forwarded)
    ]


def test_without_trusted_proxies_a_forwarded_address_is_ignored(app, limited) -> None:
    codes = addresses_seen(limited(), [f"198.51.100.{i}" for i in range(11)])
    assert codes[:10] == [422] * 10 and codes[10] == 429


def test_behind_one_trusted_proxy_each_client_has_its_own_limit(app, limited) -> None:
    web = limited(TRUSTED_PROXIES=1)
    codes = addresses_seen(web, [f"198.51.100.{i}" for i in range(11)])
    assert codes == [422] * 11
    # A client cannot choose its address by sending its own header: the proxy appends the
    # real one, and only the last (the proxy's own view) is trusted.
    spoofed = addresses_seen(web, ["203.0.113.7, 198.51.100.200" for _ in range(11)])
    assert spoofed[10] == 429


# --- 5. request size, and nothing echoed back -------------------------------------------------


def test_a_body_above_the_limit_is_refused_with_413(app, client) -> None:
    big = "x" * (3 * 1024 * 1024)
    page = client.post("/auth/signup", data={"name": big, "email": "a@example.com"})
    assert page.status_code == 413
    assert big[:1000] not in page.get_data(as_text=True)
    form = client.post("/auth/signup", data={"name": "y" * 300_000, "email": "a@example.com"})
    assert form.status_code == 413 and len(form.data) < 20_000
    api = client.post("/api/v1/users", json={"name": "x" * 100_000})
    assert api.status_code == 413
    assert api.get_json()["error"]["code"] == "too_large"
    assert len(api.data) < 1000


def test_errors_never_echo_the_input(app, client) -> None:
    long_name = "Q" * 20_000
    response = client.post(
        "/api/v1/users",
        json={"email": "a@example.com", "name": long_name, "password": "x", "role": "jobseeker"},
    )
    assert response.status_code == 422
    assert "QQQQQQQQQQ" not in response.get_data(as_text=True)
    many = {f"unknown_field_{i:05d}": 0 for i in range(2000)}
    response = client.post("/api/v1/users", json=many)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert len(fields) <= 20 and len(response.data) < 4000
    response = client.post("/api/v1/users", json={"z" * 500: 1})
    assert all(len(name) <= 40 for name in response.get_json()["error"]["fields"])


def test_schema_errors_are_in_the_users_language(app, client) -> None:
    response = client.post(
        "/api/v1/users",
        json={"email": "a@example.com", "name": 5, "password": "x" * 10, "role": "jobseeker"},
        headers={"Accept-Language": "da"},
    )
    assert response.get_json()["error"]["fields"]["name"] == "Skriv tekst."


# --- 6. malformed or deep JSON is a 400 everywhere ------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/users", "/api/v1/tokens", "/api/v1/me/profile", "/api/v1/nowhere"]
)
def test_deep_or_malformed_json_is_a_400(app, client, path) -> None:
    for raw in (DEEP, '{"a": ', '{"a": "\\ud800"}'):
        response = client.open(path, method="POST", data=raw, content_type="application/json")
        assert response.status_code in (400, 405), (path, raw[:10], response.status_code)
    deep = client.post("/auth/login", data=DEEP, content_type="application/json")
    assert deep.status_code == 415


# --- 7. more input that used to be a 500 -----------------------------------------------------


def test_odd_numbers_in_queries(app, client, login_as) -> None:
    assert client.get("/tasks?skill=²").status_code == 200
    assert client.get("/tasks?within_km=²").status_code in (200, 422)
    api = login_as(JobseekerFactory())
    headers = token_for(app.test_client(), JobseekerFactory())
    response = api.get("/api/v1/tasks?page=²", headers=headers)
    assert response.status_code == 422
    assert "page" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/tokens", '{"email": "a\\ud800@example.com", "password": "x"}'),
        ("/api/v1/tokens", '{"email": "a@example.com", "password": "\\udfff"}'),
        (
            "/api/v1/users",
            '{"email": "a@example.com", "name": "\\ud800", "password": "long enough pw",'
            ' "role": "jobseeker"}',
        ),
    ],
)
def test_lone_surrogates_are_refused(app, client, path, body) -> None:
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert db.session.execute(select(User).where(User.email == "a@example.com")).first() is None


def test_lone_surrogate_in_a_profile_patch(app) -> None:
    user = JobseekerFactory()
    headers = token_for(app.test_client(), user)
    response = app.test_client().patch(
        "/api/v1/me/profile",
        data='{"about": "a\\ud800b"}',
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    profile = db.session.execute(
        select(JobseekerProfile).where(JobseekerProfile.user_id == user.id)
    ).scalar_one()
    assert "\ud800" not in (profile.about or "")


def test_a_next_with_a_line_break_is_not_followed(app, client) -> None:
    user = JobseekerFactory()
    response = client.post(
        "/auth/login?next=/dashboard%0d%0aSet-Cookie:x=1",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "Set-Cookie:x" not in response.headers["Location"]
    assert "x=1" not in response.headers.get("Set-Cookie", "")


# --- 12. smaller items ------------------------------------------------------------------------


def test_unknown_fields_inside_nested_objects_are_refused(app) -> None:
    user = JobseekerFactory()
    headers = token_for(app.test_client(), user)
    response = app.test_client().patch(
        "/api/v1/me/profile", json={"education": {"role": "admin"}}, headers=headers
    )
    assert response.status_code == 422
    assert "education.role" in response.get_json()["error"]["fields"]
    assert db.session.get(User, user.id).role.value == "jobseeker"


@pytest.mark.parametrize(
    "text",
    [
        "0101901234",
        "010190-1234",
        "010190/1234",
        "01.01.90-1234",
        "01 01 90 1234",
        "010190\u20131234",  # en dash
        "010190\u22121234",  # minus sign
        "\uff10\uff11\uff10\uff11\uff19\uff10\uff0d\uff11\uff12\uff13\uff14",  # full width
        "mit nummer er 010190 1234.",
        "010190  1234",  # two spaces
        "010190 - 1234",
        "010190\u200b-1234",  # a zero-width space
        "01\u00ad0190-1234",  # a soft hyphen
        "01/01/90-1234",
    ],
)
def test_cpr_numbers_in_any_common_writing_are_found(text) -> None:
    assert contains_cpr(text)
    assert "1234" not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "tlf. 12 34 56 78",
        "ordre 1234567890",
        "d. 01.01.2026",
        "kl. 10.30",
        "2026-11-23",
        "Deadline 15.03.24 1200",
        "Fra 01/02/25 0800",
    ],
)
def test_other_numbers_are_not_taken_for_cpr(text) -> None:
    assert not contains_cpr(text)


def test_cpr_in_a_form_with_a_unicode_dash_is_refused(app, login_as) -> None:
    client = login_as(JobseekerFactory())
    response = client.post("/jobseeker/profile", data={"about": "CPR 010190\u20131234"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "email",
    ["admin@demo.ex\u0430mple.com", "\u0430dmin@example.com", "user@g\u03bfogle.com"],
)
def test_look_alike_addresses_are_refused(app, email) -> None:
    with pytest.raises(ValidationFailed):
        accounts.normalise_email(email)


def test_addresses_are_normalised(app) -> None:
    assert accounts.normalise_email("\uff21nna@Example.COM ") == "anna@example.com"
    assert accounts.normalise_email("anna@bøger.dk") == "anna@bøger.dk"  # one script: fine
    assert accounts.normalise_email("info@\u65e5\u672c\u3054.jp")  # kanji with kana: Japanese
    assert accounts.lookup_key("Anna@xn--bger-gra.dk") == "anna@bøger.dk"


def test_every_spelling_of_an_address_shares_one_delay(app, limited) -> None:
    """Full-width letters reach the same account, so they must not get their own count."""
    user = JobseekerFactory(email="victim@example.dk")
    web = limited()
    for _ in range(5):
        web.test_client().post(
            "/auth/login", data={"email": user.email, "password": "wrong password"}
        )
    spelled = "\uff56ictim@example.dk"
    assert accounts.authenticate(spelled, PASSWORD) is not None  # the same account …
    response = web.test_client().post(
        "/api/v1/tokens", json={"email": spelled, "password": PASSWORD}
    )
    assert response.status_code == 429  # … and the same delay


def test_only_one_attempt_gets_through_when_a_delay_ends(app, limited) -> None:
    from taskboerse.services.login_throttle import LoginThrottle, Policy

    throttle = LoginThrottle.from_uri("memory://", Policy(free_failures=1, first_delay=1))
    throttle.failed("acct")
    assert throttle.claim_attempt("acct") > 0
    time.sleep(1.1)
    assert [throttle.claim_attempt("acct") for _ in range(5)].count(0) == 1


def test_the_owners_browser_is_never_delayed_by_a_stranger(app, limited) -> None:
    user = JobseekerFactory()
    web = limited()
    owner = web.test_client()
    assert (
        owner.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code
        == 302
    )
    owner.post("/auth/logout")
    for i in range(6):  # a stranger, elsewhere
        web.test_client().post(
            "/auth/login",
            data={"email": user.email, "password": "wrong password"},
            environ_base={"REMOTE_ADDR": f"10.9.0.{i}"},
        )
    stranger = web.test_client().post(
        "/auth/login", data={"email": user.email, "password": PASSWORD}
    )
    assert stranger.status_code == 429
    assert (
        owner.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code
        == 302
    )


def test_search_terms_stay_out_of_the_request_log() -> None:
    line = '127.0.0.1 - - [23/Nov/2026] "GET /caseworker/?q=Jens+Hansen&sort=name HTTP/1.1" 200 -'
    assert "Jens" not in strip_query_strings(line)
    assert "/caseworker/" in strip_query_strings(line)
    coloured = '127.0.0.1 - - [x] "\x1b[32mGET /tasks?q=anna@example.com HTTP/1.1\x1b[0m" 302 -'
    assert "anna@example.com" not in strip_query_strings(coloured)


def test_the_werkzeug_request_line_is_logged_without_its_query(app, caplog) -> None:
    caplog.set_level(logging.INFO, "werkzeug")
    logging.getLogger("werkzeug").info(
        "%s - - [%s] %s", "127.0.0.1", "now", '"GET /tasks/?q=anna@example.com HTTP/1.1" 200 -'
    )
    assert "anna@example.com" not in caplog.text and "/tasks/" in caplog.text


def test_names_are_isolated_for_right_to_left_text(app, login_as) -> None:
    task = TaskFactory()
    graduate = JobseekerFactory(name="\u05d3\u05e0\u05d4 Levi")
    login_as(graduate).post(f"/tasks/{task.id}/apply", data={"motivation": "Gerne."})
    page = login_as(task.company.owner).get(f"/entrepreneur/tasks/{task.id}")
    assert "<bdi>\u05d3\u05e0\u05d4 Levi</bdi>" in page.get_data(as_text=True)


# --- 11. the expensive anonymous endpoints are limited per address -------------------------


def test_suggestions_from_text_are_limited_and_capped(app, limited, monkeypatch) -> None:
    from taskboerse.web.main import views

    seen: list[int] = []
    monkeypatch.setattr(
        views, "suggest_skills_from_text", lambda index, text, locale: seen.append(len(text)) or []
    )
    web = limited(TEXT_SUGGESTION_RATE_LIMIT="2 per minute")
    client = web.test_client()
    codes = [client.get("/skills/from-text", query_string={"text": "ø" * 4000}).status_code]
    codes += [client.get("/skills/from-text?text=budget").status_code for _ in range(2)]
    assert codes == [200, 200, 429]
    assert seen[0] == views.MAX_SUGGESTION_TEXT == 2000


def test_creating_accounts_is_limited_per_address(app, limited) -> None:
    web = limited(SIGNUP_RATE_LIMIT="2 per minute")

    def create(i: int) -> int:
        return (
            web.test_client()
            .post(
                "/api/v1/users",
                json={
                    "email": f"new{i}@example.com",
                    "name": "Ny Bruger",
                    "password": "a long enough passphrase",
                    "role": "jobseeker",
                },
            )
            .status_code
        )

    assert [create(i) for i in range(3)] == [201, 201, 429]
    form = web.test_client().post("/auth/signup", data={"name": "x"})
    assert form.status_code == 429  # the sign-up form shares the address's budget
