"""The mentor programme in a real browser: an entrepreneur seeking a mentor, and a new mentor
from sign-up through approval to their first answers — with axe-core and the language switch
on every page, at 1280 px and on a 375 px phone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.support import (
    DEMO_PASSWORD,
    check_page,
    labelled_cells,
    login,
    no_sideways_scroll,
    open_menu,
    text_of,
    unique_email,
)


def _visit(page, name: str, axe_source: str, phone: bool, live_server) -> None:
    check_page(page, name + (" (phone)" if phone else ""), axe_source, live_server)
    if phone:
        no_sideways_scroll(page)
        labelled_cells(page)


def _submit(page, form: str = "main form") -> None:
    page.locator(f"{form} button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone-375px"])
def test_entrepreneur_seeking_a_mentor(new_page, live_server, axe_source, phone) -> None:
    def visit(page, name):
        _visit(page, name, axe_source, phone, live_server)

    page = new_page(phone=phone)
    login(page, "virksomhed7@demo.example.com", DEMO_PASSWORD)
    open_menu(page)
    page.locator("header a[href='/mentor-needs/']").click()
    page.wait_for_load_state()
    visit(page, "mentor needs (entrepreneur)")

    # A new need: export, in the entrepreneur's own words; online is fine.
    page.goto("/mentor-needs/new")
    visit(page, "new mentor need")
    page.select_option("#topic", "export")
    page.select_option("#stage", "growth")
    page.locator("#description").fill(
        "Vi vil sælge vores møbler i Tyskland. Hvordan finder vi forhandlere, og hvad skal "
        "vi vide om told og moms?"
    )
    page.select_option("#frequency", "monthly")
    _submit(page, "main form.form")
    assert re.search(r"/mentor-needs/\d+$", page.url), page.url
    need_id = int(page.url.rsplit("/", 1)[1])
    cards = page.locator("article.mentor-card")
    assert cards.count() >= 1, text_of(page)
    assert "Erfaring med: Eksport og internationalisering." in cards.first.inner_text()
    visit(page, "need with ranked mentors")

    # Ask the best mentor, with a message.
    first = cards.first
    first.locator("summary").click()
    first.locator("textarea").fill("Hej! Vi er et lille møbelfirma og vil i gang med eksport.")
    first.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Din anmodning er sendt" in text_of(page)
    visit(page, "need with a pending request")

    ((mentor_email,),) = live_server.query(
        "SELECT u.email FROM mentor_requests r JOIN users u ON u.id = r.mentor_id "
        "WHERE r.need_id = ? AND r.status = 'pending'",
        need_id,
    )
    mentor = new_page(phone=phone)
    login(mentor, mentor_email, DEMO_PASSWORD)
    mentor.goto("/mentor-needs/requests")
    assert "Vi vil sælge vores møbler i Tyskland" in text_of(mentor)
    visit(mentor, "requests to answer (mentor)")
    ((request_id,),) = live_server.query(
        "SELECT id FROM mentor_requests WHERE need_id = ? AND status = 'pending'", need_id
    )
    mentor.locator(f"form[action$='/requests/{request_id}/accept'] button").click()
    mentor.wait_for_load_state()
    assert re.search(r"/mentorships/\d+$", mentor.url), mentor.url
    visit(mentor, "mentorship (mentor)")

    # The entrepreneur finds the mentorship from the need.
    page.goto(f"/mentor-needs/{need_id}")
    assert "Har en mentor" in text_of(page)
    page.goto("/mentorships/")
    visit(page, "mentorships (entrepreneur)")

    # Spørg en mentor: a quick public question.
    page.goto("/questions/")
    visit(page, "ask a mentor (entrepreneur)")
    page.goto("/questions/new")
    page.locator("#title").fill("Skal vi have en agent i Tyskland?")
    page.locator("#body").fill("Er det bedre med en agent eller en forhandler, når man starter?")
    page.locator("input[name=visibility][value=public]").check()
    _submit(page, "main form.question-form")
    assert re.search(r"/questions/\d+$", page.url), page.url
    visit(page, "my question (entrepreneur)")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone-375px"])
def test_a_new_mentor_from_sign_up_to_answers(new_page, live_server, axe_source, phone) -> None:
    def visit(page, name):
        _visit(page, name, axe_source, phone, live_server)

    page = new_page(phone=phone)
    page.goto("/")
    page.locator("a[href='/auth/signup?role=mentor']").click()
    page.wait_for_load_state()
    assert page.locator("input[name=role][value=mentor]").is_checked()
    email = unique_email("mentor")
    page.locator("#name").fill("Karen Mentorsen")
    page.locator("#email").fill(email)
    page.locator("#password").fill("en lang og god sætning")
    page.locator("#confirm").fill("en lang og god sætning")
    _submit(page)
    assert page.url.endswith("/mentors/profile"), page.url
    visit(page, "mentor profile form")

    page.locator("#headline").fill("Tidligere eksportchef i en møbelvirksomhed")
    page.locator("#bio").fill(
        "Jeg har solgt danske møbler i Tyskland og Norden i 20 år og hjælper gerne unge "
        "virksomheder i gang med eksport."
    )
    page.locator("#expertise").fill("Eksport og internationalisering, Salg")
    page.locator("input[name=sectors][value=trade]").check()
    page.locator("#languages").fill("Dansk, Tysk, Engelsk")
    page.locator("#hours_per_month").fill("6")
    page.locator("#capacity").fill("2")
    page.locator("#postcode").fill("7100")
    page.locator("#max_distance_km").fill("60")
    page.locator("#online").check()
    _submit(page, "main form.form")
    page.goto("/mentors/home")
    assert "Venter på godkendelse" in text_of(page)
    visit(page, "mentor start page (waiting for approval)")

    # The business service approves the new mentor.
    staff = new_page(phone=phone)
    login(staff, "erhverv1@demo.example.com", DEMO_PASSWORD)
    assert staff.url.endswith("/programme/")
    visit(staff, "mentor programme (business service)")
    staff.goto("/mentors/approvals")
    visit(staff, "mentors to approve (business service)")
    staff.get_by_role("button", name="Godkend Karen Mentorsen").click()
    staff.wait_for_load_state()
    assert "Godkend Karen Mentorsen" not in text_of(staff)

    page.goto("/mentors/home")
    assert "Iværksættere kan finde dig" in text_of(page)
    visit(page, "mentor start page (approved)")
    page.goto("/mentor-needs/for-me")
    visit(page, "needs that fit the mentor")

    # Answer a question from the pool.
    page.goto("/questions/")
    visit(page, "ask a mentor (mentor)")
    page.locator("main article a[href^='/questions/']").first.click()
    page.wait_for_load_state()
    visit(page, "a question (mentor)")
    page.locator("form[action$='/answers'] textarea").fill(
        "Start med en forhandler i én region, og mål salget i et halvt år."
    )
    page.locator("form[action$='/answers'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Start med en forhandler i én region" in text_of(page)
