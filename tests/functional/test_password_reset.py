"""Password reset: the link by email, its life (single use, expiry, replaced by a newer
link or a password change), the same answer for any email, the limits per address and per
account shared by the web form and the API, and every refusal in the user's language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import ApiToken, LoginSession, OutboxMessage, User
from taskboerse.models.types import utcnow
from taskboerse.services import clock
from tests.factories import PASSWORD, JobseekerFactory, UserFactory

NEW_PASSWORD = "en helt ny og lang sætning"
LINK = re.compile(r"https://taskboerse\.test(/auth/reset/[A-Za-z0-9_.\-]+)")


def ask(client, email: str, **kwargs):
    """Ask for a reset link through the web form."""
    return client.post("/auth/reset", data={"email": email}, **kwargs)


def mails_to(email: str) -> list[OutboxMessage]:
    """The outbox messages to ``email``, oldest first."""
    db.session.expire_all()
    return list(
        db.session.execute(
            select(OutboxMessage).where(OutboxMessage.to_email == email).order_by(OutboxMessage.id)
        ).scalars()
    )


def outbox_size() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(OutboxMessage.id))).scalar_one()


def link_for(client, user) -> str:
    """Ask for a link for ``user`` and return the path the newest email points to."""
    assert ask(client, user.email).status_code == 302
    match = LINK.search(mails_to(user.email)[-1].body)
    assert match, mails_to(user.email)[-1].body
    return match.group(1)


def set_password(client, path: str, password: str = NEW_PASSWORD, **kwargs):
    """Post a new password (twice, as the form asks) to a reset link."""
    return client.post(path, data={"password": password, "confirm": password}, **kwargs)


def can_log_in(app, user, password: str) -> bool:
    response = app.test_client().post(
        "/auth/login", data={"email": user.email, "password": password}
    )
    return response.status_code == 302


def without_tokens(page: str) -> str:
    """A page without its per-request values (CSRF tokens, nonces)."""
    return re.sub(r'(value|nonce)="[^"]*"', "", page)


def api_token(app, user) -> dict:
    response = app.test_client().post(
        "/api/v1/tokens", json={"email": user.email, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


# --- the whole flow ------------------------------------------------------------------------------


def test_login_page_offers_the_reset(client) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/reset"' in page
    form = client.get("/auth/reset")
    assert form.status_code == 200
    assert 'name="email"' in form.get_data(as_text=True)


def test_whole_flow_through_the_web_form(app, client, login_as) -> None:
    user = JobseekerFactory(email="freja@example.com")
    other_browser = login_as(user)
    token_headers = api_token(app, user)
    assert other_browser.get("/jobseeker/").status_code == 200

    response = ask(client, "freja@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/reset"
    (mail,) = mails_to("freja@example.com")
    assert mail.subject.startswith("Taskbørs: ")
    assert "https://taskboerse.test/auth/reset/" in mail.body
    assert "60" in mail.body  # how long it is valid
    path = LINK.search(mail.body).group(1)

    page = client.get(path)
    assert page.status_code == 200
    assert 'name="password"' in page.get_data(as_text=True)
    done = set_password(client, path)
    assert done.status_code == 302
    assert done.headers["Location"] == "/auth/login"

    db.session.expire_all()
    assert db.session.get(User, user.id).reset_nonce is None
    assert other_browser.get("/jobseeker/").status_code == 302  # logged out
    assert app.test_client().get("/api/v1/me", headers=token_headers).status_code == 401
    assert db.session.execute(select(func.count(ApiToken.id))).scalar_one() == 0
    assert db.session.execute(select(func.count(LoginSession.id))).scalar_one() == 0
    assert not can_log_in(app, user, PASSWORD)
    assert can_log_in(app, user, NEW_PASSWORD)


def test_a_logged_in_browser_that_resets_is_logged_out_too(app, login_as) -> None:
    user = JobseekerFactory()
    browser = login_as(user)
    path = link_for(browser, user)
    assert set_password(browser, path).status_code == 302
    assert browser.get("/jobseeker/").status_code == 302


def test_any_spelling_of_the_email_reaches_the_account(client) -> None:
    user = JobseekerFactory(email="freja@example.com")
    assert ask(client, "  Freja@EXAMPLE.com ").status_code == 302
    assert len(mails_to(user.email)) == 1


# --- the same answer whether or not the account exists -------------------------------------------


@pytest.mark.parametrize("kind", ["unknown", "disabled", "erased"])
def test_the_answer_is_the_same_for_an_email_that_gets_no_link(app, kind) -> None:
    JobseekerFactory(email="kendt@example.com")
    if kind == "disabled":
        UserFactory(email="ingen@example.com", is_disabled=True)
    elif kind == "erased":
        UserFactory(email="ingen@example.com", anonymised_at=utcnow())
    known, nobody = app.test_client(), app.test_client()
    a = ask(known, "kendt@example.com")
    b = ask(nobody, "ingen@example.com")
    assert a.status_code == b.status_code == 302
    assert a.headers["Location"] == b.headers["Location"]
    assert a.get_data() == b.get_data()
    page_a = known.get(a.headers["Location"]).get_data(as_text=True)
    page_b = nobody.get(b.headers["Location"]).get_data(as_text=True)
    assert without_tokens(page_a) == without_tokens(page_b)
    assert len(mails_to("kendt@example.com")) == 1
    assert mails_to("ingen@example.com") == []
    db.session.expire_all()
    nonces = select(User.reset_nonce).where(User.email == "ingen@example.com")
    assert db.session.execute(nonces).scalars().all() in ([], [None])


def test_the_api_answers_202_alike_for_known_and_unknown_email(app) -> None:
    user = JobseekerFactory(email="kendt@example.com")
    client = app.test_client()
    known = client.post("/api/v1/password-reset", json={"email": "kendt@example.com"})
    unknown = client.post("/api/v1/password-reset", json={"email": "ukendt@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()
    assert known.get_json()["status"] == "accepted"
    (mail,) = mails_to(user.email)
    assert mails_to("ukendt@example.com") == []
    # The API's link opens the same web page.
    path = LINK.search(mail.body).group(1)
    assert client.get(path).status_code == 200
    assert set_password(client, path).status_code == 302
    assert can_log_in(app, user, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"not json", 400, None),
        ({}, 422, "email"),
        ({"email": 5}, 422, "email"),
        ({"email": "ikke-en-email"}, 422, "email"),
        ({"email": "x@example.com", "admin": True}, 422, "admin"),
        ({"email": "a" * 250 + "@example.com"}, 422, "email"),
    ],
)
def test_the_api_refuses_a_malformed_body(app, body, status, field) -> None:
    JobseekerFactory(email="x@example.com")
    client = app.test_client()
    if isinstance(body, bytes):
        response = client.post("/api/v1/password-reset", data=body, content_type="application/json")
    else:
        response = client.post("/api/v1/password-reset", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    if field:
        assert field in error["fields"]
    assert outbox_size() == 0


def test_the_api_operation_is_documented(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/password-reset"]["post"]
    assert operation["security"] == []
    assert "202" in operation["responses"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/PasswordResetRequest"}


# --- the life of a link --------------------------------------------------------------------------


def test_a_link_works_once(app, client) -> None:
    user = JobseekerFactory()
    path = link_for(client, user)
    assert set_password(client, path).status_code == 302
    again = client.get(path)
    assert again.status_code == 400
    assert 'href="/auth/reset"' in again.get_data(as_text=True)
    refused = set_password(client, path, "endnu en ny lang kode")
    assert refused.status_code == 400
    assert can_log_in(app, user, NEW_PASSWORD)
    assert not can_log_in(app, user, "endnu en ny lang kode")


def test_a_link_expires_after_the_configured_minutes(app, client, monkeypatch) -> None:
    user = JobseekerFactory()
    path = link_for(client, user)
    start = utcnow()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=59))
    assert client.get(path).status_code == 200
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=61))
    page = client.get(path)
    assert page.status_code == 400
    assert "60" in page.get_data(as_text=True)
    assert set_password(client, path).status_code == 400
    assert can_log_in(app, user, PASSWORD)


def test_a_newer_link_kills_the_older(app, client) -> None:
    user = JobseekerFactory()
    older = link_for(client, user)
    newer = link_for(client, user)
    assert older != newer
    assert client.get(older).status_code == 400
    assert set_password(client, older).status_code == 400
    assert set_password(client, newer).status_code == 302
    assert can_log_in(app, user, NEW_PASSWORD)


def test_a_password_change_kills_the_link(app, client, login_as) -> None:
    user = JobseekerFactory()
    path = link_for(client, user)
    browser = login_as(user)
    changed = browser.post(
        "/auth/password",
        data={"current": PASSWORD, "password": "skiftet lang kode", "confirm": "skiftet lang kode"},
    )
    assert changed.status_code == 302
    assert client.get(path).status_code == 400
    assert set_password(client, path).status_code == 400
    assert can_log_in(app, user, "skiftet lang kode")


@pytest.mark.parametrize("change", ["disabled", "erased", "deleted"])
def test_a_link_dies_with_its_account(app, client, change) -> None:
    user = UserFactory()  # no profile, so it can be deleted outright
    path = link_for(client, user)
    if change == "deleted":
        db.session.delete(db.session.get(User, user.id))
    else:
        target = db.session.get(User, user.id)
        if change == "disabled":
            target.is_disabled = True
        else:
            target.anonymised_at = utcnow()
    db.session.commit()
    assert client.get(path).status_code == 400
    assert set_password(client, path).status_code == 400


def _signed(payload, secret: str = "test-secret", salt: str = "password-reset") -> str:
    return URLSafeTimedSerializer(secret, salt=salt).dumps(payload)


SOME_LINK = {"u": 1, "n": "0" * 32, "f": "0" * 16}
BAD_TOKENS = {
    "garbage": lambda: "garbage",
    "dots": lambda: "a.b.c",
    "long": lambda: "x" * 400,
    "other-secret": lambda: _signed(SOME_LINK, secret="another-secret"),
    "other-salt": lambda: _signed(SOME_LINK, salt="login-device"),
    "not-a-dict": lambda: _signed(["not", "a", "dict"]),
    "wrong-types": lambda: _signed({"u": "1", "n": 1, "f": None}),
    "no-such-user": lambda: _signed({**SOME_LINK, "u": 999999}),
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_a_bad_link_gets_a_clear_page_never_a_500(app, client, kind) -> None:
    token = BAD_TOKENS[kind]()
    JobseekerFactory()
    for response in (
        client.get(f"/auth/reset/{token}"),
        set_password(client, f"/auth/reset/{token}"),
    ):
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'href="/auth/reset"' in page and 'name="password"' not in page
        assert "Traceback" not in page


def test_a_cut_link_and_a_forged_nonce_are_refused(app, client) -> None:
    user = JobseekerFactory()
    path = link_for(client, user)
    assert client.get(path[:-3]).status_code == 400
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    from taskboerse.services.password_reset import password_fingerprint

    with app.test_request_context():
        forged = _signed(
            {"u": user.id, "n": "f" * 32, "f": password_fingerprint(stored.password_hash)}
        )
    assert client.get(f"/auth/reset/{forged}").status_code == 400
    assert client.get(path).status_code == 200  # the real one still works


# --- the new password ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("kort", "kort", "Adgangskoden skal være 8 til 128 tegn."),
        (NEW_PASSWORD, "noget andet helt", "Adgangskoderne er ikke ens."),
        ("", "", "Feltet skal udfyldes."),
        ("password1", "password1", "blandt de mest brugte"),
        ("x" * 129, "x" * 129, "Adgangskoden skal være 8 til 128 tegn."),
    ],
)
def test_a_refused_new_password_changes_nothing_and_keeps_the_link(
    app, client, password, confirm, message
) -> None:
    user = JobseekerFactory()
    path = link_for(client, user)
    response = client.post(path, data={"password": password, "confirm": confirm})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'role="alert"' in page
    assert can_log_in(app, user, PASSWORD)
    assert set_password(client, path).status_code == 302  # the link still works


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Feltet skal udfyldes."), ("ikke-en-email", "Skriv en gyldig e-mailadresse.")],
)
def test_the_request_form_refuses_what_cannot_be_an_email(client, email, message) -> None:
    response = ask(client, email)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert outbox_size() == 0


def test_the_forms_need_a_csrf_token(app, client) -> None:
    user = JobseekerFactory()
    path = link_for(client, user)
    before = user.password_hash
    app.config["WTF_CSRF_ENABLED"] = True
    assert ask(app.test_client(), user.email).status_code == 400
    assert set_password(app.test_client(), path).status_code == 400
    assert len(mails_to(user.email)) == 1
    assert db.session.get(User, user.id).password_hash == before


# --- limits --------------------------------------------------------------------------------------


def test_requests_are_limited_per_address_across_web_and_api(limited) -> None:
    app = limited(PASSWORD_RESET_RATE_LIMIT="3 per minute", PASSWORD_RESET_ACCOUNT_LIMIT="50/hour")
    client = app.test_client()
    assert ask(client, "a@example.com").status_code == 302
    api = client.post("/api/v1/password-reset", json={"email": "b@example.com"})
    assert api.status_code == 202
    assert ask(client, "c@example.com").status_code == 302
    over_api = client.post("/api/v1/password-reset", json={"email": "d@example.com"})
    assert over_api.status_code == 429
    assert over_api.get_json()["error"]["code"] == "rate_limited"
    over_web = ask(client, "e@example.com")
    assert over_web.status_code == 429
    page = over_web.get_data(as_text=True)
    assert 'name="email"' in page and 'role="alert"' in page
    # Another address is not limited, and the form itself still opens.
    other = ask(app.test_client(), "f@example.com", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 302
    assert client.get("/auth/reset").status_code == 200


@pytest.mark.parametrize("known", [True, False])
def test_requests_are_limited_per_account_across_addresses(limited, known) -> None:
    app = limited(PASSWORD_RESET_RATE_LIMIT="50/minute", PASSWORD_RESET_ACCOUNT_LIMIT="2 per hour")
    if known:
        JobseekerFactory(email="freja@example.com")
    other = JobseekerFactory(email="anden@example.com")

    def web(email: str, n: int):
        return ask(app.test_client(), email, environ_base={"REMOTE_ADDR": f"10.2.0.{n}"})

    assert web("freja@example.com", 1).status_code == 302
    api = app.test_client().post(
        "/api/v1/password-reset",
        json={"email": "FREJA@example.com"},
        environ_base={"REMOTE_ADDR": "10.2.0.2"},
    )
    assert api.status_code == 202
    over = web(" Freja@Example.com", 3)
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) > 0
    over_api = app.test_client().post(
        "/api/v1/password-reset",
        json={"email": "freja@example.com"},
        environ_base={"REMOTE_ADDR": "10.2.0.4"},
    )
    assert over_api.status_code == 429 and "Retry-After" in over_api.headers
    assert over_api.get_json()["error"]["code"] == "rate_limited"
    assert len(mails_to("freja@example.com")) == (2 if known else 0)
    # Another account from the same addresses is not limited.
    assert web(other.email, 3).status_code == 302
    assert len(mails_to(other.email)) == 1


def test_the_account_limit_answers_alike_for_known_and_unknown(limited) -> None:
    app = limited(PASSWORD_RESET_RATE_LIMIT="50/minute", PASSWORD_RESET_ACCOUNT_LIMIT="1 per hour")
    JobseekerFactory(email="kendt@example.com")
    pages = []
    for email in ("kendt@example.com", "ukendt@example.com"):
        client = app.test_client()
        assert ask(client, email).status_code == 302
        over = ask(client, email)
        assert over.status_code == 429
        pages.append(without_tokens(over.get_data(as_text=True)).replace(email, "EMAIL"))
    assert pages[0] == pages[1]


def test_the_login_lockout_points_to_the_reset(limited) -> None:
    app = limited()
    user = JobseekerFactory()
    for i in range(5):
        app.test_client().post(
            "/auth/login",
            data={"email": user.email, "password": "wrong password"},
            environ_base={"REMOTE_ADDR": f"10.3.0.{i + 1}"},
        )
    locked = app.test_client().post(
        "/auth/login",
        data={"email": user.email, "password": "wrong password"},
        environ_base={"REMOTE_ADDR": "10.3.0.9"},
    )
    assert locked.status_code == 429
    error = re.search(r'<p class="error"[^>]*role="alert">(.*?)</p>', locked.get_data(as_text=True))
    assert error and 'href="/auth/reset"' in error.group(1)


def test_the_address_limit_on_login_points_to_the_reset(limited) -> None:
    app = limited(LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for i in range(2):
        client.post("/auth/login", data={"email": f"u{i}@example.com", "password": "x" * 9})
    over = client.post("/auth/login", data={"email": "u9@example.com", "password": "x" * 9})
    assert over.status_code == 429
    page = over.get_data(as_text=True)
    error = re.search(r'<p class="error"[^>]*role="alert">(.*?)</p>', page)
    assert error and 'href="/auth/reset"' in error.group(1)
    assert 'value="u9@example.com"' in page  # the email is kept


def test_a_reset_lifts_the_login_delay(limited) -> None:
    app = limited()
    user = JobseekerFactory()
    for i in range(6):
        app.test_client().post(
            "/auth/login",
            data={"email": user.email, "password": "wrong password"},
            environ_base={"REMOTE_ADDR": f"10.4.0.{i + 1}"},
        )
    client = app.test_client()
    assert ask(client, user.email).status_code == 302
    path = LINK.search(mails_to(user.email)[-1].body).group(1)
    assert set_password(client, path).status_code == 302
    login = app.test_client().post(
        "/auth/login", data={"email": user.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


# --- language ------------------------------------------------------------------------------------


def test_the_email_is_in_the_recipients_language(client) -> None:
    english = JobseekerFactory(email="en@example.com", locale="en", name="Emma")
    danish = JobseekerFactory(email="da@example.com", locale="da", name="Dorte")
    client.post("/language", data={"lang": "en"})  # the asker's language does not matter
    ask(client, english.email)
    ask(client, danish.email)
    (en_mail,) = mails_to(english.email)
    (da_mail,) = mails_to(danish.email)
    assert en_mail.body.startswith("Hello Emma,")
    assert en_mail.subject == "Taskbørs: Choose a new password"
    assert "valid for 60 minutes and works once" in en_mail.body
    assert da_mail.body.startswith("Hej Dorte")
    assert da_mail.subject == "Taskbørs: Vælg en ny adgangskode"
    assert "gyldigt i 60 minutter og virker én gang" in da_mail.body
    assert LINK.search(en_mail.body) and LINK.search(da_mail.body)


def test_danish_wording(app, client, monkeypatch) -> None:
    user = JobseekerFactory()
    assert "Glemt adgangskode?" in client.get("/auth/login").get_data(as_text=True)
    assert "Nulstil adgangskode" in client.get("/auth/reset").get_data(as_text=True)
    sent = ask(client, user.email, follow_redirects=True).get_data(as_text=True)
    assert "er et link til at vælge en ny adgangskode på vej" in sent
    path = LINK.search(mails_to(user.email)[-1].body).group(1)
    assert "Vælg en ny adgangskode" in client.get(path).get_data(as_text=True)
    done = set_password(client, path, follow_redirects=True).get_data(as_text=True)
    assert "Din nye adgangskode er gemt" in done
    used = client.get(path).get_data(as_text=True)
    assert "Linket kan ikke bruges" in used and "Linket er allerede brugt" in used
    assert "Linket er ikke gyldigt" in client.get("/auth/reset/x").get_data(as_text=True)
    start = utcnow()
    newer = link_for(client, user)
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=2))
    assert "Linket er udløbet" in client.get(newer).get_data(as_text=True)


def test_english_wording(app, client, monkeypatch) -> None:
    user = JobseekerFactory()
    client.post("/language", data={"lang": "en"})
    assert "Forgot your password?" in client.get("/auth/login").get_data(as_text=True)
    assert "Reset password" in client.get("/auth/reset").get_data(as_text=True)
    sent = ask(client, user.email, follow_redirects=True).get_data(as_text=True)
    assert "a link to choose a new password is on its way" in sent
    path = LINK.search(mails_to(user.email)[-1].body).group(1)
    assert "Choose a new password" in client.get(path).get_data(as_text=True)
    refused = client.post(path, data={"password": "kort", "confirm": "kort"})
    assert "The password must be 8 to 128 characters." in refused.get_data(as_text=True)
    done = set_password(client, path, follow_redirects=True).get_data(as_text=True)
    assert "Your new password is saved" in done
    assert "has already been used" in client.get(path).get_data(as_text=True)
    assert "The link is not valid" in client.get("/auth/reset/x").get_data(as_text=True)
    start = utcnow()
    newer = link_for(client, user)
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=2))
    assert "The link has expired" in client.get(newer).get_data(as_text=True)
    api = client.post("/api/v1/password-reset", json={"email": "nobody@example.com"})
    assert api.status_code == 202
