"""Security controls (OWASP ASVS 5.0 numbers in the test names' docstrings)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from argon2 import extract_parameters
from sqlalchemy import func, select, update

from taskboerse.config import Config
from taskboerse.extensions import db
from taskboerse.models import ApiToken, LoginSession, ProfileSkill, Role, User
from taskboerse.models.types import utcnow
from taskboerse.services.passwords import hash_password
from taskboerse.web.security_headers import CACHEABLE_ENDPOINTS
from tests.factories import PASSWORD, JobseekerFactory, TaskFactory, UserFactory, follow
from tests.functional.test_access import CASES, ROLES, World, world  # noqa: F401

CPR_SAMPLES = ["010190-1234", "0101901234", "311299 1234"]


# --- sessions [7.2.4, 7.3.1, 7.3.2, 7.4.1, 7.4.2] -------------------------------------------


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_login_issues_a_new_session_id(client) -> None:
    user = JobseekerFactory()
    client.get("/auth/login")
    before = session_cookie(client)
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert session_cookie(client) != before
    assert db.session.execute(select(func.count(LoginSession.id))).scalar_one() == 1


@pytest.mark.parametrize("how", ["logout", "password", "disable"])
def test_old_cookies_and_tokens_die_everywhere(app, how, login_as) -> None:
    user = JobseekerFactory()
    first, second = login_as(user), login_as(user)
    token = (
        app.test_client()
        .post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        .get_json()["token"]
    )
    headers = {"Authorization": f"Bearer {token}"}
    stolen = session_cookie(first)
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    if how == "logout":
        first.post("/auth/logout")
    elif how == "password":
        response = first.post(
            "/auth/password",
            data={
                "current": PASSWORD,
                "password": "a new long sentence",
                "confirm": "a new long sentence",
            },
        )
        assert response.status_code == 302
        assert session_cookie(first) != stolen  # this browser got a fresh session id
        assert first.get("/jobseeker/").status_code == 200
    else:
        login_as(UserFactory(role=Role.ADMIN)).post(f"/admin/users/{user.id}/disable")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/jobseeker/").status_code == 302  # to the login page
    assert second.get("/jobseeker/").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    remaining = db.session.execute(
        select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id)
    ).scalar_one()
    assert remaining == 0


def age_sessions(**delta) -> None:
    for row in db.session.execute(select(LoginSession)).scalars():
        row.created_at -= timedelta(**delta.get("created", {}))
        row.last_seen_at -= timedelta(**delta.get("seen", {}))
    db.session.commit()


def test_idle_timeout(app, login_as) -> None:
    client = login_as(JobseekerFactory())
    age_sessions(seen={"minutes": 29})
    assert client.get("/jobseeker/").status_code == 200  # and the visit renews it
    age_sessions(seen={"minutes": 31})
    assert client.get("/jobseeker/").status_code == 302
    assert db.session.execute(select(func.count(LoginSession.id))).scalar_one() == 0


def test_absolute_timeout_even_when_active(app, login_as) -> None:
    client = login_as(JobseekerFactory())
    age_sessions(created={"hours": 11, "minutes": 59})
    assert client.get("/jobseeker/").status_code == 200
    age_sessions(created={"minutes": 2})
    assert client.get("/jobseeker/").status_code == 302


def test_timeouts_are_configurable(app, login_as) -> None:
    app.config["SESSION_IDLE_MINUTES"] = 5
    client = login_as(JobseekerFactory())
    age_sessions(seen={"minutes": 6})
    assert client.get("/jobseeker/").status_code == 302


def test_cookie_flags() -> None:
    from taskboerse.config import DevelopmentConfig, ProductionConfig

    assert Config.SESSION_COOKIE_HTTPONLY and Config.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert DevelopmentConfig.SESSION_COOKIE_SECURE is False


def test_session_cookie_is_httponly_and_lax(client) -> None:
    user = JobseekerFactory()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- passwords [6.2.1, 6.2.4, 6.2.5, 6.2.9, 11.4.2] ----------------------------------------


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("seven77", False),  # too short
        ("password1", False),  # among the most common
        ("Qwertyuiop", False),  # common, in any case
        ("kodeord123", False),  # a Danish one we added
        ("allelower", True),  # no composition rules
        ("x" * 64, True),  # at least 64 allowed
        ("x" * 128, True),
        ("x" * 129, False),
    ],
)
def test_password_rules(client, password, ok) -> None:
    response = client.post(
        "/auth/signup",
        data={
            "role": "jobseeker",
            "name": "Test",
            "email": "new@example.com",
            "password": password,
            "confirm": password,
        },
    )
    assert (response.status_code == 302) is ok, response.get_data(as_text=True)[-400:]
    if password == "password1":
        assert "blandt de mest brugte" in response.get_data(as_text=True)


def test_common_list_has_3000_entries_from_the_shipped_file() -> None:
    from taskboerse.services.passwords import COMMON_PASSWORDS, _common_passwords

    lines = [ln for ln in COMMON_PASSWORDS.read_text().splitlines() if ln and ln[0] != "#"]
    assert len(lines) >= 3000
    assert "123456" in _common_passwords()


def test_stored_hash_is_argon2id_with_owasp_parameters(app) -> None:
    # The production parameters; tests run cheaper ones, so hash with the real config here.
    app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=19 * 1024, ARGON2_PARALLELISM=1)
    stored = hash_password("a long sentence")
    params = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2
    assert Config.ARGON2_MEMORY_COST == 19 * 1024 and Config.ARGON2_TIME_COST == 2


# --- brute force [6.3.1] ------------------------------------------------------------------------


def test_login_is_limited_per_account_across_addresses(limited, caplog) -> None:
    app = limited()
    user = JobseekerFactory()
    caplog.set_level(logging.INFO, "taskboerse.security")
    codes = []
    for i in range(7):
        client = app.test_client()
        response = client.post(
            "/auth/login",
            data={"email": user.email, "password": "wrong password"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"},
        )
        codes.append(response.status_code)
    assert codes[:5] == [422] * 5 and codes[5:] == [429, 429]
    assert "event=lockout" in caplog.text
    # Another account from the same addresses is not locked out.
    other = JobseekerFactory()
    response = app.test_client().post(
        "/auth/login",
        data={"email": other.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert response.status_code == 302


def test_login_is_limited_per_address(limited) -> None:
    app = limited()
    codes = [
        app.test_client()
        .post("/auth/login", data={"email": f"u{i}@example.com", "password": "wrong password"})
        .status_code
        for i in range(11)
    ]
    assert codes[:10] == [422] * 10 and codes[10] == 429


def test_token_endpoint_is_limited_per_account(limited) -> None:
    app = limited()
    user = JobseekerFactory()
    codes = [
        app.test_client()
        .post(
            "/api/v1/tokens",
            json={"email": user.email, "password": "wrong password"},
            environ_base={"REMOTE_ADDR": f"10.1.0.{i + 1}"},
        )
        .status_code
        for i in range(6)
    ]
    assert codes == [401] * 5 + [429]


# --- headers [3.4.x, 14.3.2] --------------------------------------------------------------------

GET_ROUTES = [
    (endpoint, i)
    for endpoint, cases in CASES.items()
    for i, case in enumerate(cases)
    if case[0] == "GET" and endpoint != "static"
]


@pytest.mark.parametrize(("endpoint", "index"), GET_ROUTES)
def test_every_page_sends_the_security_headers(app, world, login_as, endpoint, index) -> None:  # noqa: F811
    _method, make_url, _data, expected = CASES[endpoint][index]
    role = next((r for r in ROLES[1:] if expected[r] == 200), "admin")
    response = login_as(world.users[role]).get(make_url(world))
    response.close()
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "default-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    if endpoint in CACHEABLE_ENDPOINTS:  # public files: the favicon and company logos
        assert "no-store" not in headers.get("Cache-Control", "")
    else:
        assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # testing/development: plain http


def test_hsts_outside_development(monkeypatch) -> None:
    from taskboerse.app import create_app
    from taskboerse.config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("TASKBOERSE_BASE_URL", "https://taskboerse.example")
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    response = app.test_client().get("/static/css/app.css", base_url="https://localhost")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    response.close()


def test_no_inline_scripts_or_styles_in_templates() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    for template in root.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+=", text), template
        assert "style=" not in text and "<style" not in text, template


# --- CSRF [3.5.1] -------------------------------------------------------------------------------

POST_ROUTES = [
    (endpoint, i)
    for endpoint, cases in CASES.items()
    for i, case in enumerate(cases)
    if case[0] == "POST"
]


@pytest.mark.parametrize(("endpoint", "index"), POST_ROUTES)
def test_every_form_route_needs_a_csrf_token(app, world, login_as, endpoint, index) -> None:  # noqa: F811
    _method, make_url, data, expected = CASES[endpoint][index]
    role = next((r for r in ROLES[1:] if expected[r] not in (403, 404)), "admin")
    client = login_as(world.users[role])
    app.config["WTF_CSRF_ENABLED"] = True
    data = data(world) if callable(data) else data
    response = client.post(make_url(world), data=data)
    assert response.status_code == 400, (endpoint, role, response.status_code)


# --- CPR numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cpr", CPR_SAMPLES)
def test_cpr_numbers_are_refused_in_free_text_fields(app, login_as, cpr) -> None:
    user = JobseekerFactory()
    client = login_as(user)
    response = client.post(
        "/jobseeker/profile",
        data={"about": f"Mit CPR er {cpr}", "skills": "Excel", "remote_ok": "y"},
    )
    assert response.status_code == 422
    assert "Skriv ikke et CPR-nummer her" in response.get_data(as_text=True)
    task = TaskFactory()
    response = client.post(f"/tasks/{task.id}/apply", data={"motivation": f"cpr {cpr}"})
    assert response.status_code == 422
    db.session.expire_all()
    assert cpr not in (db.session.get(User, user.id).profile.about or "")


def test_cpr_numbers_are_refused_by_the_api_and_in_queries(app, client) -> None:
    user = JobseekerFactory()
    token = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    response = client.patch(
        "/api/v1/me/profile",
        json={"about": "Ring 0101901234", "skills": ["Excel", "010190-1234"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"about", "skills.1"}
    assert client.get("/tasks?q=010190-1234").status_code == 422
    assert db.session.execute(select(func.count(ProfileSkill.id))).scalar_one() == 1


def test_numbers_that_are_not_cpr_pass(app, login_as) -> None:
    client = login_as(JobseekerFactory())
    response = client.post(
        "/jobseeker/profile",
        data={"about": "Tlf. 12345678, CVR 10150817, år 2025-2026, 1234567890", "skills": "Excel"},
    )
    assert response.status_code == 302


# --- logs [16.2.1, 16.2.5] ----------------------------------------------------------------------


def test_logs_of_a_journey_hold_no_password_token_or_cpr(app, login_as, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    password = "a very secret sentence"
    client = app.test_client()
    client.post(
        "/auth/signup",
        data={
            "role": "jobseeker",
            "name": "Logga",
            "email": "logga@example.com",
            "password": password,
            "confirm": password,
        },
    )
    client.post("/jobseeker/profile", data={"about": "CPR 010190-1234", "skills": "Excel"})
    client.get("/tasks?q=0101901234")
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": "logga@example.com", "password": "wrong " + password})
    client.post("/auth/login", data={"email": "logga@example.com", "password": password})
    token = client.post(
        "/api/v1/tokens", json={"email": "logga@example.com", "password": password}
    ).get_json()["token"]
    client.patch(
        "/api/v1/me/profile",
        json={"about": "0101901234"},
        headers={"Authorization": f"Bearer {token}"},
    )
    caseworker = UserFactory(role=Role.CASEWORKER)
    follow(
        caseworker,
        db.session.execute(select(User).where(User.email == "logga@example.com")).scalar_one(),
    )
    login_as(caseworker).get("/caseworker/export/caseload.csv")
    # A log line with a CPR number from elsewhere in the app is redacted as it is made.
    logging.getLogger("taskboerse.test").warning("someone typed 010190-1234")
    text = caplog.text
    for secret in (password, token, "010190-1234", "0101901234"):
        assert secret not in text, secret
    for event in ("login_ok", "login_failed", "export"):
        assert f"event={event}" in text
    assert re.search(r"event=login_ok at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ .*user=\d+", text)


def test_role_changes_are_logged(app, login_as, caplog) -> None:
    caplog.set_level(logging.INFO, "taskboerse.security")
    admin = login_as(UserFactory(role=Role.ADMIN))
    admin.post(
        "/admin/users/new",
        data={
            "role": "caseworker",
            "name": "Ny",
            "email": "ny@example.com",
            "password": "a long sentence",
        },
    )
    user = JobseekerFactory()
    admin.post(f"/admin/users/{user.id}/disable")
    assert "event=role_change" in caplog.text and "role=caseworker" in caplog.text
    assert "event=account_disabled" in caplog.text


def test_expired_tokens_are_refused(app, client) -> None:
    user = JobseekerFactory()
    token = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": PASSWORD}
    ).get_json()["token"]
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize(("endpoint", "index"), GET_ROUTES)
def test_no_state_changes_through_get(app, world, login_as, endpoint, index) -> None:  # noqa: F811
    from tests.functional.test_access import fingerprint

    _method, make_url, _data, expected = CASES[endpoint][index]
    role = next((r for r in ROLES[1:] if expected[r] == 200), "admin")
    client = login_as(world.users[role])
    before = fingerprint()
    client.get(make_url(world)).close()
    assert fingerprint() == before
