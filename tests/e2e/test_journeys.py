"""Every actor's main path in a real browser, with axe-core and the language switch on every
page the journey visits."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.e2e.axe_report import REPORT
from tests.e2e.support import (
    DEMO_PASSWORD,
    audit,
    check_page,
    english_only,
    labelled_cells,
    log_out,
    login,
    no_sideways_scroll,
    open_menu,
    tab_to,
    text_of,
    unique_email,
)

LIVE = {}


@pytest.fixture(autouse=True)
def _live(live_server):
    """Every visit checks the English page against the live server's skill vocabulary."""
    LIVE["server"] = live_server
    yield
    LIVE.clear()


def _visit(page, name, axe_source, phone):
    check_page(page, name + (" (phone)" if phone else ""), axe_source, LIVE.get("server"))
    if phone:
        no_sideways_scroll(page)
        labelled_cells(page)


def _png(width: int, height: int) -> bytes:
    """A plain PNG to upload as a logo."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (8, 71, 133)).save(buffer, "PNG")
    return buffer.getvalue()


def sign_up(page, role: str, name: str, email: str) -> None:
    page.goto("/auth/signup")
    page.locator(f"input[name=role][value={role}]").check()
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#password").fill("en lang og god sætning")
    page.locator("#confirm").fill("en lang og god sætning")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def accept_as_owner(new_page, live_server, application_id: int, axe_source: str):
    """The task's owner (a demo entrepreneur) reads the graduate's message, answers it and
    accepts the application in their own browser; returns the owner's page and email."""
    ((owner_email,),) = live_server.query(
        "SELECT u.email FROM applications a JOIN tasks t ON t.id = a.task_id "
        "JOIN companies c ON c.id = t.company_id JOIN users u ON u.id = c.owner_id "
        "WHERE a.id = ?",
        application_id,
    )
    owner = new_page()
    login(owner, owner_email, DEMO_PASSWORD)
    owner.goto(f"/entrepreneur/applications/{application_id}")
    _visit(owner, "applicant page (entrepreneur)", axe_source, False)
    assert "Næste skridt" not in text_of(owner)  # no contact details before acceptance
    owner.locator("main a.button", has_text="Beskeder").click()
    owner.wait_for_load_state()
    assert "Hvornår kan jeg starte?" in text_of(owner)
    _visit(owner, "conversation (entrepreneur)", axe_source, False)
    owner.locator("#body").fill("Velkommen! Mandag kl. 9 passer fint.")
    owner.locator("main form.message-form button[type=submit]").click()
    owner.wait_for_load_state()
    owner.goto(f"/entrepreneur/applications/{application_id}")
    praktik = owner.locator(f"a[href$='/applications/{application_id}/accept-praktik']")
    if praktik.count():
        # A virksomhedspraktik: the owner writes its purpose and start, for the job centre.
        praktik.first.click()
        owner.wait_for_load_state()
        _visit(owner, "accept a praktik (entrepreneur)", axe_source, False)
        owner.locator("main form button[type=submit]").first.click()
    else:
        owner.locator(f"form[action$='/applications/{application_id}/accept'] button").click()
    owner.wait_for_load_state()
    assert "accepteret" in text_of(owner).lower() or "optaget" in text_of(owner).lower()
    owner.goto(f"/entrepreneur/applications/{application_id}")
    assert "Næste skridt" in text_of(owner)
    return owner, owner_email


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone-375px"])
def test_graduate_journey(new_page, live_server, axe_source, phone) -> None:
    page = new_page(phone=phone)
    page.goto("/")
    _visit(page, "front page (logged out)", axe_source, phone)
    page.goto("/tasks")
    _visit(page, "task list (logged out)", axe_source, phone)
    page.locator("main article h2 a, main article h3 a").first.click()
    page.wait_for_load_state()
    _visit(page, "task detail (logged out)", axe_source, phone)
    page.goto("/auth/signup")
    _visit(page, "sign-up", axe_source, phone)
    email = unique_email("dimittend")
    sign_up(page, "jobseeker", "Sofie Testesen", email)
    assert page.url.endswith("/jobseeker/profile")
    _visit(page, "profile form", axe_source, phone)

    page.locator("#degree_level").select_option("master")
    page.locator("#field").fill("Cand.merc. i marketing")
    page.locator("#institution").fill("Aarhus Universitet")
    page.locator("#skills").fill("Excel, markedsanalyse, kommunikation")
    page.locator("#languages").fill("Dansk, Engelsk")
    page.locator("#hours_per_week").fill("20")
    page.locator("#postcode").fill("8000")
    page.locator("#about").fill("Jeg kan lide tal og mennesker og vil gerne løse konkrete opgaver.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/jobseeker/")
    _visit(page, "graduate dashboard", axe_source, phone)

    recommendations = page.locator(".recommendation")
    assert recommendations.count() >= 1
    first = recommendations.first
    assert first.locator(".reason").inner_text().strip()
    first.locator("summary").click()  # "Hvorfor dette match?"
    assert first.locator(".reasons").inner_text().strip()
    first.locator("h3 a").click()
    page.wait_for_load_state()
    task_id = int(re.search(r"/tasks/(\d+)", page.url).group(1))
    _visit(page, "task detail (graduate)", axe_source, phone)

    page.locator("#motivation").fill("Jeg har lavet markedsanalyser på studiet og kan starte nu.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    ((application_id,),) = live_server.query(
        "SELECT a.id FROM applications a JOIN users u ON u.id = a.jobseeker_id "
        "WHERE u.email = ? AND a.task_id = ?",
        email,
        task_id,
    )
    page.goto("/jobseeker/")
    assert "afventer svar" in text_of(page)
    # Before an answer, the graduate writes to the company from the task's page.
    page.goto(f"/tasks/{task_id}")
    page.get_by_role("link", name="Skriv til virksomheden").click()
    page.wait_for_load_state()
    _visit(page, "conversation (graduate)", axe_source, phone)
    assert "Sagsbehandlere i jobcentret kan ikke" in text_of(page)
    page.locator("#body").fill("Hej! Hvornår kan jeg starte?")
    page.locator("main form.message-form button[type=submit]").click()
    page.wait_for_load_state()
    thread = page.url.split("#")[0]
    assert "Hvornår kan jeg starte?" in text_of(page) and "Næste skridt" not in text_of(page)

    owner, owner_email = accept_as_owner(new_page, live_server, application_id, axe_source)
    assert email in text_of(owner)  # the owner now sees the graduate's contact details
    page.goto("/jobseeker/")
    assert "accepteret" in text_of(page)
    page.goto("/placements/")
    _visit(page, "my placements (graduate)", axe_source, phone)
    page.goto("/messages")
    _visit(page, "messages", axe_source, phone)
    page.goto(thread)
    assert "Mandag kl. 9 passer fint." in text_of(page)
    assert "Næste skridt" in text_of(page) and owner_email in text_of(page)
    _visit(page, "next step and contact (graduate)", axe_source, phone)
    page.goto("/notifications")
    _visit(page, "notifications", axe_source, phone)

    page.goto("/jobseeker/")
    with page.expect_download() as download:
        page.locator("a[href='/jobseeker/cv.pdf']").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.goto("/jobseeker/privacy")
    _visit(page, "privacy and consent", axe_source, phone)
    page.locator("form[action='/jobseeker/consent'] button").click()
    page.wait_for_load_state()
    assert "Du deler din aktivitet med jobcentret" in text_of(page)

    if not phone:
        reset_password_from_email(page, live_server, email, axe_source)


def reset_password_from_email(page, live_server, email: str, axe_source: str) -> None:
    """Forget the password: ask for a link, open it from the email in the outbox, choose a
    new password, and log in with it."""
    log_out(page)
    page.goto("/auth/login")
    page.get_by_role("link", name="Glemt adgangskode?").click()
    page.wait_for_load_state()
    _visit(page, "password reset request", axe_source, False)
    page.get_by_label("E-mail").fill(email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "er et link til at vælge en ny adgangskode på vej" in text_of(page)
    ((body,),) = live_server.query(
        "SELECT body FROM outbox_messages WHERE to_email = ? AND body LIKE '%/auth/reset/%' "
        "ORDER BY id DESC LIMIT 1",
        email,
    )
    link = re.search(r"https?://\S+/auth/reset/\S+", body).group(0)
    page.goto(link)
    _visit(page, "choose a new password", axe_source, False)
    page.locator("#password").fill("en helt ny og lang sætning")
    page.locator("#confirm").fill("en helt ny og lang sætning")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/auth/login" in page.url
    login(page, email, "en helt ny og lang sætning")
    page.goto(link)
    assert "Linket kan ikke bruges" in text_of(page)  # single use


def test_entrepreneur_journey(new_page, live_server, axe_source) -> None:
    page = new_page()
    sign_up(page, "entrepreneur", "Ida Iværksætter", unique_email("iv"))
    assert page.url.endswith("/entrepreneur/company")
    _visit(page, "company form", axe_source, False)
    page.locator("#name").fill("Ida Test ApS")
    page.locator("#cvr").fill(_free_cvr(live_server))
    page.locator("#description").fill("Vi laver kaffe og kager i Aarhus C.")
    page.locator("#website").fill("ida-test.example")
    page.locator("#sector").select_option("hospitality")
    page.locator("#postcode").fill("8000")
    page.locator("#logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _png(600, 300)}
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    ((logo_size, website),) = live_server.query(
        "SELECT length(logo), website FROM companies WHERE name = 'Ida Test ApS'"
    )
    assert 0 < logo_size < 600 * 300 and website == "https://ida-test.example"
    _visit(page, "company form with a logo", axe_source, False)

    page.goto("/entrepreneur/tasks/new")
    _visit(page, "new task form", axe_source, False)
    page.locator("#title").fill("Markedsanalyse og budget for ny café")
    page.locator("#description").fill(
        "Vi åbner en café i Aarhus og skal have lavet en markedsanalyse af konkurrenterne "
        "og et budget i Excel for det første år."
    )
    chips = page.locator(".skill-suggestions .chips button")
    chips.first.wait_for()
    suggested = chips.first.inner_text().strip().lstrip("+ ")
    chips.first.click()
    assert suggested.lower() in page.locator("#required_skills").input_value().lower()
    page.locator("#hours").fill("25")
    page.locator("#deadline").fill((date.today() + timedelta(days=40)).isoformat())
    page.locator("#capacity").fill("2")
    page.locator("#remote").check()
    page.locator("input[name=form][value=paid]").check()
    page.locator("#hourly_wage").fill("160")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    task_id = int(re.search(r"/entrepreneur/tasks/(\d+)", page.url).group(1))
    page.locator(f"form[action$='/tasks/{task_id}/publish'] button").click()
    page.wait_for_load_state()
    _visit(page, "manage task (entrepreneur)", axe_source, False)

    candidates = page.locator(".candidate")
    assert candidates.count() >= 1
    # Invite the best-ranked demo graduate (graduates from other journeys have other passwords),
    # from their profile page, with a personal message.
    chosen = None
    for index in range(candidates.count()):
        candidate = candidates.nth(index)
        href = candidate.locator("h3 a").get_attribute("href")
        jobseeker_id = int(href.rsplit("/", 1)[1])
        ((grad_email,),) = live_server.query("SELECT email FROM users WHERE id = ?", jobseeker_id)
        if grad_email.endswith("@demo.example.com"):
            chosen = index
            break
    assert chosen is not None
    candidate = candidates.nth(chosen)
    assert candidate.locator(".reason").inner_text().strip()
    candidate.locator("a.button", has_text="Se profilen og invitér").click()
    page.wait_for_load_state()
    _visit(page, "candidate profile (entrepreneur)", axe_source, False)
    page.locator("#message").fill("Din profil passer godt til vores café-projekt.")
    page.locator("#invite form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".candidate").nth(chosen).get_by_text("Inviteret").count() == 1

    # The invited graduate applies in their own browser.
    grad = new_page()
    login(grad, grad_email, DEMO_PASSWORD)
    grad.goto(f"/tasks/{task_id}")
    assert "Din profil passer godt til vores café-projekt." in text_of(grad)
    grad.locator("#motivation").fill("Tak for invitationen – jeg vil gerne.")
    grad.locator("main form button[type=submit]").click()
    grad.wait_for_load_state()

    page.reload()
    page.locator("form[action$='/accept'] button").first.click()
    page.wait_for_load_state()
    # Work is completed no sooner than the task's hours allow: let the acceptance lie back
    # in time (the connection commits on leaving its block).
    live_server.query(
        "UPDATE applications SET accepted_at = datetime('now', '-60 days'),"
        " decided_at = datetime('now', '-60 days') WHERE task_id = ? AND status = 'accepted'",
        task_id,
    )
    page.locator("a[href$='/complete']").first.click()
    page.wait_for_load_state()
    _visit(page, "completion and reference form", axe_source, False)
    page.locator("input[name=rating][value='5']").check()
    page.locator("#reference").fill("Grundig analyse og et budget vi faktisk bruger.")
    page.locator("input[name=skills_used]").first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "afsluttet" in text_of(page)
    page.goto("/entrepreneur/")
    _visit(page, "entrepreneur dashboard", axe_source, False)


def _free_cvr(live_server) -> str:
    """A check-digit-valid CVR number no company in the database has."""
    taken = {row[0] for row in live_server.query("SELECT cvr FROM companies")}
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    number = 20_000_000
    while True:
        text = str(number)
        if (
            text not in taken
            and sum(int(d) * w for d, w in zip(text, weights, strict=True)) % 11 == 0
        ):
            return text
        number += 1


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone-375px"])
def test_caseworker_journey(new_page, live_server, axe_source, phone) -> None:
    page = new_page(phone=phone)
    page.goto("/auth/login")
    _visit(page, "login", axe_source, phone)
    login(page, "sagsbehandler1@demo.example.com", DEMO_PASSWORD)
    assert page.url.endswith("/caseworker/")
    _visit(page, "caseload", axe_source, phone)
    assert page.locator("table.caseload .flag").count() >= 1
    if not phone:  # at 1280 px the whole table shows: no clipped header, no inner scrollbar
        overflow = page.evaluate(
            """() => { const t = document.querySelector('table.caseload');
                       const box = t.parentElement;
                       const page = document.documentElement.scrollWidth;
                       return [t.scrollWidth, box.clientWidth, page]; }"""
        )
        assert overflow[0] <= overflow[1] and overflow[2] <= 1280, overflow

    # The praktik waiting for the job centre: the queue, then one with its rule checks.
    page.goto("/placements/")
    _visit(page, "praktik to approve (caseworker)", axe_source, phone)
    page.locator("main a[href^='/placements/']").first.click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/approve'] button").count() == 1
    _visit(page, "praktik with rule checks (caseworker)", axe_source, phone)
    page.goto("/caseworker/")

    page.locator("table.caseload tbody a").first.click()
    page.wait_for_load_state()
    jobseeker_id = int(re.search(r"/people/(\d+)", page.url).group(1))
    _visit(page, "person page", axe_source, phone)
    ((email,),) = live_server.query("SELECT email FROM users WHERE id = ?", jobseeker_id)

    graduate = new_page()
    login(graduate, email, DEMO_PASSWORD)
    graduate.goto("/jobseeker/privacy")
    assert "Din side (ansøgninger, referencer, opfølgningspunkter og noter) blev åbnet" in text_of(
        graduate
    )

    page.goto("/caseworker/")
    with page.expect_download() as download:
        page.locator("a[href^='/caseworker/export/caseload.csv']").click()
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]

    for url, name in (
        ("/caseworker/statistics", "statistics"),
        ("/caseworker/summary", "printable summary"),
    ):
        page.goto(url)
        _visit(page, name, axe_source, phone)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone-375px"])
def test_admin_journey(new_page, live_server, axe_source, phone) -> None:
    page = new_page(phone=phone)
    login(page, "admin@demo.example.com", DEMO_PASSWORD)
    ((graduate_id,),) = live_server.query(
        "SELECT id FROM users WHERE email = 'dimittend7@demo.example.com'"
    )
    for url, name in (
        ("/admin/users", "admin: users"),
        ("/admin/users?q=dimittend1&role=jobseeker", "admin: users, searched"),
        (f"/admin/users/{graduate_id}/edit", "admin: edit a user"),
        ("/admin/users/new", "admin: new user"),
        ("/admin/caseload", "admin: assignments"),
        ("/admin/access-log", "admin: access log"),
        ("/admin/companies", "admin: companies"),
    ):
        page.goto(url)
        _visit(page, name, axe_source, phone)

    # The list pages instead of running on for thousands of pixels.
    page.goto("/admin/users")
    assert page.locator("table.user-table tbody tr").count() == 25
    assert page.locator("a[rel=next]").count() == 1

    # Assigning by name: suggestions appear while typing, without the exact email.
    page.goto("/admin/caseload")
    page.locator("#jobseeker").fill("dimittend1")
    page.wait_for_function(
        "() => document.querySelectorAll('datalist option').length > 0", timeout=10_000
    )
    assert (
        page.locator("datalist option").first.get_attribute("value").endswith("@demo.example.com")
    )

    # The admin reads the access log in neutral words, never the graduate's "Du …".
    caseworker = new_page()
    login(caseworker, "sagsbehandler1@demo.example.com", DEMO_PASSWORD)
    caseworker.goto("/caseworker/")
    page.goto("/admin/access-log")
    log = page.locator("main table").inner_text()
    assert "Du " not in log and "sagsbehandler1@demo.example.com" in log


def test_errors_are_announced_and_tied_to_their_fields(new_page, axe_source) -> None:
    page = new_page()
    page.goto("/auth/signup")
    page.locator("#email").fill("not-an-email")
    page.locator("#password").fill("short")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # Only axe here: the language switch reloads the page, which clears the errors.
    audit(page, "sign-up with errors", axe_source)
    for field_id in ("name", "password"):
        described = page.get_attribute(f"#{field_id}", "aria-describedby") or ""
        error_id = f"{field_id}-error"
        assert error_id in described.split()
        assert page.get_attribute(f"#{field_id}", "aria-invalid") == "true"
        assert page.get_attribute(f"#{error_id}", "role") == "alert"
        assert page.locator(f"#{error_id}").inner_text().strip()


def test_graduate_journey_with_the_keyboard_alone(new_page, live_server) -> None:
    page = new_page()
    page.goto("/")
    tab_to(page, "a[href='/auth/signup']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/signup")
    email = unique_email("tastatur")
    tab_to(page, "input[name=role][value=jobseeker]")
    page.keyboard.press("Space")
    for field_id, value in (
        ("name", "Tove Tastatur"),
        ("email", email),
        ("password", "en lang og god sætning"),
        ("confirm", "en lang og god sætning"),
    ):
        tab_to(page, f"#{field_id}")
        page.keyboard.type(value)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobseeker/profile")

    for field_id, value in (
        ("field", "Cand.scient. i datalogi"),
        ("skills", "Python, Excel, dataanalyse"),
        ("hours_per_week", "20"),
        ("postcode", "8000"),
    ):
        tab_to(page, f"#{field_id}")
        page.keyboard.type(value)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobseeker/")

    tab_to(page, ".recommendation h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    tab_to(page, "#motivation")
    page.keyboard.type("Jeg arbejder med data hver dag og kan starte med det samme.")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Din ansøgning er sendt" in text_of(page), text_of(page)[:500]
    assert live_server.query(
        "SELECT count(*) FROM applications a JOIN users u ON u.id = a.jobseeker_id "
        "WHERE u.email = ?",
        email,
    ) == [(1,)]

    tab_to(page, "a[href='/jobseeker/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jobseeker/")
    tab_to(page, "a[href='/jobseeker/cv.pdf']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_the_accessibility_check_catches_a_violation(new_page, axe_source) -> None:
    # The audit must be able to fail: a text field without a label is a critical violation.
    page = new_page()
    page.goto("/")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.type = 'text';"
        " document.querySelector('main').appendChild(i); }"
    )
    with pytest.raises(AssertionError, match="label"):
        audit(page, "self-test: unlabelled field", axe_source)
    REPORT.pages.pop("self-test: unlabelled field")


def test_the_english_check_catches_danish_text_and_skill_names(new_page, live_server) -> None:
    # The English-page check must be able to fail: on an English page, a Danish interface
    # text and a Danish skill name (whose English label exists) are both caught.
    ((danish, english),) = live_server.query(
        "SELECT label_da, label_en FROM skills WHERE label_da != label_en LIMIT 1"
    )
    page = new_page()
    page.goto("/")
    open_menu(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    english_only(page, live_server)  # the real page passes
    for html, caught in (
        ("<p>Kommende frister</p>", "Kommende frister"),
        (f"<ul class='skills'><li>{danish}</li></ul>", danish),
        (f"<ul class='skills'><li>{english}</li></ul>", None),
    ):
        page.evaluate("(html) => document.querySelector('main').innerHTML = html", html)
        if caught is None:
            english_only(page, live_server)
        else:
            with pytest.raises(AssertionError, match=re.escape(caught)):
                english_only(page, live_server)


def test_the_menu_folds_on_a_phone_and_works_with_the_keyboard(new_page, live_server) -> None:
    """One line of menu at 1280 px; on a phone a Menu button (no inline script) opens it,
    Escape closes it, and the account menu opens with Enter and closes with Escape."""
    desktop = new_page()
    login(desktop, "admin@demo.example.com", DEMO_PASSWORD)
    tops = desktop.evaluate(
        """() => [...document.querySelectorAll('header.site li')]
                   .filter(e => e.checkVisibility())
                   .map(e => Math.round(e.getBoundingClientRect().top / 10))"""
    )
    assert len(tops) >= 8 and len(set(tops)) == 1, f"the admin's menu wraps at 1280 px: {tops}"
    assert not desktop.locator("header .menu-toggle").is_visible()
    assert not desktop.locator("header").get_by_role("link", name="Adgangskode").is_visible()

    page = new_page(phone=True)
    login(page, "dimittend1@demo.example.com", DEMO_PASSWORD)
    toggle = page.locator("header .menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("header").get_by_role("link", name="Beskeder").is_visible()
    header_height = page.evaluate("() => document.querySelector('header.site').offsetHeight")
    assert header_height < 80, f"the folded menu is {header_height}px tall"

    tab_to(page, "header .menu-toggle")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("header").get_by_role("link", name="Beskeder").is_visible()
    tab_to(page, "header .account summary")
    page.keyboard.press("Enter")
    assert page.locator("header").get_by_role("link", name="Adgangskode").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("header .account details").get_attribute("open") is None
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("header").get_by_role("link", name="Beskeder").is_visible()
    no_sideways_scroll(page)
