"""Verification means something: companies verified by the job centre, CVs that say which
references are confirmed, no completion before the hours could pass, one person on both sides.

Texts are checked in English (the msgids), so the tests hold before and after translation.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import Application, ApplicationStatus, Reference, Role
from taskboerse.services import applications, companies, signups
from taskboerse.services.cv import cv_lines
from taskboerse.services.errors import Forbidden, NotFound
from taskboerse.web.matching import matching_index
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    CompanyFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    TaskFactory,
    UserFactory,
)
from tests.helpers import backdate_acceptance

CONFIRMED = "Confirmed by a company that the job centre has verified."
UNCONFIRMED = (
    "The company is not verified by the job centre, so this reference has not been confirmed."
)
FOOTER = "Skills and references marked as confirmed come from companies the job centre has"
OLD_CLAIM = "were confirmed by the companies through Taskbørs"


def fresh(company):
    """The company as the database has it now (requests run in their own sessions)."""
    db.session.expire_all()
    return db.session.get(type(company), company.id)


def flat(text: str) -> str:
    """Whitespace folded, so wrapped PDF lines compare as sentences."""
    return " ".join(text.split())


# --- verifying companies ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.JOBSEEKER, Role.ENTREPRENEUR])
def test_only_admins_and_caseworkers_verify(app, role) -> None:
    company = CompanyFactory()
    actor = UserFactory(role=role)
    for change in (companies.verify_company, companies.unverify_company):
        with pytest.raises(Forbidden):
            change(actor, company.id)
    with pytest.raises(Forbidden):
        companies.list_companies(actor)
    db.session.refresh(company)
    assert company.verified_at is None and company.verified_by_id is None


def test_a_disabled_admin_cannot_verify(app) -> None:
    company = CompanyFactory()
    admin = UserFactory(role=Role.ADMIN, is_disabled=True)
    with pytest.raises(Forbidden):
        companies.verify_company(admin, company.id)
    assert not fresh(company).is_verified


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CASEWORKER])
def test_admin_or_caseworker_verifies_and_it_is_logged(app, caplog, role) -> None:
    company = CompanyFactory()
    actor = UserFactory(role=role)
    with caplog.at_level(logging.INFO, logger="taskboerse.security"):
        companies.verify_company(actor, company.id)
    db.session.refresh(company)
    assert company.is_verified and company.verified_by_id == actor.id
    assert "event=company_verified" in caplog.text
    assert f"actor={actor.id} company={company.id}" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="taskboerse.security"):
        companies.unverify_company(actor, company.id)
    db.session.refresh(company)
    assert not company.is_verified and company.verified_by_id is None
    assert "event=company_unverified" in caplog.text


def test_verifying_an_unknown_company_is_not_found(app) -> None:
    with pytest.raises(NotFound):
        companies.verify_company(UserFactory(role=Role.ADMIN), 999_999)


def test_a_new_name_or_cvr_needs_new_verification(app) -> None:
    company = CompanyFactory()
    admin = UserFactory(role=Role.ADMIN)
    companies.verify_company(admin, company.id)
    # Saving the same details keeps the verification.
    companies.save_company(company.owner, company.name, company.cvr)
    assert fresh(company).is_verified
    companies.save_company(company.owner, "Et helt andet firma ApS", company.cvr)
    assert not fresh(company).is_verified

    companies.verify_company(admin, company.id)
    other_cvr = CompanyFactory.build().cvr
    companies.save_company(company.owner, "Et helt andet firma ApS", other_cvr)
    assert not fresh(company).is_verified


def test_company_list_page_verifies_and_unverifies(app, login_as) -> None:
    task = TaskFactory()
    TaskFactory(company=task.company)
    company = task.company
    unchecked = CompanyFactory(name="Ukendt Firma ApS")
    admin = UserFactory(role=Role.ADMIN, locale="en", name="Anne Admin")
    client = login_as(admin)

    page = client.get("/admin/companies").get_data(as_text=True)
    assert 'href="/admin/companies"' in page  # in the admin's navigation
    for text in (company.name, company.cvr, company.owner.name, company.owner.email):
        assert text in page
    assert ">2</td>" in page and ">0</td>" in page  # tasks per company
    assert page.count("Not verified") == 2
    assert f"/admin/companies/{company.id}/verify" in page

    response = client.post(f"/admin/companies/{company.id}/verify")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{company.name} is verified." in page
    assert "by Anne Admin" in page
    assert f"/admin/companies/{company.id}/unverify" in page
    assert f"/admin/companies/{unchecked.id}/verify" in page
    assert fresh(company).verified_by_id == admin.id

    client.post(f"/admin/companies/{company.id}/unverify")
    assert not fresh(company).is_verified


def test_caseworkers_verify_from_the_same_list(app, login_as) -> None:
    company = CompanyFactory()
    client = login_as(CaseworkerFactory(locale="en"))
    page = client.get("/caseworker/").get_data(as_text=True)
    assert 'href="/admin/companies"' in page
    assert client.post(f"/admin/companies/{company.id}/verify").status_code == 302
    assert fresh(company).is_verified


def test_the_verify_button_needs_its_csrf_token(app, login_as) -> None:
    company = CompanyFactory()
    client = login_as(UserFactory(role=Role.ADMIN))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client.post(f"/admin/companies/{company.id}/verify")
        assert not fresh(company).is_verified
        page = client.get("/admin/companies").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        client.post(f"/admin/companies/{company.id}/verify", data={"csrf_token": token})
        assert fresh(company).is_verified
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- the CV -------------------------------------------------------------------------------------


@pytest.fixture
def two_references(app):
    """A graduate (English) with one reference from a verified company and one from an
    unverified company."""
    graduate = JobseekerFactory(locale="en")
    verified = TaskFactory(title="Budget for verified firm")
    unverified = TaskFactory(title="Analysis for unchecked firm")
    companies.verify_company(UserFactory(role=Role.ADMIN), verified.company_id)
    for task in (verified, unverified):
        application = ApplicationFactory(
            task=task, jobseeker=graduate, status=ApplicationStatus.ACCEPTED
        )
        backdate_acceptance(application)
        applications.complete_application(
            task.company.owner,
            application.id,
            applications.ReferenceInfo(
                rating=5, text=f"Reference from {task.title}", skill_ids=(task.skills[0].id,)
            ),
        )
    return graduate, verified, unverified


def test_cv_lines_say_which_references_are_confirmed(app, two_references) -> None:
    graduate, verified, unverified = two_references
    with force_locale("en"):
        lines = cv_lines(graduate, "en")
    texts = [line.text for line in lines]
    status_of = {}
    for i, line in enumerate(lines):
        if line.kind == "title":
            status = next(x for x in lines[i + 1 :] if x.kind in ("confirmed", "unconfirmed"))
            status_of[line.text.split(" - ")[0]] = (status.kind, status.text)
    assert status_of[verified.title] == ("confirmed", CONFIRMED)
    assert status_of[unverified.title] == ("unconfirmed", UNCONFIRMED)
    assert "Verified task experience" not in texts and "Task experience" in texts
    footer = lines[-1]
    assert footer.kind == "footer" and footer.text.startswith(FOOTER)
    assert not any(OLD_CLAIM in t for t in texts)

    # Removing the verification takes the confirmation away.
    companies.unverify_company(UserFactory(role=Role.ADMIN), verified.company_id)
    with force_locale("en"):
        kinds = [line.kind for line in cv_lines(graduate, "en")]
    assert "confirmed" not in kinds and kinds.count("unconfirmed") == 2


def test_cv_pdf_and_dashboard_say_it_plainly(app, two_references, login_as) -> None:
    from pypdf import PdfReader

    graduate, verified, unverified = two_references
    client = login_as(graduate)
    response = client.get("/jobseeker/cv.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert CONFIRMED in text and UNCONFIRMED in text and FOOTER in text
    assert OLD_CLAIM not in text
    # Each status follows its own task.
    assert text.index(CONFIRMED) > text.index(verified.title)
    assert text.index(UNCONFIRMED) > text.index(unverified.title)

    page = flat(client.get("/jobseeker/").get_data(as_text=True))
    articles = page.split('<article class="card">')[1:]
    verified_card = next(a for a in articles if verified.title in a)
    unverified_card = next(a for a in articles if unverified.title in a)
    assert CONFIRMED in verified_card and UNCONFIRMED not in verified_card
    assert UNCONFIRMED in unverified_card and CONFIRMED not in unverified_card


def test_entrepreneur_sees_which_references_are_confirmed(app, two_references, login_as) -> None:
    graduate, verified, _unverified = two_references
    task = TaskFactory()
    application = ApplicationFactory(task=task, jobseeker=graduate)
    owner = task.company.owner
    owner.locale = "en"
    db.session.commit()
    page = flat(
        login_as(owner).get(f"/entrepreneur/applications/{application.id}").get_data(as_text=True)
    )
    assert CONFIRMED in page and UNCONFIRMED in page


# --- completion timing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "days"),
    [(10, 1.0), (20, 1.0), (40, 40 / 37 * 7 / 4), (160, 160 / 37 * 7 / 4)],
)
def test_completion_wait_is_a_quarter_of_full_time_and_at_least_a_day(app, hours, days) -> None:
    assert applications.completion_wait(hours) == pytest.approx(
        timedelta(days=days), abs=timedelta(seconds=1)
    )


def test_completion_wait_follows_the_config(app) -> None:
    app.config["COMPLETION_MIN_SHARE"] = 0.5
    try:
        assert applications.completion_wait(160) == pytest.approx(
            timedelta(days=160 / 37 * 7 / 2), abs=timedelta(seconds=1)
        )
    finally:
        del app.config["COMPLETION_MIN_SHARE"]


def _accepted(hours: int) -> Application:
    task = TaskFactory(hours=hours)
    application = ApplicationFactory(task=task)
    applications.accept_application(task.company.owner, application.id)
    return application


def _complete(application: Application) -> Application:
    task = application.task
    return applications.complete_application(
        task.company.owner,
        application.id,
        applications.ReferenceInfo(rating=5, text="Godt arbejde", skill_ids=()),
    )


def _shift_acceptance(application: Application, by: timedelta) -> None:
    db.session.refresh(application)
    application.accepted_at = application.decided_at = application.accepted_at - by
    db.session.commit()


def test_a_160_hour_task_cannot_be_completed_within_a_minute(app) -> None:
    application = _accepted(160)
    with pytest.raises(applications.CompletionTooEarly) as refused:
        _complete(application)
    db.session.refresh(application)
    wait = applications.completion_wait(160)
    assert refused.value.earliest == application.accepted_at + wait
    assert refused.value.status_code == 409
    assert application.status == ApplicationStatus.ACCEPTED
    assert db.session.execute(select(Reference)).first() is None

    # A day short of the wait: still refused; once it has passed: allowed.
    _shift_acceptance(application, wait - timedelta(days=1))
    with pytest.raises(applications.CompletionTooEarly):
        _complete(application)
    _shift_acceptance(application, timedelta(days=1, minutes=1))
    assert _complete(application).status == ApplicationStatus.COMPLETED


def test_an_accepted_row_without_acceptance_time_is_not_a_loophole(app) -> None:
    application = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    assert application.accepted_at is None and application.decided_at is None
    with pytest.raises(applications.CompletionTooEarly):
        _complete(application)


def test_the_web_form_says_when_completion_becomes_possible(app, login_as) -> None:
    application = _accepted(160)
    owner = application.task.company.owner
    owner.locale = "en"
    db.session.commit()
    client = login_as(owner)
    response = client.post(
        f"/entrepreneur/applications/{application.id}/complete",
        data={"rating": "5", "reference": "Flot arbejde med analysen"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Flot arbejde med analysen" in page  # what was typed is kept
    assert "It is too early to mark the work completed." in page
    assert "can be marked completed from" in client.get(
        f"/entrepreneur/applications/{application.id}/complete"
    ).get_data(as_text=True)
    assert "A task of 160 hours can be marked completed from" in page
    assert "at least 25% of the time it takes at 37 hours a week" in page
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == ApplicationStatus.ACCEPTED

    backdate_acceptance(application)
    client.post(
        f"/entrepreneur/applications/{application.id}/complete",
        data={"rating": "5", "reference": "Flot"},
    )
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == ApplicationStatus.COMPLETED


def test_the_api_refuses_too_early_completion(app, client) -> None:
    from tests.functional.test_api import token_for

    application = _accepted(40)
    response = client.post(
        f"/api/v1/applications/{application.id}/complete",
        json={"rating": 5, "reference": "Flot", "skills_used": []},
        headers=token_for(app.test_client(), application.task.company.owner),
    )
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "too_early"
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == ApplicationStatus.ACCEPTED


# --- one person on both sides -------------------------------------------------------------------


def test_signup_source_holds_keyed_hashes_never_the_address(app) -> None:
    user = JobseekerFactory()
    signups.record_signup(user, "203.0.113.7", "browser-marker")
    db.session.refresh(user)
    source = user.signup_source
    address, marker = source.split(".")
    assert len(address) == len(marker) == 16
    assert "203" not in source and "marker" not in source
    assert address == signups.signup_source("203.0.113.7", None).split(".")[0]
    app.config["SECRET_KEY"] = "another-key"
    try:
        assert signups.signup_source("203.0.113.7", "browser-marker") != source
    finally:
        app.config["SECRET_KEY"] = "test-secret"


def test_ipv6_addresses_compare_by_their_64_prefix(app) -> None:
    one = signups.signup_source("2001:db8:1:2::1", None)
    same_network = signups.signup_source("2001:db8:1:2:abcd::9", None)
    other_network = signups.signup_source("2001:db8:1:3::1", None)
    assert one == same_network != other_network
    assert signups.signup_source("::ffff:203.0.113.7", None) == signups.signup_source(
        "203.0.113.7", None
    )
    assert signups.signup_source("", None) == "."


def test_shared_signups_pair_a_graduate_with_an_entrepreneur(app) -> None:
    admin = UserFactory(role=Role.ADMIN)
    by_address = (JobseekerFactory(name="Gita Adresse"), EntrepreneurFactory(name="Erik Adresse"))
    by_browser = (JobseekerFactory(name="Gustav Browser"), EntrepreneurFactory(name="Ebba Browser"))
    apart = (JobseekerFactory(name="Gerda Fri"), EntrepreneurFactory(name="Emil Fri"))
    two_graduates = (JobseekerFactory(name="Grete To"), JobseekerFactory(name="Gorm To"))
    signups.record_signup(by_address[0], "198.51.100.1", "m1")
    signups.record_signup(by_address[1], "198.51.100.1", "m2")
    signups.record_signup(by_browser[0], "198.51.100.2", "shared-marker")
    signups.record_signup(by_browser[1], "198.51.100.3", "shared-marker")
    signups.record_signup(apart[0], "198.51.100.4", "m3")
    signups.record_signup(apart[1], "198.51.100.5", "m4")
    signups.record_signup(two_graduates[0], "198.51.100.6", "m5")
    signups.record_signup(two_graduates[1], "198.51.100.6", "m5")
    mailbox = (
        JobseekerFactory(name="Gry Post", email="gry@example.org"),
        EntrepreneurFactory(name="Gry Firma", email="gry+firma@example.org"),
    )
    # The browser pair also worked together: the graduate applied to the company's task.
    company = CompanyFactory(owner=by_browser[1])
    ApplicationFactory(task=TaskFactory(company=company), jobseeker=by_browser[0])

    pairs = signups.shared_signups(admin)
    found = {(p.graduate_id, p.entrepreneur_id): p for p in pairs}
    assert set(found) == {
        (by_address[0].id, by_address[1].id),
        (by_browser[0].id, by_browser[1].id),
        (mailbox[0].id, mailbox[1].id),
    }
    address_pair = found[(by_address[0].id, by_address[1].id)]
    assert address_pair.same_address and not address_pair.same_session
    browser_pair = found[(by_browser[0].id, by_browser[1].id)]
    assert browser_pair.same_session and not browser_pair.same_address
    assert browser_pair.applied_to_their_task and not address_pair.applied_to_their_task
    assert found[(mailbox[0].id, mailbox[1].id)].same_mailbox
    assert pairs[0] == browser_pair  # the pair that worked together comes first

    with pytest.raises(Forbidden):
        signups.shared_signups(CaseworkerFactory())


def test_admin_users_page_warns_about_shared_signups(app, login_as) -> None:
    admin = UserFactory(role=Role.ADMIN, locale="en")
    client = login_as(admin)
    assert "Possibly one person on both sides" not in client.get("/admin/users").get_data(
        as_text=True
    )
    graduate = JobseekerFactory(name="Gustav Dobbelt")
    entrepreneur = EntrepreneurFactory(name="Gustav Firma")
    signups.record_signup(graduate, "192.0.2.10", "marker-1")
    signups.record_signup(entrepreneur, "192.0.2.99", "marker-1")
    page = client.get("/admin/users").get_data(as_text=True)
    warning = page.split('id="same-person"', 1)[1].split("</section>", 1)[0]
    assert "Possibly one person on both sides" in warning
    assert "Gustav Dobbelt" in warning and "Gustav Firma" in warning
    assert "same browser" in warning and "same network address" not in warning
    # The next step: each account in the list, and the company once there is one.
    assert f'href="#user-{graduate.id}"' in warning and f'id="user-{graduate.id}"' in page
    assert "No company registered yet." in warning
    company = CompanyFactory(owner=entrepreneur, name="Dobbelt ApS")
    warning = client.get("/admin/users").get_data(as_text=True).split('id="same-person"', 1)[1]
    assert f'/admin/companies#company-{company.id}"' in warning and "Review Dobbelt ApS" in warning
    assert "not verified: its references are not confirmed" in warning
    companies_page = client.get("/admin/companies").get_data(as_text=True)
    assert f'id="company-{company.id}"' in companies_page


def test_one_browser_signing_up_both_sides_is_shown_to_the_admin(app, login_as) -> None:
    """Through the real sign-up form: the browser's marker survives logout and login."""
    browser = app.test_client()
    for role, name, email in (
        ("jobseeker", "Dobbelt Gradueret", "dobbelt.grad@example.com"),
        ("entrepreneur", "Dobbelt Firmaejer", "dobbelt.firma@example.org"),
    ):
        response = browser.post(
            "/auth/signup",
            data={
                "role": role,
                "name": name,
                "email": email,
                "password": "a long enough passphrase",
                "confirm": "a long enough passphrase",
            },
            environ_base={"REMOTE_ADDR": f"198.51.100.{len(role)}"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        browser.post("/auth/logout")
    api = app.test_client().post(
        "/api/v1/users",
        json={
            "email": "api.person@example.net",
            "name": "Api Person",
            "password": "a long enough passphrase",
            "role": "jobseeker",
        },
    )
    assert api.status_code == 201
    admin = UserFactory(role=Role.ADMIN, locale="en")
    page = login_as(admin).get("/admin/users").get_data(as_text=True)
    warning = page.split('id="same-person"', 1)[1].split("</section>", 1)[0]
    assert "Dobbelt Gradueret" in warning and "Dobbelt Firmaejer" in warning
    assert "same browser" in warning


def test_demo_companies_are_mostly_verified_and_one_is_not(runner) -> None:
    from taskboerse.models import Company, Task

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    all_companies = list(db.session.execute(select(Company)).scalars())
    unverified = [c for c in all_companies if not c.is_verified]
    assert len(unverified) == 1 and len(all_companies) >= 10
    # Its references show the difference on some demo CVs.
    completed_there = db.session.execute(
        select(Application.id)
        .join(Task, Task.id == Application.task_id)
        .where(
            Task.company_id == unverified[0].id,
            Application.status == ApplicationStatus.COMPLETED,
        )
    ).first()
    assert completed_there is not None


def test_skills_count_as_endorsed_only_from_verified_companies(app) -> None:
    """Ranking, match reasons, the API profile and the caseworker's page: an unverified
    company's reference confirms nothing until the job centre verifies the company."""
    from taskboerse.services import caseload, recommendations
    from tests.functional.test_api import token_for

    done = _accepted(20)
    backdate_acceptance(done)
    graduate = done.jobseeker
    applications.complete_application(
        done.task.company.owner,
        done.id,
        applications.ReferenceInfo(
            rating=5, text="Godt arbejde", skill_ids=(done.task.skills[0].id,)
        ),
    )
    company = done.task.company
    assert company.verified_at is None
    other = TaskFactory(skills=["Excel"], remote=True)
    admin = UserFactory(role=Role.ADMIN)

    def endorsed_in_reasons() -> bool:
        matching_index().sync(force=True)
        found = recommendations.recommend_candidates(
            matching_index(), other.company.owner, other.id
        )
        mine = [c for c in found.items if c.user.id == graduate.id]
        assert mine, "the graduate fits the Excel task either way"
        return any(m.endorsed for m in mine[0].match.explanation.matched)

    def endorsed_in_api() -> list[str]:
        headers = token_for(app.test_client(), graduate)
        return (
            app.test_client()
            .get("/api/v1/me", headers=headers)
            .get_json()["profile"]["endorsed_skills"]
        )

    assert not endorsed_in_reasons()
    assert endorsed_in_api() == []
    assert [e.reference_confirmed for e in caseload._timeline(graduate.id)] == [False]

    companies.verify_company(admin, company.id)
    assert endorsed_in_reasons()
    assert endorsed_in_api() == ["Excel"]
    assert [e.reference_confirmed for e in caseload._timeline(graduate.id)] == [True]

    companies.unverify_company(admin, company.id)
    assert not endorsed_in_reasons()
