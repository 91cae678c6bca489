"""Accounts: sign-up, login, logout, sessions, roles, password hashing, the users CLI."""

from __future__ import annotations

import re

import pytest
from flask_migrate import upgrade  # noqa: F401  (keeps the import graph like production)
from sqlalchemy import func, select

from taskboerse.app import create_app
from taskboerse.config import ProductionConfig, TestingConfig
from taskboerse.extensions import db
from taskboerse.models import LoginSession, Role, User
from tests.factories import PASSWORD, JobseekerFactory, UserFactory


def user_count() -> int:
    return db.session.execute(select(func.count(User.id))).scalar_one()


def signup_data(**overrides) -> dict:
    data = {
        "role": "jobseeker",
        "name": "Freja Dimittend",
        "email": "freja@example.com",
        "password": "en lang og god sætning",
        "confirm": "en lang og god sætning",
    }
    data.update(overrides)
    return data


def test_signup_creates_jobseeker_with_argon2id_hash(client) -> None:
    response = client.post("/auth/signup", data=signup_data())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/jobseeker/profile")
    user = db.session.execute(select(User)).scalar_one()
    assert user.role == Role.JOBSEEKER
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$.+", user.password_hash)
    assert match, user.password_hash
    assert "en lang og god" not in user.password_hash


def test_production_hash_parameters_are_strong(app) -> None:
    assert ProductionConfig.ARGON2_MEMORY_COST >= 19 * 1024
    assert ProductionConfig.ARGON2_TIME_COST >= 2


def test_entrepreneur_signup_goes_to_company_page(client) -> None:
    response = client.post("/auth/signup", data=signup_data(role="entrepreneur"))
    assert response.headers["Location"].endswith("/entrepreneur/company")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "kort", "confirm": "kort"}, "Adgangskoden skal være 8 til 128 tegn."),
        ({"confirm": "noget andet helt"}, "Adgangskoderne er ikke ens."),
        ({"email": "ikke-en-email"}, "Skriv en gyldig e-mailadresse."),
        ({"name": ""}, "Feltet skal udfyldes."),
        ({"role": "admin"}, "Ikke et gyldigt valg."),
        ({"role": "caseworker"}, "Ikke et gyldigt valg."),
        ({"password": "x" * 129, "confirm": "x" * 129}, "Adgangskoden skal være 8 til 128 tegn."),
    ],
)
def test_signup_refuses_bad_input_and_stores_nothing(client, overrides, message) -> None:
    response = client.post("/auth/signup", data=signup_data(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'role="alert"' in page
    assert user_count() == 0


def test_long_passwords_are_allowed(client) -> None:
    password = "p" * 64
    response = client.post("/auth/signup", data=signup_data(password=password, confirm=password))
    assert response.status_code == 302


def test_duplicate_email_is_refused(client) -> None:
    UserFactory(email="freja@example.com")
    response = client.post("/auth/signup", data=signup_data(email="Freja@Example.com"))
    assert response.status_code == 422
    assert "Der findes allerede en konto med denne e-mail." in response.get_data(as_text=True)
    assert user_count() == 1


def test_failed_login_does_not_reveal_whether_email_exists(client) -> None:
    UserFactory(email="kendt@example.com")
    wrong = client.post("/auth/login", data={"email": "kendt@example.com", "password": "forkert!!"})
    unknown = client.post("/auth/login", data={"email": "ukendt@example.com", "password": "x" * 9})
    assert wrong.status_code == unknown.status_code == 422
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong) == strip(unknown)
    assert "Forkert e-mail eller adgangskode." in wrong.get_data(as_text=True)


def test_login_form_field_names(client) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/tasks", "/tasks"),
        ("/tasks?q=excel", "/tasks?q=excel"),
        ("https://evil.example.com/", "/jobseeker/"),
        ("//evil.example.com/", "/jobseeker/"),
        ("/\\evil.example.com", "/jobseeker/"),
        ("https:evil.example.com", "/jobseeker/"),
        ("javascript:alert(1)", "/jobseeker/"),
    ],
)
def test_next_redirects_only_to_local_paths(client, next_url, expected) -> None:
    user = JobseekerFactory()
    response = client.post(
        "/auth/login",
        query_string={"next": next_url},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    if expected == "/jobseeker/":
        assert location.endswith("/dashboard")
    else:
        assert location == expected


def test_session_cookie_flags(client) -> None:
    user = JobseekerFactory()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logout_makes_old_cookie_useless(app, client) -> None:
    user = JobseekerFactory()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    stolen = client.get_cookie("session").value
    assert client.get("/jobseeker/").status_code == 200
    assert client.post("/auth/logout").status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/jobseeker/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert db.session.execute(select(func.count(LoginSession.id))).scalar_one() == 0


def test_login_gives_a_new_session(app, client) -> None:
    user = JobseekerFactory()
    client.get("/auth/login")
    before = client.get_cookie("session")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    after = client.get_cookie("session")
    assert before is None or before.value != after.value


def test_disabling_a_user_ends_their_sessions(app, login_as) -> None:
    admin = UserFactory(role=Role.ADMIN)
    target = JobseekerFactory()
    target_client = login_as(target)
    assert target_client.get("/jobseeker/").status_code == 200
    admin_client = login_as(admin)
    assert admin_client.post(f"/admin/users/{target.id}/disable").status_code == 302
    assert target_client.get("/jobseeker/").status_code == 302
    response = app.test_client().post(
        "/auth/login", data={"email": target.email, "password": PASSWORD}
    )
    assert response.status_code == 422


def test_admin_creates_caseworker_in_ui(login_as) -> None:
    admin = login_as(UserFactory(role=Role.ADMIN))
    response = admin.post(
        "/admin/users/new",
        data={
            "role": "caseworker",
            "name": "Karen Sag",
            "email": "karen@example.com",
            "password": "sagsbehandler-kode",
        },
    )
    assert response.status_code == 302
    user = db.session.execute(select(User).where(User.email == "karen@example.com")).scalar_one()
    assert user.role == Role.CASEWORKER


def test_users_create_cli(runner) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "caseworker",
            "--email",
            "cw@example.com",
            "--password",
            "god-lang-kode",
            "--name",
            "Case Worker",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created caseworker cw@example.com" in result.output
    user = db.session.execute(select(User).where(User.email == "cw@example.com")).scalar_one()
    assert user.role == Role.CASEWORKER


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--role", "boss"], "Invalid value for '--role'"),
        (["--role", "admin", "--password", "kort"], "mindst 8 tegn"),
        (["--role", "admin", "--email", "nope"], "gyldig e-mailadresse"),
    ],
)
def test_users_create_cli_refuses_bad_arguments(runner, args, text) -> None:
    base = {
        "--role": "admin",
        "--email": "a@example.com",
        "--password": "god-lang-kode",
        "--name": "A",
    }
    pairs = dict(zip(args[::2], args[1::2], strict=True))
    base.update(pairs)
    argv = ["users", "create"] + [x for kv in base.items() for x in kv]
    result = runner.invoke(args=argv)
    assert result.exit_code != 0
    assert text in result.output
    assert user_count() == 0


def test_production_config_requires_secret_key(monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_login_is_rate_limited(_migrated) -> None:
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=_migrated,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
    )
    client = app.test_client()
    try:
        codes = [
            client.post(
                "/auth/login", data={"email": "x@example.com", "password": "y" * 9}
            ).status_code
            for _ in range(4)
        ]
    finally:
        with app.app_context():
            db.engine.dispose()
    assert codes == [422, 422, 422, 429]


def test_password_change_ends_other_sessions_and_tokens(app, login_as) -> None:
    user = JobseekerFactory()
    this_browser = login_as(user)
    other_browser = login_as(user)
    api = app.test_client()
    token = api.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    wrong = this_browser.post(
        "/auth/password",
        data={"current": "forkert-kode", "password": "ny lang kode", "confirm": "ny lang kode"},
    )
    assert wrong.status_code == 422
    assert "Den nuværende adgangskode er forkert." in wrong.get_data(as_text=True)
    response = this_browser.post(
        "/auth/password",
        data={"current": PASSWORD, "password": "ny lang kode", "confirm": "ny lang kode"},
    )
    assert response.status_code == 302
    assert this_browser.get("/jobseeker/").status_code == 200
    assert other_browser.get("/jobseeker/").status_code == 302
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert (
        app.test_client()
        .post("/auth/login", data={"email": user.email, "password": "ny lang kode"})
        .status_code
        == 302
    )
